// `npm run dev` serves on :5173 and forwards the API and Socket.IO to a kandid on :8080
// (KANDID_URL to change it), so the browser sees one origin and needs no CORS entry.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const target = process.env.KANDID_URL ?? "http://localhost:8080";
const proxy = { "/api": { target }, "/socket.io": { target, ws: true } };

export default defineConfig({
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
});
