// The whole wiring: one QueryClient, one KandidProvider. The provider owns the session (kept
// in localStorage and refreshed before it expires), the socket and live sync; every page
// below only calls hooks.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient } from "@tanstack/react-query";
import { KandidProvider } from "@kandid/client/react";
import { App } from "./App";
import "./style.css";

// Live sync keeps the cache current, so nothing needs refetching on focus or on a timer.
const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: 1 } } });
// The server: `?server=http://host:8080` (kept for the tab), else VITE_KANDID_URL, else this
// origin (the dev server and `vite preview` forward /api and /socket.io to it).
const param = new URLSearchParams(location.search).get("server");
if (param) sessionStorage.setItem("kandid.server", param);
const baseUrl = sessionStorage.getItem("kandid.server") ?? import.meta.env.VITE_KANDID_URL ?? "";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <KandidProvider queryClient={queryClient} baseUrl={baseUrl} onSessionEnd={(why) => alertSessionEnd(why)}>
      <App />
    </KandidProvider>
  </StrictMode>,
);

function alertSessionEnd(why: "session_expired" | "session_revoked") {
  sessionStorage.setItem("kandid.ended", why === "session_revoked" ? "You were removed from the workspace." : "Your session expired; sign in again.");
}
