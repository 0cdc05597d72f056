// The dashboard served at /app, on the kit's React bindings (the same as examples/react):
// sign-in and registration, workspace switch, campaigns with their sequence and status,
// leads, imports, charts and the activity feed. No socket code: the provider's live sync
// keeps every query below current. Bundled by esbuild (`npm run build:app`) into
// crates/kandid/app, which the binary embeds.
import { StrictMode, useEffect, useState, type FormEvent } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { KandidProvider, errorMessage, useConnection, useKandid, useSession } from "../src/react/index.js";
import type { Schemas, Session } from "../src/index.js";
import { request } from "./util.js";
import { DashboardPage } from "./dashboard.js";
import { CampaignPage, CampaignsPage } from "./campaigns.js";
import { LeadsPage } from "./leads.js";

const ENDED = "kandid.ended";

function useHash(): string {
  const [hash, setHash] = useState(location.hash || "#/dashboard");
  useEffect(() => {
    const on = () => setHash(location.hash || "#/dashboard");
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return hash;
}

function App() {
  const { signedIn, user, signOut } = useSession();
  const hash = useHash();
  if (!signedIn) return <SignIn />;
  const [, page, id] = hash.split("/");
  const nav = (to: string, text: string) => (
    <a href={`#/${to}`} aria-current={page === to ? "page" : undefined}>{text}</a>
  );
  return (
    <>
      <header>
        <strong className="brand">kandid</strong>
        <WorkspaceSwitch />
        <nav>
          {nav("dashboard", "Dashboard")}
          {nav("campaigns", "Campaigns")}
          {nav("leads", "Leads")}
        </nav>
        <span className="spacer" />
        <Connection />
        <span className="who" data-test="who">{user?.name}</span>
        <button type="button" onClick={signOut} data-test="signout">Sign out</button>
      </header>
      <main>
        {page === "campaigns" && id ? <CampaignPage id={id} /> : page === "campaigns" ? <CampaignsPage /> : page === "leads" ? <LeadsPage /> : <DashboardPage />}
      </main>
    </>
  );
}

/** The connection indicator and the live-view toggle. */
function Connection() {
  const { status, live, setLive } = useConnection();
  return (
    <label className="conn" data-test="conn" data-status={status} title="Live view: changes by others appear as they happen">
      <input type="checkbox" checked={live} onChange={(e) => void setLive(e.target.checked)} data-test="live" />
      <i aria-hidden="true" /> <span>{status}</span>
    </label>
  );
}

/** The workspace's name; a menu to switch when the person belongs to several. */
function WorkspaceSwitch() {
  const client = useKandid();
  const qc = useQueryClient();
  const { workspace } = useSession();
  const [error, setError] = useState<string | null>(null);
  const { data } = useQuery({
    queryKey: ["kandid", "workspaces"],
    queryFn: () => request<Schemas["Workspaces"]>(client, "GET", "/api/auth/workspaces"),
    // An integration token has no workspaces to switch to.
    retry: false,
  });
  if (!workspace) return null;
  if (!data || data.data.length < 2) return <span className="workspace" data-test="workspace">{workspace.name}</span>;
  async function change(id: string) {
    setError(null);
    try {
      const s = await request<Session>(client, "POST", "/api/auth/switch", { workspace_id: id });
      qc.removeQueries({ queryKey: ["kandid"] });
      client.setToken(s.token);
      location.hash = "#/dashboard";
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return (
    <>
      <select className="workspace" value={workspace.id} onChange={(e) => void change(e.target.value)} aria-label="Workspace" data-test="workspace">
        {data.data.map((m) => <option key={m.workspace.id} value={m.workspace.id}>{m.workspace.name}</option>)}
      </select>
      {error && <span className="error" role="alert">{error}</span>}
    </>
  );
}

function SignIn() {
  const { signIn, register } = useSession();
  const [mode, setMode] = useState<"in" | "up">("in");
  const [error, setError] = useState<string | null>(sessionStorage.getItem(ENDED));
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const email = String(f.get("email")), password = String(f.get("password"));
    setBusy(true);
    setError(null);
    sessionStorage.removeItem(ENDED);
    try {
      if (mode === "in") await signIn({ email, password });
      else await register({ name: String(f.get("name")), email, password, workspace_name: String(f.get("workspace") || "") || null, invitation: String(f.get("invitation") || "") || null });
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }
  return (
    <main className="auth">
      <form onSubmit={submit} data-test="auth-form">
        <h1>{mode === "in" ? "Sign in to kandid" : "Create an account"}</h1>
        {mode === "up" && <label>Name <input name="name" required autoComplete="name" maxLength={200} /></label>}
        <label>E-mail <input name="email" type="email" required autoComplete="username" /></label>
        <label>Password <input name="password" type="password" required minLength={8} autoComplete={mode === "in" ? "current-password" : "new-password"} /></label>
        {mode === "up" && <label>Workspace name <small>(optional)</small> <input name="workspace" maxLength={200} /></label>}
        {mode === "up" && <label>Invitation <small>(optional, to join a team)</small> <input name="invitation" /></label>}
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy} data-test="auth-submit">{mode === "in" ? "Sign in" : "Create account"}</button>
        <button type="button" className="link" onClick={() => (setMode(mode === "in" ? "up" : "in"), setError(null))}>
          {mode === "in" ? "No account? Create one" : "Have an account? Sign in"}
        </button>
      </form>
    </main>
  );
}

// Live sync keeps the cache current, so nothing refetches on focus or on a timer.
const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: 1, refetchOnWindowFocus: false } } });

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <KandidProvider
      queryClient={queryClient}
      onSessionEnd={(why) => sessionStorage.setItem(ENDED, why === "session_revoked" ? "You were removed from the workspace." : "Your session expired; sign in again.")}
    >
      <App />
    </KandidProvider>
  </StrictMode>,
);
