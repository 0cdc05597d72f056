// Layout, a hash router (#/campaigns, #/campaigns/<id>, #/leads, #/dashboard) and sign-in.
import { useEffect, useState, type FormEvent } from "react";
import { errorMessage, useConnection, useSession } from "@kandid/client/react";
import { CampaignPage, CampaignsPage, DashboardPage, LeadsPage } from "./pages";

function useHash(): string {
  const [hash, setHash] = useState(location.hash || "#/dashboard");
  useEffect(() => {
    const on = () => setHash(location.hash || "#/dashboard");
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return hash;
}

export function App() {
  const { signedIn, user, workspace, signOut } = useSession();
  const hash = useHash();
  if (!signedIn) return <SignIn />;
  const [, page, id] = hash.split("/");
  return (
    <div className="shell">
      <header>
        <strong>{workspace?.name ?? "kandid"}</strong>
        <nav>
          <a href="#/dashboard" aria-current={page === "dashboard"}>Dashboard</a>
          <a href="#/campaigns" aria-current={page === "campaigns"}>Campaigns</a>
          <a href="#/leads" aria-current={page === "leads"}>Leads</a>
        </nav>
        <Connection />
        <span className="who">{user?.name}</span>
        <button onClick={signOut}>Sign out</button>
      </header>
      <main>
        {page === "campaigns" && id ? <CampaignPage id={id} /> : page === "campaigns" ? <CampaignsPage /> : page === "leads" ? <LeadsPage /> : <DashboardPage />}
      </main>
    </div>
  );
}

/** The connection indicator and the live-view toggle. */
function Connection() {
  const { status, live, setLive } = useConnection();
  return (
    <label className={`conn ${status}`} data-testid="connection" data-status={status}>
      <input type="checkbox" checked={live} onChange={(e) => void setLive(e.target.checked)} data-testid="live-toggle" /> Live · {status}
    </label>
  );
}

function SignIn() {
  const { signIn, register } = useSession();
  const [mode, setMode] = useState<"in" | "up">("in");
  const [error, setError] = useState<string | null>(sessionStorage.getItem("kandid.ended"));
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const email = String(f.get("email")), password = String(f.get("password"));
    setBusy(true);
    setError(null);
    sessionStorage.removeItem("kandid.ended");
    try {
      if (mode === "in") await signIn({ email, password });
      else await register({ name: String(f.get("name")), email, password, invitation: String(f.get("invitation") || "") || null });
    } catch (err) {
      setError(errorMessage(err)); // e.g. "wrong e-mail or password"
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="signin" onSubmit={submit}>
      <h1>{mode === "in" ? "Sign in" : "Create an account"}</h1>
      {mode === "up" && <input name="name" placeholder="Name" required />}
      <input name="email" type="email" placeholder="E-mail" required autoComplete="username" />
      <input name="password" type="password" placeholder="Password" required minLength={8} autoComplete="current-password" />
      {mode === "up" && <input name="invitation" placeholder="Invitation token (optional)" />}
      {error && <p className="error" role="alert">{error}</p>}
      <button disabled={busy}>{mode === "in" ? "Sign in" : "Register"}</button>
      <button type="button" className="link" onClick={() => setMode(mode === "in" ? "up" : "in")}>
        {mode === "in" ? "No account? Register" : "Have an account? Sign in"}
      </button>
    </form>
  );
}
