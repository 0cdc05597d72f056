// Campaigns: the list with a create form; one campaign with its editor (name, description,
// daily limit, the sequence of steps), status actions, delete, stats, leads and import.
import { useEffect, useState, type FormEvent } from "react";
import type { Campaign, CampaignStatus } from "../src/index.js";
import { ConflictError, errorMessage, useCampaign, useCampaigns, useCreateCampaign, useDeleteCampaign, useUpdateCampaign } from "../src/react/index.js";
import { ACTION, CAMPAIGN_STATUSES, NEXT, STEP_KINDS, edited, label, pct, rebase, useRights } from "./util.js";
import { LeadForm, LeadTable } from "./leads.js";
import { ImportPanel } from "./import.js";

type Step = Campaign["sequence"][number];

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${status}`}>{label(status)}</span>;
}

export function CampaignsPage() {
  const [status, setStatus] = useState<CampaignStatus | "">("");
  const { data, error, isPending } = useCampaigns({ limit: 200, sort: "name", ...(status ? { status } : {}) });
  const create = useCreateCampaign();
  const { write } = useRights();
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    create.mutate({ name: String(f.get("name")).trim(), status: f.get("start") ? "active" : "draft" }, { onSuccess: () => form.reset() });
  }
  return (
    <section>
      <h1>Campaigns</h1>
      <form className="row" onSubmit={submit}>
        {write && (
          <>
            <input name="name" placeholder="New campaign name" required maxLength={200} aria-label="New campaign name" data-test="new-campaign" />
            <label className="inline"><input type="checkbox" name="start" /> start now</label>
            <button className="primary" disabled={create.isPending}>Create</button>
          </>
        )}
        <span className="spacer" />
        <select value={status} onChange={(e) => setStatus(e.target.value as CampaignStatus | "")} aria-label="Filter by status">
          <option value="">All statuses</option>
          {CAMPAIGN_STATUSES.map((s) => <option key={s} value={s}>{label(s)}</option>)}
        </select>
      </form>
      {create.error && <p className="error" role="alert">{errorMessage(create.error)}</p>}
      {error && <p className="error" role="alert">{errorMessage(error)}</p>}
      {isPending ? <p className="muted">Loading…</p> : data && data.data.length === 0 ? <p className="muted">No campaigns yet: create one above.</p> : (
        <div className="scroll">
          <table data-test="campaigns">
            <thead>
              <tr><th>Name</th><th>Status</th><th className="num">Leads</th><th className="num">Progress</th><th className="num">Acceptance</th><th className="num">Response</th><th className="num">Conversion</th></tr>
            </thead>
            <tbody>
              {data?.data.map((c) => (
                <tr key={c.id} data-test="campaign" data-name={c.name}>
                  <td><a href={`#/campaigns/${c.id}`}>{c.name}</a></td>
                  <td><StatusBadge status={c.status} /></td>
                  <td className="num" data-test="campaign-leads">{c.stats.total_leads}</td>
                  <td className="num">{pct(c.stats.progress)}</td>
                  <td className="num">{pct(c.stats.acceptance_rate)}</td>
                  <td className="num">{pct(c.stats.response_rate)}</td>
                  <td className="num">{pct(c.stats.conversion_rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function CampaignPage({ id }: { id: string }) {
  const { data: c, error } = useCampaign(id);
  const status = useUpdateCampaign();
  const remove = useDeleteCampaign();
  const [confirming, setConfirming] = useState(false);
  const { write, admin } = useRights();
  if (error) return <p className="error" role="alert">{error.status === 404 ? "This campaign does not exist (any more)." : errorMessage(error)} <a href="#/campaigns">All campaigns</a></p>;
  if (!c) return <p className="muted">Loading…</p>;
  return (
    <section>
      <p><a href="#/campaigns">← Campaigns</a></p>
      <div className="title-row">
        <h1 data-test="campaign-name">{c.name}</h1>
        <StatusBadge status={c.status} />
        <span className="spacer" />
        {write && NEXT[c.status].map((s) => (
          <button key={s} type="button" disabled={status.isPending} onClick={() => status.mutate({ id, patch: { status: s } })} data-test={`make-${s}`}>{ACTION[s]}</button>
        ))}
        {!admin ? null : confirming ? (
          <span className="confirm">
            Delete it and its {c.stats.total_leads} leads?{" "}
            <button type="button" className="danger" onClick={() => remove.mutate({ id }, { onSuccess: () => (location.hash = "#/campaigns") })}>Delete</button>{" "}
            <button type="button" onClick={() => setConfirming(false)}>Keep</button>
          </span>
        ) : (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>Delete…</button>
        )}
      </div>
      {status.error && <p className="error" role="alert">{errorMessage(status.error)}</p>}
      {remove.error && <p className="error" role="alert">{errorMessage(remove.error)}</p>}
      <div className="cards">
        <Card name="Leads" value={c.stats.total_leads} test="campaign-total" />
        <Card name="Progress" value={pct(c.stats.progress)} test="campaign-progress" />
        <Card name="Acceptance" value={pct(c.stats.acceptance_rate)} />
        <Card name="Response" value={pct(c.stats.response_rate)} />
        <Card name="Conversion" value={pct(c.stats.conversion_rate)} />
      </div>
      <CampaignEditor campaign={c} readOnly={!write} />
      <h2>Leads</h2>
      {write && <LeadForm campaignId={id} />}
      <LeadTable filter={{ campaign_id: id }} />
      {write && <ImportPanel campaignId={id} />}
    </section>
  );
}

export function Card({ name, value, test }: { name: string; value: string | number; test?: string }) {
  return (
    <div className="card" data-test={test}>
      <b>{value}</b>
      <span>{name}</span>
    </div>
  );
}

type Draft = { name: string; description: string; daily_limit: string; sequence: Step[] };
const draftOf = (c: Campaign): Draft => ({ name: c.name, description: c.description ?? "", daily_limit: String(c.daily_limit), sequence: c.sequence.map((s) => ({ ...s })) });

/**
 * The campaign's fields and sequence. While untouched the form follows the campaign as
 * others change it; once edited it keeps the person's input, and a save over someone
 * else's change reports the conflict and keeps the input (a second save writes it over).
 */
function CampaignEditor({ campaign: c, readOnly }: { campaign: Campaign; readOnly: boolean }) {
  const update = useUpdateCampaign();
  const [draft, setDraft] = useState(() => draftOf(c));
  // What the person started from, and its version (what If-Match sends): only the fields
  // changed from it are sent, so a save never undoes someone else's change to another one.
  const [original, setOriginal] = useState(() => draftOf(c));
  const [base, setBase] = useState(c.version);
  const [dirty, setDirty] = useState(false);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!dirty) {
      setDraft(draftOf(c));
      setOriginal(draftOf(c));
      setBase(c.version);
    }
  }, [c, dirty]);
  const edit = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setDirty(true);
    setSaved(false);
  };
  const step = (i: number, patch: Partial<Step>) => edit({ sequence: draft.sequence.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  const move = (i: number, by: number) => {
    const seq = [...draft.sequence];
    [seq[i], seq[i + by]] = [seq[i + by]!, seq[i]!];
    edit({ sequence: seq });
  };
  function save(e: FormEvent) {
    e.preventDefault();
    const changed = edited(draft, original);
    const patch = {
      ...(changed.name !== undefined ? { name: draft.name.trim() } : {}),
      ...(changed.description !== undefined ? { description: draft.description.trim() || null } : {}),
      ...(changed.daily_limit !== undefined ? { daily_limit: Number(draft.daily_limit) } : {}),
      ...(changed.sequence ? { sequence: draft.sequence.map((s) => ({ kind: s.kind, delay_hours: Number(s.delay_hours), template: s.template?.trim() || null })) } : {}),
    };
    if (Object.keys(patch).length === 0) return setDirty(false);
    update.mutate(
      { id: c.id, patch, version: base },
      {
        onSuccess: () => (setDirty(false), setSaved(true)),
        onError: (err) => {
          const now = err instanceof ConflictError ? (err.current as Campaign | undefined) : undefined;
          if (!now) return;
          // Their version, with this person's edits on top; a second save applies the edits to it.
          setDraft(rebase(draft, original, draftOf(now)));
          setOriginal(draftOf(now));
          setBase(now.version);
        },
      },
    );
  }
  function discard() {
    update.reset();
    setDirty(false);
    setSaved(false);
  }
  const conflict = update.error instanceof ConflictError ? update.error : null;
  const fields = update.error?.fieldErrors ?? {};
  return (
    <form className="panel editor" onSubmit={save} data-test="campaign-editor">
      <h2>Settings and sequence</h2>
      <fieldset disabled={readOnly}>
      <div className="grid2">
        <label>Name <input value={draft.name} onChange={(e) => edit({ name: e.target.value })} required maxLength={200} name="name" /></label>
        <label>Daily limit <input type="number" min={1} max={1000} value={draft.daily_limit} onChange={(e) => edit({ daily_limit: e.target.value })} required name="daily_limit" /></label>
      </div>
      <label>Description <textarea value={draft.description} onChange={(e) => edit({ description: e.target.value })} rows={2} name="description" /></label>
      <h3>Sequence <small className="muted">({draft.sequence.length} of 20 steps)</small></h3>
      {draft.sequence.length === 0 && <p className="muted">No steps yet.</p>}
      <ol className="steps" data-test="steps">
        {draft.sequence.map((s, i) => (
          <li key={i} data-test="step">
            <div className="row">
              <select value={s.kind} onChange={(e) => step(i, { kind: e.target.value as Step["kind"] })} aria-label={`Step ${i + 1} kind`}>
                {STEP_KINDS.map((k) => <option key={k} value={k}>{label(k)}</option>)}
              </select>
              <label className="inline">after <input type="number" min={0} max={2160} value={s.delay_hours} onChange={(e) => step(i, { delay_hours: e.target.value === "" ? 0 : Number(e.target.value) })} aria-label={`Step ${i + 1} delay in hours`} className="short" /> h</label>
              <span className="spacer" />
              <button type="button" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move step ${i + 1} up`}>↑</button>
              <button type="button" onClick={() => move(i, 1)} disabled={i === draft.sequence.length - 1} aria-label={`Move step ${i + 1} down`}>↓</button>
              <button type="button" onClick={() => edit({ sequence: draft.sequence.filter((_, j) => j !== i) })} aria-label={`Remove step ${i + 1}`}>Remove</button>
            </div>
            {s.kind !== "wait" && s.kind !== "visit_profile" && (
              <textarea value={s.template ?? ""} onChange={(e) => step(i, { template: e.target.value })} rows={2} maxLength={8000} placeholder="Message template (optional)" aria-label={`Step ${i + 1} template`} />
            )}
            {Object.entries(fields).filter(([f]) => f.startsWith(`sequence[${i}]`) || f.startsWith(`steps[${i}]`)).map(([f, m]) => <p key={f} className="error">{m}</p>)}
          </li>
        ))}
      </ol>
      <div className="row">
        <button type="button" onClick={() => edit({ sequence: [...draft.sequence, { kind: draft.sequence.length ? "follow_up" : "connection_request", delay_hours: draft.sequence.length ? 48 : 0, template: null }] })} disabled={draft.sequence.length >= 20} data-test="add-step">Add step</button>
        <span className="spacer" />
        {dirty && <button type="button" onClick={discard}>Discard changes</button>}
        <button className="primary" disabled={!dirty || update.isPending} data-test="save-campaign">{conflict ? "Save my edits" : "Save"}</button>
      </div>
      </fieldset>
      {conflict && (
        <p className="error" role="alert" data-test="conflict">
          {(conflict.current as Campaign | undefined)?.name !== undefined
            ? "Someone else changed this campaign while you were editing, so your changes were not saved. The form now shows their version with your edits kept: save again to apply your edits to it, or discard them."
            : `This campaign was deleted while you were editing; your changes were not saved.`}
        </p>
      )}
      {update.error && !conflict && <p className="error" role="alert">{errorMessage(update.error)}</p>}
      {saved && !dirty && <p className="ok" role="status">Saved.</p>}
    </form>
  );
}
