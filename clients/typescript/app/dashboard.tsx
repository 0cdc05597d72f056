// The dashboard: the workspace's metrics, three charts in plain SVG (lead status
// distribution, performance per campaign, activity over time) and the activity feed, which
// names the person and the entity.
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import type { Activity, Campaign, Lead, Page } from "../src/index.js";
import { errorMessage, kandidKeys, useActivity, useCampaigns, useDashboard, useMembers } from "../src/react/index.js";
import { Card } from "./campaigns.js";
import { LEAD_STATUSES, label, pct } from "./util.js";

const COLORS: Record<string, string> = { pending: "#9aa3b5", contacted: "#3498db", responded: "#f1a33c", converted: "#2eaa6a", do_not_contact: "#d8534a" };
const RATES = [["acceptance_rate", "acceptance", "#3454d1"], ["response_rate", "response", "#f1a33c"], ["conversion_rate", "conversion", "#2eaa6a"]] as const;

export function DashboardPage() {
  const { data: d, error } = useDashboard();
  if (error) return <p className="error" role="alert">{errorMessage(error)}</p>;
  if (!d) return <p className="muted">Loading…</p>;
  return (
    <section>
      <h1>Dashboard</h1>
      <div className="cards" data-test="metrics">
        <Card name="campaigns" value={d.campaigns.total} test="metric-campaigns" />
        <Card name="leads" value={d.leads.total} test="metric-leads" />
        <Card name="converted" value={d.leads.by_status.converted ?? 0} test="metric-converted" />
        <Card name="acceptance" value={pct(d.acceptance_rate)} test="metric-acceptance" />
        <Card name="response" value={pct(d.response_rate)} test="metric-response" />
        <Card name="conversion" value={pct(d.conversion_rate)} test="metric-conversion" />
      </div>
      <div className="charts">
        <figure className="panel" data-test="chart-status">
          <figcaption>Leads by status</figcaption>
          <StatusChart counts={d.leads.by_status as Record<string, number>} total={d.leads.total} />
        </figure>
        <figure className="panel" data-test="chart-campaigns">
          <figcaption>Campaign performance</figcaption>
          <CampaignChart />
        </figure>
        <figure className="panel wide" data-test="chart-activity">
          <figcaption>Activity over time</figcaption>
          <ActivityChart />
        </figure>
      </div>
      <ActivityFeed />
    </section>
  );
}

/** One horizontal bar per status; the count at its end. */
function StatusChart({ counts, total }: { counts: Record<string, number>; total: number }) {
  const row = 26, left = 110, width = 360;
  const max = Math.max(1, ...LEAD_STATUSES.map((s) => counts[s] ?? 0));
  return (
    <svg viewBox={`0 0 ${width} ${LEAD_STATUSES.length * row}`} role="img" aria-label={`Leads by status: ${LEAD_STATUSES.map((s) => `${label(s)} ${counts[s] ?? 0}`).join(", ")}`}>
      {LEAD_STATUSES.map((s, i) => {
        const n = counts[s] ?? 0;
        const w = ((width - left - 70) * n) / max;
        return (
          <g key={s} transform={`translate(0 ${i * row})`} data-test={`status-${s}`} data-count={n}>
            <text x={left - 8} y={17} textAnchor="end">{label(s)}</text>
            <rect x={left} y={5} width={Math.max(w, n ? 2 : 0)} height={16} rx={3} fill={COLORS[s]} />
            <text x={left + w + 6} y={17}>{n}{total ? ` (${pct(n / total)})` : ""}</text>
          </g>
        );
      })}
    </svg>
  );
}

/** Per campaign, three bars: acceptance, response and conversion rate. */
function CampaignChart() {
  const { data } = useCampaigns({ limit: 200, sort: "name" });
  const list = (data?.data ?? []).filter((c) => c.stats.total_leads > 0).slice(0, 12);
  if (!data) return <p className="muted">Loading…</p>;
  if (list.length === 0) return <p className="muted">No campaign has leads yet.</p>;
  const group = 44, left = 110, width = 360, bar = 11;
  return (
    <>
      <svg viewBox={`0 0 ${width} ${list.length * group}`} role="img" aria-label="Acceptance, response and conversion rate per campaign">
        {list.map((c: Campaign, i) => (
          <g key={c.id} transform={`translate(0 ${i * group})`} data-test="campaign-bars" data-name={c.name}>
            <text x={left - 8} y={22} textAnchor="end">{c.name.length > 16 ? `${c.name.slice(0, 15)}…` : c.name}</text>
            {RATES.map(([k, name, color], j) => (
              <g key={k}>
                <rect x={left} y={4 + j * (bar + 1)} width={Math.max(1, (width - left - 50) * c.stats[k])} height={bar} fill={color} rx={2}>
                  <title>{`${c.name}: ${name} ${pct(c.stats[k])}`}</title>
                </rect>
                <text x={left + (width - left - 50) * c.stats[k] + 4} y={13 + j * (bar + 1)} className="small">{pct(c.stats[k])}</text>
              </g>
            ))}
          </g>
        ))}
      </svg>
      <p className="legend">{RATES.map(([k, name]) => <span key={k} className={`key ${name}`}>{name}</span>)}</p>
    </>
  );
}

/** The latest 200 activities counted in twelve equal spans up to now. */
function ActivityChart() {
  const { data } = useActivity({ limit: 200 });
  if (!data) return <p className="muted">Loading…</p>;
  const times = data.data.map((a) => Date.parse(a.created_at));
  const now = Date.now();
  const oldest = Math.min(now - 3600_000, ...times);
  const n = 12, span = (now - oldest) / n;
  const buckets = Array.from({ length: n }, () => 0);
  for (const t of times) buckets[Math.min(n - 1, Math.max(0, Math.floor((t - oldest) / span)))]!++;
  const max = Math.max(1, ...buckets);
  const width = 600, height = 100, bw = width / n;
  const fmt = (t: number) => (span * n > 36 * 3600_000 ? new Date(t).toLocaleDateString() : new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
  // Bars stretch to the width (no fixed aspect ratio); the labels are text, so they stay legible at any width.
  return (
    <>
      <p className="axis"><span>{max} max per span</span></p>
      <svg className="timeline" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={`${times.length} changes between ${fmt(oldest)} and ${fmt(now)}`}>
        {buckets.map((b, i) => (
          <rect key={i} x={i * bw + 2} y={height - height * (b / max)} width={bw - 4} height={height * (b / max)} fill="#3454d1" data-count={b}>
            <title>{`${b} change${b === 1 ? "" : "s"} from ${fmt(oldest + i * span)}`}</title>
          </rect>
        ))}
      </svg>
      <p className="axis"><span>{fmt(oldest)}</span><span>now</span></p>
    </>
  );
}

/** A name for the entity of an activity: from its own changes, an earlier one, or the cache. */
function entityName(a: Activity, all: Activity[], qc: QueryClient): string | undefined {
  const fromChanges = (x: Activity) => {
    const v = x.changes.name;
    const named = v?.[1] ?? v?.[0];
    return typeof named === "string" ? named : undefined;
  };
  if (!a.entity_id) return undefined;
  const own = fromChanges(a);
  if (own) return own;
  for (const x of all) if (x.entity_id === a.entity_id && fromChanges(x)) return fromChanges(x);
  if (a.entity_type === "lead") {
    const cached = qc.getQueryData<Lead>(kandidKeys.lead(a.entity_id))?.name;
    if (cached) return cached;
    for (const [, d] of qc.getQueriesData<Page<Lead> | { pages: Page<Lead>[] }>({ queryKey: ["kandid", "leads"] })) {
      const pages = !d ? [] : "pages" in d ? d.pages : [d];
      for (const p of pages) {
        const hit = p.data.find((l) => l.id === a.entity_id);
        if (hit) return hit.name;
      }
    }
  }
  return undefined;
}

const HIDDEN = new Set(["version", "updated_at", "last_activity_at", "created_by"]);

function describe(a: Activity, name: string | undefined, campaigns: Map<string, string>, people: Map<string, string>): string {
  if (a.entity_type === "member" && a.action === "created" && a.entity_id === a.actor_id) return "joined the workspace";
  if (a.entity_type === "member" && a.action === "deleted" && a.entity_id === a.actor_id) return "left the workspace";
  if (a.entity_type === "member") name ??= people.get(a.entity_id ?? "");
  const kind = label(a.entity_type);
  const what = a.entity_type === "campaign" ? `campaign ${name ?? campaigns.get(a.entity_id ?? "") ?? ""}`.trim() : name ? `${kind} ${name}` : `a ${kind}`;
  const changes = a.changes;
  switch (a.action) {
    case "created":
      return `added ${what}`;
    case "deleted":
      return `deleted ${what}`;
    case "imported": {
      const n = changes.created?.[1];
      return `imported ${typeof n === "number" ? `${n} ` : ""}leads`;
    }
    default: {
      const fields = Object.entries(changes).filter(([k]) => !HIDDEN.has(k));
      const one = fields.length === 1 ? fields[0] : undefined;
      if (one && Array.isArray(one[1]) && ["status", "connection_status"].includes(one[0]))
        return `moved ${what} from ${label(String(one[1][0]))} to ${label(String(one[1][1]))}${one[0] === "connection_status" ? " (connection)" : ""}`;
      return fields.length ? `changed ${fields.map(([k]) => label(k)).join(", ")} of ${what}` : `changed ${what}`;
    }
  }
}

export function ActivityFeed() {
  const qc = useQueryClient();
  const { data, error } = useActivity({ limit: 200 });
  const members = useMembers().data;
  const camps = useCampaigns({ limit: 200, sort: "name" }).data;
  const people = new Map(members?.data.map((m) => [m.user_id, m.name]) ?? []);
  const campaigns = new Map(camps?.data.map((c) => [c.id, c.name]) ?? []);
  return (
    <section className="panel">
      <h2>Activity</h2>
      {error && <p className="error" role="alert">{errorMessage(error)}</p>}
      {data && data.data.length === 0 && <p className="muted">Nothing has happened yet.</p>}
      <ol className="feed" data-test="activity">
        {data?.data.slice(0, 30).map((a) => {
          const where = a.campaign_id && a.entity_type !== "campaign" ? campaigns.get(a.campaign_id) : undefined;
          return (
            <li key={a.id} data-test="activity-item">
              <b>{people.get(a.actor_id) ?? "Someone"}</b> {describe(a, entityName(a, data.data, qc), campaigns, people)}
              {where && <> in <a href={`#/campaigns/${a.campaign_id}`}>{where}</a></>}{" "}
              <time dateTime={a.created_at} title={new Date(a.created_at).toLocaleString()}>{new Date(a.created_at).toLocaleTimeString()}</time>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
