// The live dashboard served at /app: sign in or register, campaigns with their stats, a
// campaign's leads with filter and search, lead status changes, the workspace metrics and
// activity feed, a live-view toggle and a connection indicator. Built on the kit.
import { QueryClient, QueryObserver } from "@tanstack/query-core";
import { createApi, connect, liveSync, kandidQueries, KandidError } from "../src/index.js";
import type { Activity, Campaign, Dashboard, Lead, LeadFilter, LiveStatus, LiveSync, Page, KandidSocket } from "../src/index.js";

const LEAD_STATUSES = ["pending", "contacted", "responded", "converted", "do_not_contact"] as const;
const TOKEN_KEY = "kandid.token";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** Builds an element; children are text or elements, never HTML. */
function h(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const label = (s: string) => s.replaceAll("_", " ");

let token: string | null = localStorage.getItem(TOKEN_KEY);
const api = createApi({ token: () => token });
const q = kandidQueries(api);
const qc = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });

let socket: KandidSocket | null = null;
let sync: LiveSync | null = null;
let cleanups: (() => void)[] = [];
let selected: Campaign | null = null;
let leadFilter: LeadFilter = {};
let leadsObserver: (() => void) | null = null;

function watch<T>(options: { queryKey: readonly unknown[]; queryFn: () => Promise<T> }, render: (data: T) => void): () => void {
  const obs = new QueryObserver(qc, options);
  const show = (r: { data?: T; error?: unknown }) => {
    if (r.error instanceof KandidError && r.error.status === 401) signOut();
    else if (r.data !== undefined) render(r.data);
  };
  show(obs.getCurrentResult());
  return obs.subscribe(show);
}

function setConn(status: LiveStatus) {
  const el = $("conn");
  el.dataset.status = status;
  el.querySelector("span")!.textContent = status;
}

function renderMetrics(d: Dashboard) {
  const m = (key: string, value: string, name: string) => h("div", { class: "metric", "data-test": `metric-${key}` }, h("b", {}, value), h("span", {}, name));
  $("metrics").replaceChildren(
    m("campaigns", String(d.campaigns.total), "campaigns"),
    m("leads", String(d.leads.total), "leads"),
    m("converted", String(d.leads.by_status.converted ?? 0), "converted"),
    m("acceptance", pct(d.acceptance_rate), "acceptance"),
    m("response", pct(d.response_rate), "response"),
    m("conversion", pct(d.conversion_rate), "conversion"),
  );
  const names = new Map<string, string>();
  for (const row of $("campaigns").querySelectorAll<HTMLElement>("tbody tr")) names.set(row.dataset.id!, row.dataset.name!);
  $("activity").replaceChildren(...d.recent_activity.map((a: Activity) => activityItem(a, names)));
}

function activityItem(a: Activity, names: Map<string, string>): HTMLElement {
  const changes = Object.keys(a.changes ?? {}).filter((k) => !["version", "updated_at", "last_activity_at"].includes(k));
  const what = a.action === "updated" && changes.length ? `${a.entity_type} ${changes.map(label).join(", ")} changed` : `${a.entity_type} ${a.action}`;
  const where = a.campaign_id && names.get(a.campaign_id) ? ` · ${names.get(a.campaign_id)}` : "";
  return h("li", {}, `${what}${where} `, h("time", { datetime: a.created_at }, new Date(a.created_at).toLocaleTimeString()));
}

function renderCampaigns(page: Page<Campaign>) {
  const rows = page.data.map((c) => {
    const row = h(
      "tr",
      { "data-test": "campaign", "data-id": c.id, "data-name": c.name, class: selected?.id === c.id ? "selected" : "" },
      h("td", {}, c.name),
      h("td", {}, h("span", { class: `badge ${c.status}` }, c.status)),
      h("td", { "data-test": "campaign-leads" }, String(c.stats.total_leads)),
      h("td", {}, pct(c.stats.progress)),
      h("td", {}, pct(c.stats.response_rate)),
    );
    row.addEventListener("click", () => selectCampaign(c));
    return row;
  });
  $("campaigns").querySelector("tbody")!.replaceChildren(...rows);
  if (selected) selected = page.data.find((c) => c.id === selected!.id) ?? null;
  if (!selected) $("leads-panel").hidden = true;
}

function renderLeads(page: Page<Lead>) {
  const rows = page.data.map((l) => {
    const status = h("select", { "data-test": "lead-status", "aria-label": `status of ${l.name}` }, ...LEAD_STATUSES.map((s) => h("option", { value: s }, label(s)))) as HTMLSelectElement;
    status.value = l.status;
    status.addEventListener("change", async () => {
      try {
        await api.updateLead(l.id, { status: status.value as Lead["status"] }, l.version);
      } catch (e) {
        alert(e instanceof Error ? e.message : String(e));
      }
      // Our own change shows at once, live view or not.
      await qc.invalidateQueries({ queryKey: ["kandid"] });
    });
    return h("tr", { "data-test": "lead", "data-id": l.id }, h("td", { "data-test": "lead-name" }, l.name), h("td", {}, l.company ?? ""), h("td", {}, l.title ?? ""), h("td", {}, label(l.connection_status)), h("td", {}, status));
  });
  $("leads").querySelector("tbody")!.replaceChildren(...rows);
  $("leads-total").textContent = `${page.total} lead${page.total === 1 ? "" : "s"}`;
}

function showLeads() {
  leadsObserver?.();
  if (!selected) return;
  const filter: LeadFilter = { ...leadFilter, campaign_id: selected.id, limit: 200, sort: "name" };
  leadsObserver = watch(q.leads(filter), renderLeads);
}

function selectCampaign(c: Campaign) {
  selected = c;
  $("leads-panel").hidden = false;
  $("leads-title").textContent = `Leads of ${c.name}`;
  for (const row of $("campaigns").querySelectorAll<HTMLElement>("tbody tr")) row.classList.toggle("selected", row.dataset.id === c.id);
  showLeads();
}

async function start() {
  $("auth").hidden = true;
  $("home").hidden = false;
  $("signout").hidden = false;
  $("live-toggle").hidden = false;
  const me = await api.me().catch((e) => {
    if (e instanceof KandidError && e.status === 401) signOut();
    throw e;
  });
  $("workspace").textContent = me.workspace.name;
  socket = connect(location.origin, () => token ?? "");
  setConn("connecting");
  socket.on("connect_error", () => setConn("offline"));
  socket.on("session_expired", () => signOut());
  socket.on("session_revoked", () => signOut());
  // The cache reflects the log up to the dashboard's seq; the helper continues from there.
  const dash = await qc.fetchQuery(q.dashboard());
  sync = liveSync({ socket, queryClient: qc, since: dash.seq, onStatus: setConn });
  if (socket.connected) setConn(sync.status);
  const live = $<HTMLInputElement>("live");
  live.checked = true;
  cleanups = [watch(q.campaigns({ limit: 200, sort: "name" }), renderCampaigns), watch(q.dashboard(), renderMetrics)];
}

function signOut() {
  token = null;
  localStorage.removeItem(TOKEN_KEY);
  sync?.stop();
  socket?.close();
  sync = null;
  socket = null;
  cleanups.forEach((c) => c());
  leadsObserver?.();
  cleanups = [];
  leadsObserver = null;
  selected = null;
  qc.clear();
  setConn("offline");
  $("home").hidden = true;
  $("signout").hidden = true;
  $("live-toggle").hidden = true;
  $("workspace").textContent = "";
  $("auth").hidden = false;
}

function setupAuth() {
  let registering = false;
  const form = $<HTMLFormElement>("auth-form");
  $("auth-switch").addEventListener("click", () => {
    registering = !registering;
    $("name-row").hidden = !registering;
    $("auth-title").textContent = registering ? "Create an account" : "Sign in";
    $("auth-submit").textContent = registering ? "Create account" : "Sign in";
    $("auth-switch").textContent = registering ? "Sign in instead" : "Create an account instead";
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const email = String(data.get("email"));
    const password = String(data.get("password"));
    $("auth-error").textContent = "";
    try {
      const session = registering ? await api.register({ name: String(data.get("name") || email.split("@")[0]), email, password }) : await api.login({ email, password });
      token = session.token;
      localStorage.setItem(TOKEN_KEY, session.token);
      await start();
    } catch (e) {
      const problem = e instanceof KandidError ? e.problem : undefined;
      $("auth-error").textContent = problem?.errors?.map((f) => `${f.field}: ${f.message}`).join("; ") || (e instanceof Error ? e.message : String(e));
    }
  });
}

function setupControls() {
  const status = $<HTMLSelectElement>("lead-status");
  status.append(...LEAD_STATUSES.map((s) => h("option", { value: s }, label(s))));
  status.addEventListener("change", () => {
    leadFilter = { ...leadFilter, status: (status.value || undefined) as LeadFilter["status"] };
    showLeads();
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  $<HTMLInputElement>("lead-search").addEventListener("input", (ev) => {
    clearTimeout(timer);
    const text = (ev.target as HTMLInputElement).value.trim();
    timer = setTimeout(() => {
      leadFilter = { ...leadFilter, q: text || undefined };
      showLeads();
    }, 200);
  });
  $<HTMLInputElement>("live").addEventListener("change", (ev) => {
    void sync?.setLive((ev.target as HTMLInputElement).checked);
  });
  $("signout").addEventListener("click", signOut);
}

setupAuth();
setupControls();
if (token) start().catch(() => signOut());
else signOut();
