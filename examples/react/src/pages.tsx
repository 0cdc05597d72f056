// The seed's pages on the bindings: campaigns with stats, a campaign with its sequence and
// leads, leads with filter and search, the dashboard. No socket code: the provider's live
// sync moves every query below (campaign stats move with leads_updated too).
import { useState, type FormEvent } from "react";
import type { CampaignStatus, Lead, LeadStatus } from "@kandid/client";
import {
  ConflictError,
  errorMessage,
  useCampaign,
  useCampaigns,
  useCreateCampaign,
  useCreateLead,
  useDashboard,
  useLeads,
  useUpdateCampaign,
  useUpdateLead,
} from "@kandid/client/react";

const LEAD_STATUSES: LeadStatus[] = ["pending", "contacted", "responded", "converted", "do_not_contact"];
const NEXT: Record<CampaignStatus, CampaignStatus[]> = { draft: ["active"], active: ["paused", "completed"], paused: ["active", "completed"], completed: [] };
const pct = (x: number) => `${Math.round(x * 100)}%`;

export function DashboardPage() {
  const { data: d, error } = useDashboard();
  if (error) return <p className="error">{errorMessage(error)}</p>;
  if (!d) return <p>Loading…</p>;
  return (
    <section>
      <h2>Dashboard</h2>
      <div className="cards">
        <Card label="Campaigns" value={d.campaigns.total} testid="dash-campaigns" />
        <Card label="Leads" value={d.leads.total} testid="dash-leads" />
        <Card label="Acceptance" value={pct(d.acceptance_rate)} />
        <Card label="Response" value={pct(d.response_rate)} />
        <Card label="Conversion" value={pct(d.conversion_rate)} />
      </div>
      <h3>Lead status distribution</h3>
      <ul className="bars">
        {LEAD_STATUSES.map((s) => {
          const n = d.leads.by_status[s] ?? 0;
          return (
            <li key={s}>
              <span>{s}</span>
              <span className="bar" style={{ width: `${d.leads.total ? (100 * n) / d.leads.total : 0}%` }} />
              <span data-testid={`dash-status-${s}`}>{n}</span>
            </li>
          );
        })}
      </ul>
      <h3>Recent activity</h3>
      <ul className="activity">
        {d.recent_activity.map((a) => (
          <li key={a.id}>{new Date(a.created_at).toLocaleTimeString()} · {a.entity_type} {a.action}</li>
        ))}
      </ul>
    </section>
  );
}

function Card({ label, value, testid }: { label: string; value: string | number; testid?: string }) {
  return (
    <div className="card">
      <span>{label}</span>
      <strong data-testid={testid}>{value}</strong>
    </div>
  );
}

export function CampaignsPage() {
  const [status, setStatus] = useState<CampaignStatus | "">("");
  const { data, error } = useCampaigns(status ? { status } : {});
  const create = useCreateCampaign();
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const name = String(new FormData(form).get("name"));
    create.mutate({ name }, { onSuccess: () => form.reset() });
  }
  return (
    <section>
      <h2>Campaigns</h2>
      <form className="row" onSubmit={submit}>
        <input name="name" placeholder="New campaign" required data-testid="new-campaign" />
        <button disabled={create.isPending}>Create</button>
        <select value={status} onChange={(e) => setStatus(e.target.value as CampaignStatus | "")} aria-label="Status">
          <option value="">All statuses</option>
          {(["draft", "active", "paused", "completed"] as const).map((s) => <option key={s}>{s}</option>)}
        </select>
      </form>
      {create.error && <p className="error">{errorMessage(create.error)}</p>}
      {error && <p className="error">{errorMessage(error)}</p>}
      <table>
        <thead>
          <tr><th>Name</th><th>Status</th><th>Leads</th><th>Acceptance</th><th>Response</th><th>Conversion</th></tr>
        </thead>
        <tbody>
          {data?.data.map((c) => (
            <tr key={c.id} data-testid={`campaign-${c.name}`}>
              <td><a href={`#/campaigns/${c.id}`}>{c.name}</a></td>
              <td>{c.status}</td>
              <td data-testid="total-leads">{c.stats.total_leads}</td>
              <td>{pct(c.stats.acceptance_rate)}</td>
              <td>{pct(c.stats.response_rate)}</td>
              <td>{pct(c.stats.conversion_rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function CampaignPage({ id }: { id: string }) {
  const { data: c, error } = useCampaign(id);
  const update = useUpdateCampaign();
  const createLead = useCreateLead();
  if (error) return <p className="error">{errorMessage(error)}</p>;
  if (!c) return <p>Loading…</p>;
  function addLead(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    createLead.mutate({ campaign_id: id, name: String(f.get("name")), company: String(f.get("company") || "") || null }, { onSuccess: () => form.reset() });
  }
  return (
    <section>
      <h2>{c.name} <small>{c.status}</small></h2>
      <div className="row">
        {NEXT[c.status].map((s) => (
          <button key={s} onClick={() => update.mutate({ id, patch: { status: s } })}>Make {s}</button>
        ))}
      </div>
      {update.error && <p className="error" role="alert">{errorMessage(update.error)}</p>}
      <div className="cards">
        <Card label="Leads" value={c.stats.total_leads} testid="campaign-total" />
        <Card label="Progress" value={pct(c.stats.progress)} />
        <Card label="Acceptance" value={pct(c.stats.acceptance_rate)} />
        <Card label="Response" value={pct(c.stats.response_rate)} />
        <Card label="Conversion" value={pct(c.stats.conversion_rate)} />
      </div>
      <h3>Sequence</h3>
      {c.sequence.length === 0 ? <p>No steps yet.</p> : (
        <ol className="sequence">
          {c.sequence.map((s, i) => (
            <li key={i}><strong>{s.kind}</strong> after {s.delay_hours} h{s.template ? ` — ${s.template}` : ""}</li>
          ))}
        </ol>
      )}
      <h3>Leads</h3>
      <form className="row" onSubmit={addLead}>
        <input name="name" placeholder="Name" required />
        <input name="company" placeholder="Company" />
        <button disabled={createLead.isPending}>Add lead</button>
      </form>
      {createLead.error && <p className="error">{errorMessage(createLead.error)}</p>}
      <LeadTable filter={{ campaign_id: id }} />
    </section>
  );
}

export function LeadsPage() {
  const [status, setStatus] = useState<LeadStatus | "">("");
  const [q, setQ] = useState("");
  return (
    <section>
      <h2>Leads</h2>
      <div className="row">
        <input type="search" placeholder="Search name, e-mail, company, title" value={q} onChange={(e) => setQ(e.target.value)} data-testid="lead-search" />
        <select value={status} onChange={(e) => setStatus(e.target.value as LeadStatus | "")} aria-label="Status" data-testid="lead-filter">
          <option value="">All statuses</option>
          {LEAD_STATUSES.map((s) => <option key={s}>{s}</option>)}
        </select>
      </div>
      <LeadTable filter={{ ...(status ? { status } : {}), ...(q.trim() ? { q: q.trim() } : {}) }} />
    </section>
  );
}

function LeadTable({ filter }: { filter: { campaign_id?: string; status?: LeadStatus; q?: string } }) {
  const { leads, total, error, hasNextPage, fetchNextPage, isFetchingNextPage } = useLeads({ ...filter, limit: 25 });
  if (error) return <p className="error">{errorMessage(error)}</p>;
  return (
    <>
      <p className="muted" data-testid="lead-total">{total ?? "…"} leads</p>
      <table>
        <thead>
          <tr><th>Name</th><th>Company</th><th>Status</th><th>Connection</th></tr>
        </thead>
        <tbody>
          {leads.map((l) => <LeadRow key={l.id} lead={l} />)}
        </tbody>
      </table>
      {hasNextPage && <button onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>Load more</button>}
    </>
  );
}

function LeadRow({ lead }: { lead: Lead }) {
  const update = useUpdateLead();
  const conflict = update.error instanceof ConflictError ? update.error : null;
  return (
    <tr data-testid={`lead-${lead.name}`}>
      <td>{lead.name}</td>
      <td>{lead.company}</td>
      <td>
        <select
          value={lead.status}
          aria-label={`Status of ${lead.name}`}
          data-testid="lead-status"
          // The version this row shows goes in If-Match: a change made meanwhile is a conflict.
          onChange={(e) => update.mutate({ id: lead.id, patch: { status: e.target.value as LeadStatus }, version: lead.version })}
        >
          {LEAD_STATUSES.map((s) => <option key={s}>{s}</option>)}
        </select>
        {update.error && (
          <span className="error" role="alert">
            {conflict ? `${errorMessage(conflict)} (now: ${(conflict.current as Lead | undefined)?.status ?? "deleted"})` : errorMessage(update.error)}
          </span>
        )}
      </td>
      <td>{lead.connection_status}</td>
    </tr>
  );
}
