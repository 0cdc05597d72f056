// The team: the workspace's members with their roles, live; for owners and admins, role
// changes, removal, invitations (what to hand the invitee) and the open ones, withdrawable.
// Anyone may join another workspace with an invitation (its link or its code).
import { useState, type FormEvent } from "react";
import type { CreatedInvitation, Member, Role } from "../src/index.js";
import { KandidError, errorMessage, useCreateInvitation, useDeleteInvitation, useInvitations, useMembers, useRemoveMember, useSession, useUpdateMember } from "../src/react/index.js";

const ROLES: Role[] = ["owner", "admin", "member", "viewer"];
const RIGHTS: Record<Role, string> = {
  owner: "everything, owners included",
  admin: "also deletes campaigns and manages the team",
  member: "changes campaigns and leads",
  viewer: "reads only",
};

/** The invitation link: /app opens it as the join page (or the registration form, signed out). */
export const joinLink = (token: string) => `${location.origin}${location.pathname}#/join/${encodeURIComponent(token)}`;

/** What the signed-in person may do to members: only an owner touches owners or makes one. */
function useTeamRights() {
  const { user } = useSession();
  const role = user?.role;
  const manage = role === "owner" || role === "admin";
  return {
    me: user?.id,
    manage,
    /** The roles this person may give. */
    grantable: ROLES.filter((r) => manage && (r !== "owner" || role === "owner")),
    /** Whether this person may change or remove `m`. */
    may: (m: Member) => manage && (m.role !== "owner" || role === "owner"),
  };
}

export function TeamPage() {
  const { manage } = useTeamRights();
  return (
    <section>
      <h1>Team</h1>
      <Members />
      {manage && <Invite />}
      {manage && <OpenInvitations />}
      <Join />
    </section>
  );
}

function Members() {
  const { data, error } = useMembers();
  const { manage } = useTeamRights();
  if (error) return <p className="error" role="alert">{errorMessage(error)}</p>;
  if (!data) return <p className="muted">Loading…</p>;
  return (
    <div className="scroll">
      <table data-test="members">
        <thead>
          <tr><th>Name</th><th>E-mail</th><th>Role</th><th>Joined</th>{manage && <th />}</tr>
        </thead>
        <tbody>
          {data.data.map((m) => <MemberRow key={m.user_id} member={m} />)}
        </tbody>
      </table>
    </div>
  );
}

function MemberRow({ member: m }: { member: Member }) {
  const { me, manage, grantable, may } = useTeamRights();
  const update = useUpdateMember();
  const remove = useRemoveMember();
  const [confirming, setConfirming] = useState(false);
  const error = update.error ?? remove.error;
  const editable = may(m) && m.user_id !== me;
  return (
    <tr data-test="member" data-email={m.email} data-role={m.role}>
      <td>{m.name}{m.user_id === me && <small className="muted"> (you)</small>}</td>
      <td>{m.email}</td>
      <td>
        {editable ? (
          <select value={m.role} onChange={(e) => update.mutate({ userId: m.user_id, role: e.target.value as Role })} disabled={update.isPending} aria-label={`Role of ${m.name}`} data-test="member-role">
            {ROLES.map((r) => <option key={r} value={r} disabled={!grantable.includes(r)}>{r}</option>)}
          </select>
        ) : (
          <span className={`badge role ${m.role}`} title={RIGHTS[m.role]} data-test="member-role-text">{m.role}</span>
        )}
        {error && <p className="error" role="alert">{errorMessage(error)}</p>}
      </td>
      <td><time dateTime={m.joined_at}>{new Date(m.joined_at).toLocaleDateString()}</time></td>
      {manage && (
        <td className="actions">
          {!editable ? null : confirming ? (
            <span className="confirm">
              Remove {m.name}?{" "}
              <button type="button" className="danger" onClick={() => remove.mutate({ userId: m.user_id })} disabled={remove.isPending} data-test="member-remove-confirm">Remove</button>{" "}
              <button type="button" onClick={() => setConfirming(false)}>Keep</button>
            </span>
          ) : (
            <button type="button" onClick={() => setConfirming(true)} aria-label={`Remove ${m.name}`} data-test="member-remove">Remove…</button>
          )}
        </td>
      )}
    </tr>
  );
}

/** Invites an e-mail; shows the link and the code to hand over (they are not shown again). */
function Invite() {
  const create = useCreateInvitation();
  const { grantable } = useTeamRights();
  const [made, setMade] = useState<CreatedInvitation | null>(null);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setMade(null);
    create.mutate({ email: String(f.get("email")).trim(), role: String(f.get("role")) as Role }, { onSuccess: (inv) => (setMade(inv), form.reset()) });
  }
  return (
    <section className="panel">
      <h2>Invite someone</h2>
      <form className="row" onSubmit={submit} data-test="invite-form">
        <input name="email" type="email" required placeholder="E-mail" aria-label="E-mail to invite" data-test="invite-email" />
        <select name="role" defaultValue="member" aria-label="Role of the invitee" data-test="invite-role">
          {grantable.map((r) => <option key={r} value={r}>{r}: {RIGHTS[r]}</option>)}
        </select>
        <button className="primary" disabled={create.isPending} data-test="invite-submit">Invite</button>
      </form>
      {create.error && <p className="error" role="alert">{errorMessage(create.error)}</p>}
      {made && (
        <div className="handover" role="status" data-test="invitation-made">
          <p>
            Send this link to <b>{made.email}</b>. It lets that e-mail join as <b>{made.role}</b>, once, until{" "}
            {new Date(made.expires_at).toLocaleString()}; it is shown only now.
          </p>
          <input readOnly value={joinLink(made.token)} aria-label="Invitation link" onFocus={(e) => e.target.select()} data-test="invite-link" />
          <p className="muted">
            Or the invitation code, to paste under Team → Join a workspace, or when creating an account: <code data-test="invite-token">{made.token}</code>
          </p>
        </div>
      )}
    </section>
  );
}

function OpenInvitations() {
  const { data, error } = useInvitations();
  const withdraw = useDeleteInvitation();
  return (
    <section className="panel">
      <h2>Open invitations</h2>
      {error && <p className="error" role="alert">{errorMessage(error)}</p>}
      {data && data.data.length === 0 && <p className="muted">None.</p>}
      <ul className="invitations" data-test="invitations">
        {data?.data.map((i) => (
          <li key={i.id} data-test="invitation" data-email={i.email}>
            <span><b>{i.email}</b> as {i.role}, until {new Date(i.expires_at).toLocaleDateString()}</span>
            <button type="button" onClick={() => withdraw.mutate({ id: i.id })} disabled={withdraw.isPending} aria-label={`Withdraw the invitation of ${i.email}`} data-test="invitation-withdraw">Withdraw</button>
          </li>
        ))}
      </ul>
      {withdraw.error && <p className="error" role="alert">{errorMessage(withdraw.error)}</p>}
    </section>
  );
}

/** Why an invitation could not be accepted, in words. */
export function joinError(e: unknown): string {
  if (e instanceof KandidError && e.status === 404) return "This invitation was already used, withdrawn or has expired: ask for a new one.";
  if (e instanceof KandidError && e.status === 403) return "This invitation is for another e-mail address: sign in with the invited one.";
  if (e instanceof KandidError && e.status === 409) return "You already belong to that workspace: switch to it in the menu at the top.";
  return errorMessage(e);
}

/** Joins another workspace with an invitation's code (or link); `token` prefills it. */
export function Join({ token = "" }: { token?: string }) {
  const { acceptInvitation } = useSession();
  const [value, setValue] = useState(token);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    // A pasted link works as well as the bare code.
    const code = decodeURIComponent(value.trim().replace(/^.*#\/join\//, ""));
    setBusy(true);
    setError(null);
    try {
      await acceptInvitation(code);
      location.hash = "#/dashboard";
    } catch (err) {
      setError(joinError(err));
      setBusy(false);
    }
  }
  return (
    <section className="panel">
      <h2>Join a workspace</h2>
      <form className="row" onSubmit={submit} data-test="join-form">
        <input value={value} onChange={(e) => setValue(e.target.value)} required placeholder="Invitation link or code" aria-label="Invitation link or code" className="grow" data-test="join-token" />
        <button className="primary" disabled={busy} data-test="join-submit">Join</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}

/** The page an invitation link opens for a signed-in person. */
export function JoinPage({ token }: { token: string }) {
  const { workspace } = useSession();
  return (
    <section>
      <h1>Join a workspace</h1>
      <p>You were invited to another workspace. Joining switches to it; {workspace ? <>you stay a member of <b>{workspace.name}</b> and</> : "you"} can switch back in the menu at the top.</p>
      <Join token={token} />
    </section>
  );
}
