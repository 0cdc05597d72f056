// Leads: the list with search and filters, a create form, inline status and connection
// changes, an editor per lead and delete. A change over someone else's reads as a conflict
// that keeps what the person typed.
import { useEffect, useState, type FormEvent } from "react";
import type { ConnectionStatus, Lead, LeadFilter, LeadStatus } from "../src/index.js";
import { ConflictError, errorMessage, useCampaigns, useCreateLead, useDeleteLead, useLeads, useUpdateLead } from "../src/react/index.js";
import { CONNECTION_STATUSES, LEAD_STATUSES, edited, label, rebase, useRights } from "./util.js";

const CONFLICT = "Someone else changed this lead in the meantime, so your change was not saved.";

function useCampaignNames(): Map<string, string> {
  const { data } = useCampaigns({ limit: 200, sort: "name" });
  return new Map(data?.data.map((c) => [c.id, c.name]) ?? []);
}

export function LeadsPage() {
  const [q, setQ] = useState("");
  const [status, setStatus] = useState<LeadStatus | "">("");
  const [connection, setConnection] = useState<ConnectionStatus | "">("");
  const [campaign, setCampaign] = useState("");
  const names = useCampaignNames();
  const { write } = useRights();
  // Typing waits for a pause before asking the server.
  const [search, setSearch] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setSearch(q.trim()), 250);
    return () => clearTimeout(t);
  }, [q]);
  return (
    <section>
      <h1>Leads</h1>
      <div className="row filters">
        <input type="search" placeholder="Search name, e-mail, company, title" value={q} onChange={(e) => setQ(e.target.value)} maxLength={200} aria-label="Search leads" data-test="lead-search" />
        <select value={status} onChange={(e) => setStatus(e.target.value as LeadStatus | "")} aria-label="Filter by status" data-test="lead-filter">
          <option value="">All statuses</option>
          {LEAD_STATUSES.map((s) => <option key={s} value={s}>{label(s)}</option>)}
        </select>
        <select value={connection} onChange={(e) => setConnection(e.target.value as ConnectionStatus | "")} aria-label="Filter by connection">
          <option value="">Any connection</option>
          {CONNECTION_STATUSES.map((s) => <option key={s} value={s}>{label(s)}</option>)}
        </select>
        <select value={campaign} onChange={(e) => setCampaign(e.target.value)} aria-label="Filter by campaign">
          <option value="">All campaigns</option>
          {[...names].map(([id, name]) => <option key={id} value={id}>{name}</option>)}
        </select>
      </div>
      {!write ? null : names.size > 0 ? <LeadForm campaignId={campaign || undefined} /> : <p className="muted">Create a campaign first: every lead belongs to one.</p>}
      <LeadTable filter={{ ...(search ? { q: search } : {}), ...(status ? { status } : {}), ...(connection ? { connection_status: connection } : {}), ...(campaign ? { campaign_id: campaign } : {}) }} showCampaign />
    </section>
  );
}

/** Adds a lead to `campaignId`, or to the campaign picked in the form. */
export function LeadForm({ campaignId }: { campaignId?: string }) {
  const create = useCreateLead();
  const names = useCampaignNames();
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const opt = (k: string) => String(f.get(k) ?? "").trim() || null;
    create.mutate(
      { campaign_id: campaignId ?? String(f.get("campaign_id")), name: String(f.get("name")).trim(), email: opt("email"), company: opt("company"), title: opt("title") },
      { onSuccess: () => form.reset() },
    );
  }
  return (
    <form className="row add-lead" onSubmit={submit} data-test="lead-form">
      <input name="name" placeholder="Name" required maxLength={200} aria-label="Lead name" />
      <input name="email" type="email" placeholder="E-mail" aria-label="Lead e-mail" />
      <input name="company" placeholder="Company" maxLength={200} aria-label="Company" />
      <input name="title" placeholder="Title" maxLength={200} aria-label="Title" />
      {!campaignId && (
        <select name="campaign_id" required aria-label="Campaign of the new lead" defaultValue="">
          <option value="" disabled>Campaign…</option>
          {[...names].map(([id, name]) => <option key={id} value={id}>{name}</option>)}
        </select>
      )}
      <button className="primary" disabled={create.isPending}>Add lead</button>
      {create.error && <p className="error" role="alert">{errorMessage(create.error)}</p>}
    </form>
  );
}

export function LeadTable({ filter, showCampaign = false }: { filter: Omit<LeadFilter, "cursor" | "limit" | "sort">; showCampaign?: boolean }) {
  const { leads, total, error, isPending, hasNextPage, fetchNextPage, isFetchingNextPage } = useLeads({ ...filter, limit: 50, sort: "name" });
  const names = useCampaignNames();
  const [editing, setEditing] = useState<string | null>(null);
  if (error) return <p className="error" role="alert">{errorMessage(error)}</p>;
  const cols = showCampaign ? 7 : 6;
  return (
    <>
      <p className="muted" data-test="lead-total">{isPending ? "Loading…" : `${total ?? 0} lead${total === 1 ? "" : "s"}`}</p>
      <div className="scroll">
        <table data-test="leads">
          <thead>
            <tr><th>Name</th><th>Company</th><th>Title</th>{showCampaign && <th>Campaign</th>}<th>Status</th><th>Connection</th><th /></tr>
          </thead>
          <tbody>
            {leads.map((l) =>
              editing === l.id ? (
                <tr key={l.id} data-test="lead-editing"><td colSpan={cols}><LeadEditor lead={l} done={() => setEditing(null)} /></td></tr>
              ) : (
                <LeadRow key={l.id} lead={l} campaign={showCampaign ? names.get(l.campaign_id) ?? "…" : undefined} edit={() => setEditing(l.id)} />
              ),
            )}
          </tbody>
        </table>
      </div>
      {hasNextPage && <button type="button" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>Load more</button>}
    </>
  );
}

function LeadRow({ lead, campaign, edit }: { lead: Lead; campaign?: string; edit: () => void }) {
  const update = useUpdateLead();
  const remove = useDeleteLead();
  const [confirming, setConfirming] = useState(false);
  const { write } = useRights();
  const error = update.error ?? remove.error;
  const now = error instanceof ConflictError ? (error.current as Lead | undefined) : undefined;
  // The version this row shows goes in If-Match: a change made meanwhile is a conflict.
  const change = (patch: { status?: LeadStatus; connection_status?: ConnectionStatus }) => update.mutate({ id: lead.id, patch, version: lead.version });
  return (
    <tr data-test="lead" data-name={lead.name}>
      <td><span data-test="lead-name">{lead.name}</span>{lead.email && <small className="muted block">{lead.email}</small>}</td>
      <td>{lead.company}</td>
      <td>{lead.title}</td>
      {campaign !== undefined && <td><a href={`#/campaigns/${lead.campaign_id}`}>{campaign}</a></td>}
      <td>
        <select value={lead.status} onChange={(e) => change({ status: e.target.value as LeadStatus })} aria-label={`Status of ${lead.name}`} data-test="lead-status" disabled={!write}>
          {LEAD_STATUSES.map((s) => <option key={s} value={s}>{label(s)}</option>)}
        </select>
        {error && (
          <p className="error" role="alert">
            {error instanceof ConflictError ? (now ? `${CONFLICT} It is now ${label(now.status)}, ${label(now.connection_status)}.` : "This lead was deleted meanwhile.") : errorMessage(error)}
          </p>
        )}
      </td>
      <td>
        <select value={lead.connection_status} onChange={(e) => change({ connection_status: e.target.value as ConnectionStatus })} aria-label={`Connection of ${lead.name}`} data-test="lead-connection" disabled={!write}>
          {CONNECTION_STATUSES.map((s) => <option key={s} value={s}>{label(s)}</option>)}
        </select>
      </td>
      <td className="actions">
        {!write ? null : confirming ? (
          <>
            <button type="button" className="danger" onClick={() => remove.mutate({ id: lead.id, version: lead.version })}>Delete</button>
            <button type="button" onClick={() => setConfirming(false)}>Keep</button>
          </>
        ) : (
          <>
            <button type="button" onClick={edit} data-test="lead-edit">Edit</button>
            <button type="button" onClick={() => setConfirming(true)} aria-label={`Delete ${lead.name}`}>Delete…</button>
          </>
        )}
      </td>
    </tr>
  );
}

type Draft = { name: string; email: string; company: string; title: string; linkedin_url: string; notes: string; status: LeadStatus; connection_status: ConnectionStatus };
const draftOf = (l: Lead): Draft => ({ name: l.name, email: l.email ?? "", company: l.company ?? "", title: l.title ?? "", linkedin_url: l.linkedin_url ?? "", notes: l.notes ?? "", status: l.status, connection_status: l.connection_status });

/** A lead's fields; a save over someone else's change keeps the input and says so. */
function LeadEditor({ lead, done }: { lead: Lead; done: () => void }) {
  const update = useUpdateLead();
  const [draft, setDraft] = useState(() => draftOf(lead));
  // What the person started from and its version (If-Match): only the fields changed from
  // it are sent, so a save never undoes someone else's change to another field.
  const [original, setOriginal] = useState(() => draftOf(lead));
  const [base, setBase] = useState(lead.version);
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  function save(e: FormEvent) {
    e.preventDefault();
    const changed = edited(draft, original);
    const patch = Object.fromEntries(Object.entries(changed).map(([k, v]) => [k, k === "name" ? String(v).trim() : k === "status" || k === "connection_status" ? v : String(v).trim() || null]));
    if (Object.keys(patch).length === 0) return done();
    update.mutate(
      { id: lead.id, version: base, patch },
      {
        onSuccess: done,
        onError: (err) => {
          const now = err instanceof ConflictError ? (err.current as Lead | undefined) : undefined;
          if (!now) return;
          // Their version, with this person's edits on top; a second save applies the edits to it.
          setDraft(rebase(draft, original, draftOf(now)));
          setOriginal(draftOf(now));
          setBase(now.version);
        },
      },
    );
  }
  const conflict = update.error instanceof ConflictError ? update.error : null;
  const now = conflict?.current as Lead | undefined;
  const fields = update.error?.fieldErrors ?? {};
  const field = (k: keyof Draft, name: string, type = "text") => (
    <label>
      {name} <input type={type} value={draft[k]} onChange={set(k)} name={k} required={k === "name"} />
      {fields[k] && <small className="error">{fields[k]}</small>}
    </label>
  );
  return (
    <form className="lead-editor" onSubmit={save} data-test="lead-editor">
      <div className="grid3">
        {field("name", "Name")}
        {field("email", "E-mail", "email")}
        {field("company", "Company")}
        {field("title", "Title")}
        {field("linkedin_url", "LinkedIn URL", "url")}
        <label>Status <select value={draft.status} onChange={set("status")} name="status">{LEAD_STATUSES.map((s) => <option key={s} value={s}>{label(s)}</option>)}</select></label>
        <label>Connection <select value={draft.connection_status} onChange={set("connection_status")} name="connection_status">{CONNECTION_STATUSES.map((s) => <option key={s} value={s}>{label(s)}</option>)}</select></label>
      </div>
      <label>Notes <textarea value={draft.notes} onChange={set("notes")} rows={2} name="notes" /></label>
      {conflict && (
        <p className="error" role="alert" data-test="conflict">
          {now
            ? `${CONFLICT} The form now shows their version (${now.name}, ${label(now.status)}, ${label(now.connection_status)}) with your edits kept: save again to apply your edits to it.`
            : "This lead was deleted meanwhile; your changes were not saved."}
        </p>
      )}
      {update.error && !conflict && <p className="error" role="alert">{errorMessage(update.error)}</p>}
      <div className="row">
        <button className="primary" disabled={update.isPending || (conflict !== null && !now)} data-test="save-lead">{conflict && now ? "Save my edits" : "Save"}</button>
        <button type="button" onClick={done}>Cancel</button>
      </div>
    </form>
  );
}
