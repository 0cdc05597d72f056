// A thin typed wrapper over fetch for kandid's REST API. Every type comes from
// src/schema.ts, which openapi-typescript generates from openapi/openapi.json.
import type { components, operations } from "./schema.js";
import type { LogEvent } from "./events.js";

export type Schemas = components["schemas"];
export type Campaign = Schemas["CampaignView"];
export type Lead = Schemas["LeadView"];
export type Dashboard = Schemas["DashboardView"];
export type Activity = Schemas["ActivityView"];
export type Member = Schemas["MemberView"];
export type Role = Member["role"];
/** An open invitation (without its token). */
export type Invitation = Schemas["InvitationView"];
/** A new invitation, with the token to hand to the invitee (shown only once). */
export type CreatedInvitation = Schemas["CreatedInvitation"];
/** A workspace the signed-in person belongs to, with their role there. */
export type Membership = Schemas["MembershipView"];
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
export type EventsPage = Omit<Schemas["EventsResponse"], "data"> & { data: LogEvent[] };
export type Page<T> = { data: T[]; next_cursor: string | null; total: number };

/** The access token, or a function returning the current one (`createApi` and `connect` take both). */
export type TokenProvider = string | null | undefined | (() => string | null | undefined);

/** The current value of a token provider. */
export function currentToken(token: TokenProvider): string | null {
  return (typeof token === "function" ? token() : token) ?? null;
}

/**
 * A refused request: the server's problem+json, with its status. `message` (= `detail`) is
 * meant for people; `code` is for programs. Status 0 (`code` `network`): the server was not
 * reached.
 */
export class KandidError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;
  /** A short headline for people, e.g. "Validation failed". */
  readonly title: string;
  /** A sentence for people, e.g. "wrong e-mail or password"; also `message`. */
  readonly detail: string;
  constructor(status: number, problem: Problem | undefined, human?: { title?: string; detail?: string }) {
    const title = human?.title ?? problem?.title ?? (status === 0 ? "Network error" : `HTTP ${status}`);
    const detail = human?.detail ?? fieldDetail(problem) ?? problem?.detail ?? title;
    super(detail);
    this.name = "KandidError";
    this.status = status;
    this.problem = problem;
    this.title = title;
    this.detail = detail;
  }
  get code(): string | undefined {
    return this.problem?.code ?? (this.status === 0 ? "network" : undefined);
  }
  /** The invalid fields of a 422, by field name. */
  get fieldErrors(): Record<string, string> {
    return Object.fromEntries((this.problem?.errors ?? []).map((f) => [f.field, f.message]));
  }
}

/**
 * 412 on a write with `If-Match`: someone else changed the entity since it was read.
 * The React mutation hooks fill `current` with the entity as it now is.
 */
export class ConflictError<T = unknown> extends KandidError {
  current: T | undefined;
  constructor(problem: Problem | undefined, current?: T) {
    super(412, problem, { title: "Changed by someone else", detail: "someone else changed this in the meantime; your changes were not saved" });
    this.name = "ConflictError";
    this.current = current;
  }
}

/** A 422's invalid fields as one sentence ("name: must not be empty; email: not an e-mail address"). */
function fieldDetail(p: Problem | undefined): string | undefined {
  if (!p?.errors?.length) return undefined;
  return p.errors.map((f) => `${f.field}: ${f.message}`).join("; ");
}

/** What to show a person for any error a call may throw. */
export function errorMessage(e: unknown): string {
  if (e instanceof KandidError) return e.detail;
  if (e instanceof Error) return e.message;
  return String(e);
}

export interface ApiOptions {
  /** The server, e.g. `http://localhost:8080` (empty: the page's own origin). */
  baseUrl?: string;
  /** The access token, or a function returning the current one. */
  token?: TokenProvider;
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
  const token = () => currentToken(options.token);

  async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const h: Record<string, string> = { accept: "application/json", ...headers };
    const t = token();
    if (t) h.authorization = `Bearer ${t}`;
    if (body !== undefined) h["content-type"] = "application/json";
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new KandidError(0, undefined, { detail: `the server cannot be reached (${e instanceof Error ? e.message : String(e)})` });
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const problem = json as Problem | undefined;
      if (res.status === 412) throw new ConflictError(problem);
      throw new KandidError(res.status, problem, human(method, path, res.status, problem));
    }
    return json as T;
  }
  // Titles and details for people on the paths whose cause is known (the server's own detail
  // for a failed sign-in, "wrong e-mail or password", is kept under this title).
  const human = (method: string, path: string, status: number, p: Problem | undefined) => {
    if (method === "POST" && path === "/api/auth/login" && status === 401) return { title: "Sign-in failed", detail: "wrong e-mail or password" };
    if (method === "POST" && path === "/api/auth/refresh" && status === 401) return { title: "Session ended", detail: "your session has ended; sign in again" };
    if (status === 401) return { title: "Signed out", detail: "your session has ended or is not valid; sign in again" };
    if (status === 429 && p) return { title: "Too many attempts", detail: p.detail };
    return undefined;
  };
  const ifMatch = (version?: number): Record<string, string> => (version === undefined ? {} : { "if-match": `"${version}"` });

  return {
    call,
    register: (body: BodyOf<operations["register"]>) => call<Session>("POST", "/api/auth/register", body),
    login: (body: BodyOf<operations["login"]>) => call<Session>("POST", "/api/auth/login", body),
    /** A fresh session token for the current one (contract §3), before it expires. */
    refresh: () => call<Session>("POST", "/api/auth/refresh"),
    /** Ends the token's sign-in session on the server: its tokens (refreshed and switched
     * ones too) and sockets stop working. An integration token gets 403. */
    logout: () => call<void>("POST", "/api/auth/logout"),
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
    /** A member's new role (owner/admin; only an owner changes an owner or makes one). */
    updateMember: (userId: string, body: BodyOf<operations["patch_member"]>) => call<Member>("PATCH", `/api/workspace/members/${userId}`, body),
    /** Removes a member (owner/admin), or leaves (oneself). */
    removeMember: (userId: string) => call<void>("DELETE", `/api/workspace/members/${userId}`),
    /** Open invitations (owner/admin), without their tokens. */
    invitations: () => call<Ok<operations["list_invitations"]>>("GET", "/api/workspace/invitations"),
    /** Invites an e-mail with a role (owner/admin); the token in the answer is for the invitee. */
    createInvitation: (body: BodyOf<operations["create_invitation"]>) => call<CreatedInvitation>("POST", "/api/workspace/invitations", body),
    /** Withdraws an open invitation. */
    deleteInvitation: (id: string) => call<void>("DELETE", `/api/workspace/invitations/${id}`),
    /** Joins the invitation's workspace: a session for that workspace (`KandidClient.acceptInvitation` switches to it). */
    acceptInvitation: (body: BodyOf<operations["accept_invitation"]>) => call<Session>("POST", "/api/invitations/accept", body),
    /** The workspaces the signed-in person belongs to. */
    workspaces: () => call<Ok<operations["workspaces"]>>("GET", "/api/auth/workspaces"),
    /** A session for another of the person's workspaces (`KandidClient.switchWorkspace` switches to it). */
    switchWorkspace: (body: BodyOf<operations["switch"]>) => call<Session>("POST", "/api/auth/switch", body),
    /** The log after `since`; `data` typed by event name (the OpenAPI schema leaves it an untyped object). */
    events: (since: number, limit?: number) => call<EventsPage>("GET", `/api/events${query({ since, limit })}`),
  };
}
