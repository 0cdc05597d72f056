// The dashboard served at /app, on the kit's React bindings (the same as examples/react):
// sign-in and registration, workspace switch, campaigns with their sequence and status,
// leads, imports, charts, the activity feed, the team (members, roles, invitations) and joining
// by invitation. No socket code: the provider's live sync keeps every query below current.
// Bundled by esbuild (`npm run build:app`) into crates/kandid/app, which the binary embeds.
import { StrictMode, useEffect, useState, type FormEvent } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient } from "@tanstack/react-query";
import { KandidProvider, errorMessage, useConnection, useSession, useWorkspaces } from "../src/react/index.js";
import { DashboardPage } from "./dashboard.js";
import { CampaignPage, CampaignsPage } from "./campaigns.js";
import { LeadsPage } from "./leads.js";
import { JoinPage, TeamPage } from "./team.js";

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
  const [, page, id] = hash.split("/");
  // An invitation link: `#/join/<token>`.
  const invitation = page === "join" && id ? decodeURIComponent(id) : undefined;
  if (!signedIn) return <SignIn invitation={invitation} />;
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
          {nav("team", "Team")}
        </nav>
        <span className="spacer" />
        <Connection />
        <span className="who" data-test="who">{user?.name}</span>
        <button type="button" onClick={signOut} data-test="signout">Sign out</button>
      </header>
      <main>
        {page === "campaigns" && id ? <CampaignPage id={id} /> : page === "campaigns" ? <CampaignsPage /> : page === "leads" ? <LeadsPage /> : page === "team" ? <TeamPage /> : invitation ? <JoinPage token={invitation} /> : <DashboardPage />}
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
  const { workspace, switchWorkspace } = useSession();
  const [error, setError] = useState<string | null>(null);
  const { data } = useWorkspaces();
  if (!workspace) return null;
  if (!data || data.data.length < 2) return <span className="workspace" data-test="workspace">{workspace.name}</span>;
  async function change(id: string) {
    setError(null);
    try {
      await switchWorkspace(id);
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

/** Sign-in, or registration; an invitation link opens registration with its code filled in. */
function SignIn({ invitation }: { invitation?: string }) {
  const { signIn, register } = useSession();
  const [mode, setMode] = useState<"in" | "up">(invitation ? "up" : "in");
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
      else {
        const code = String(f.get("invitation") || "").trim();
        await register({ name: String(f.get("name")), email, password, workspace_name: String(f.get("workspace") || "") || null, invitation: code || null });
        // Registered into the invitation's workspace: the join page has nothing left to do.
        if (code) location.hash = "#/dashboard";
      }
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }
  return (
    <main className="auth">
      <form onSubmit={submit} data-test="auth-form">
        <h1>{mode === "in" ? "Sign in to kandid" : "Create an account"}</h1>
        {invitation && <p className="muted" data-test="invited">You were invited to a workspace: {mode === "up" ? "create an account to join it, or sign in if you have one" : "sign in, then join it"}.</p>}
        {mode === "up" && <label>Name <input name="name" required autoComplete="name" maxLength={200} /></label>}
        <label>E-mail <input name="email" type="email" required autoComplete="username" /></label>
        <label>Password <input name="password" type="password" required minLength={8} autoComplete={mode === "in" ? "current-password" : "new-password"} /></label>
        {mode === "up" && !invitation && <label>Workspace name <small>(optional)</small> <input name="workspace" maxLength={200} /></label>}
        {mode === "up" && <label>Invitation <small>(optional, to join a team)</small> <input name="invitation" defaultValue={invitation} /></label>}
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
