// A thin typed wrapper over fetch for kandid's REST API. Every type comes from
// src/schema.ts, which openapi-typescript generates from openapi/openapi.json.
import type { components, operations } from "./schema.js";

export type Schemas = components["schemas"];
export type Campaign = Schemas["CampaignView"];
export type Lead = Schemas["LeadView"];
export type Dashboard = Schemas["DashboardView"];
export type Activity = Schemas["ActivityView"];
export type Member = Schemas["MemberView"];
export type Event = Schemas["EventView"];
export type Session = Schemas["Session"];
export type Problem = Schemas["Problem"];
export type CampaignStatus = Campaign["status"];
export type LeadStatus = Lead["status"];
export type ConnectionStatus = Lead["connection_status"];

type JsonOf<R> = R extends { content: { "application/json": infer B } } ? B : void;
/** The success body of an operation (200 or 201; `void` for 204). */
export type Ok<Op> = Op extends { responses: { 200: infer R } }
  ? JsonOf<R>
  : Op extends { responses: { 201: infer R } }
    ? JsonOf<R>
    : void;
/** The query parameters of an operation. */
export type QueryOf<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
/** The JSON body of an operation. */
export type BodyOf<Op> = Op extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

export type CampaignFilter = QueryOf<operations["list_campaigns"]>;
export type LeadFilter = QueryOf<operations["list_leads"]>;
export type ActivityFilter = QueryOf<operations["list_activities"]>;
export type Page<T> = { data: T[]; next_cursor: string | null; total: number };

/** A refused request: the server's problem+json, with its status. */
export class KandidError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;
  constructor(status: number, problem: Problem | undefined) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = "KandidError";
    this.status = status;
    this.problem = problem;
  }
  get code(): string | undefined {
    return this.problem?.code;
  }
}

export interface ApiOptions {
  /** The server, e.g. `http://localhost:8080` (empty: the page's own origin). */
  baseUrl?: string;
  /** The access token, or a function returning the current one. */
  token?: string | (() => string | undefined | null);
  fetch?: typeof fetch;
}

function query(params: object | undefined): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

export type Api = ReturnType<typeof createApi>;

/** The REST API as typed functions. Refusals throw `KandidError`. */
export function createApi(options: ApiOptions = {}) {
  const base = (options.baseUrl ?? "").replace(/\/$/, "");
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const token = () => (typeof options.token === "function" ? options.token() : options.token);

  async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const h: Record<string, string> = { accept: "application/json", ...headers };
    const t = token();
    if (t) h.authorization = `Bearer ${t}`;
    if (body !== undefined) h["content-type"] = "application/json";
    const res = await doFetch(`${base}${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) throw new KandidError(res.status, json as Problem | undefined);
    return json as T;
  }
  const ifMatch = (version?: number): Record<string, string> => (version === undefined ? {} : { "if-match": `"${version}"` });

  return {
    call,
    register: (body: BodyOf<operations["register"]>) => call<Session>("POST", "/api/auth/register", body),
    login: (body: BodyOf<operations["login"]>) => call<Session>("POST", "/api/auth/login", body),
    me: () => call<Ok<operations["me"]>>("GET", "/api/auth/me"),

    listCampaigns: (filter?: CampaignFilter) => call<Page<Campaign>>("GET", `/api/campaigns${query(filter)}`),
    getCampaign: (id: string) => call<Campaign>("GET", `/api/campaigns/${id}`),
    createCampaign: (body: BodyOf<operations["create_campaign"]>) => call<Campaign>("POST", "/api/campaigns", body),
    updateCampaign: (id: string, body: BodyOf<operations["patch_campaign"]>, version?: number) =>
      call<Campaign>("PATCH", `/api/campaigns/${id}`, body, ifMatch(version)),
    deleteCampaign: (id: string, version?: number) => call<void>("DELETE", `/api/campaigns/${id}`, undefined, ifMatch(version)),

    listLeads: (filter?: LeadFilter) => call<Page<Lead>>("GET", `/api/leads${query(filter)}`),
    getLead: (id: string) => call<Lead>("GET", `/api/leads/${id}`),
    createLead: (body: BodyOf<operations["create_lead"]>) => call<Lead>("POST", "/api/leads", body),
    updateLead: (id: string, body: BodyOf<operations["patch_lead"]>, version?: number) =>
      call<Lead>("PATCH", `/api/leads/${id}`, body, ifMatch(version)),
    deleteLead: (id: string, version?: number) => call<void>("DELETE", `/api/leads/${id}`, undefined, ifMatch(version)),

    dashboard: () => call<Dashboard>("GET", "/api/dashboard"),
    activities: (filter?: ActivityFilter) => call<Page<Activity>>("GET", `/api/activities${query(filter)}`),
    members: () => call<Ok<operations["list_members"]>>("GET", "/api/workspace/members"),
    events: (since: number, limit?: number) => call<Ok<operations["list_events"]>>("GET", `/api/events${query({ since, limit })}`),
  };
}
