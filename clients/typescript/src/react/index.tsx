// React bindings (`@kandid/client/react`): a provider that owns the client, its socket and
// live sync across sign-in, sign-out and token changes, and hooks over React Query 5 with
// the kit's query keys. React and @tanstack/react-query are the app's own (optional peers).
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import {
  QueryClientProvider,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
  type UseQueryOptions,
} from "@tanstack/react-query";
import { KandidClient, type ClientStatus, type KandidClientEvents, type KandidClientOptions } from "../client.js";
import { kandidKeys, kandidQueries } from "../live.js";
import {
  ConflictError,
  KandidError,
  type ActivityFilter,
  type Api,
  type CreatedInvitation,
  type Member,
  type BodyOf,
  type Campaign,
  type CampaignFilter,
  type Lead,
  type LeadFilter,
  type Page,
  type Session,
} from "../rest.js";
import type { operations } from "../schema.js";

export { kandidKeys, kandidQueries } from "../live.js";
export { ConflictError, KandidError, errorMessage } from "../rest.js";
export { KandidClient } from "../client.js";

const ClientContext = createContext<KandidClient | null>(null);

export interface KandidProviderProps extends Omit<KandidClientOptions, "queryClient"> {
  /** The React Query cache the hooks read and live sync keeps current. */
  queryClient: QueryClient;
  /** A client made elsewhere (e.g. to use outside React too); it must have the same `queryClient`. */
  client?: KandidClient;
  /** The session ended without the app asking (expired and not refreshable, or revoked). */
  onSessionEnd?: (reason: "session_expired" | "session_revoked") => void;
  children?: ReactNode;
}

/**
 * Owns one `KandidClient` for its lifetime: the socket opens on mount while signed in,
 * follows every token change (sign-in, refresh, sign-out) and closes on unmount. StrictMode's
 * mount–unmount–mount only closes and reopens the socket.
 */
export function KandidProvider({ queryClient, client: given, onSessionEnd, children, ...options }: KandidProviderProps) {
  const [client] = useState(() => given ?? new KandidClient({ ...options, queryClient }));
  const onEnd = useRef(onSessionEnd);
  onEnd.current = onSessionEnd;
  useEffect(() => {
    client.start();
    const offs = [
      client.on("session_expired", () => onEnd.current?.("session_expired")),
      client.on("session_revoked", () => onEnd.current?.("session_revoked")),
    ];
    return () => {
      offs.forEach((off) => off());
      client.stop();
    };
  }, [client]);
  return (
    <QueryClientProvider client={queryClient}>
      <ClientContext.Provider value={client}>{children}</ClientContext.Provider>
    </QueryClientProvider>
  );
}

/** The provider's client. */
export function useKandid(): KandidClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error("useKandid: no <KandidProvider> above this component");
  return client;
}

/** The typed REST API, authenticated with the current token. */
export function useApi(): Api {
  return useKandid().api;
}

function useClientValue<T>(events: (keyof KandidClientEvents)[], read: (c: KandidClient) => T): T {
  const client = useKandid();
  const subscribe = useCallback(
    (cb: () => void) => {
      const offs = events.map((e) => client.on(e, cb));
      return () => offs.forEach((off) => off());
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client, events.join()],
  );
  return useSyncExternalStore(subscribe, () => read(client), () => read(client));
}

/** Listens to one of the client's events (e.g. `session_revoked`) while mounted. */
export function useKandidEvent<K extends keyof KandidClientEvents>(event: K, handler: KandidClientEvents[K]): void {
  const client = useKandid();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => client.on(event, ((...args: unknown[]) => (ref.current as (...a: unknown[]) => void)(...args)) as KandidClientEvents[K]), [client, event]);
}

export interface SessionState {
  token: string | null;
  signedIn: boolean;
  user: Session["user"] | null;
  workspace: Session["workspace"] | null;
  signIn: KandidClient["signIn"];
  register: KandidClient["register"];
  /** Joins an invitation's workspace (its token) and switches to it. */
  acceptInvitation: KandidClient["acceptInvitation"];
  /** Switches to another of the person's workspaces. */
  switchWorkspace: KandidClient["switchWorkspace"];
  signOut: () => Promise<void>;
}

/** Who is signed in, and the actions that change it. A stored token is checked with `me`. */
export function useSession(): SessionState {
  const client = useKandid();
  const token = useClientValue(["token"], (c) => c.token);
  const session = useClientValue(["session", "token"], (c) => c.session);
  useEffect(() => {
    if (token && !client.session) client.me().catch(() => {});
  }, [client, token]);
  return {
    token,
    signedIn: token !== null,
    user: session?.user ?? null,
    workspace: session?.workspace ?? null,
    signIn: useCallback((b) => client.signIn(b), [client]),
    register: useCallback((b) => client.register(b), [client]),
    acceptInvitation: useCallback((t) => client.acceptInvitation(t), [client]),
    switchWorkspace: useCallback((id) => client.switchWorkspace(id), [client]),
    signOut: useCallback(() => client.signOut(), [client]),
  };
}

export interface ConnectionState {
  /** `connecting | live | paused | offline | signed_out`. */
  status: ClientStatus;
  /** The live-view toggle. */
  live: boolean;
  setLive: (enabled: boolean) => Promise<void>;
}

/** The socket's state and the live-view toggle. */
export function useConnection(): ConnectionState {
  const client = useKandid();
  const status = useClientValue(["status"], (c) => c.status);
  const live = useClientValue(["live"], (c) => c.live);
  return { status, live, setLive: useCallback((on: boolean) => client.setLive(on), [client]) };
}

type Extra<T> = Omit<UseQueryOptions<T, KandidError>, "queryKey" | "queryFn">;

function useSignedIn(): boolean {
  return useClientValue(["token"], (c) => c.token !== null);
}

/** A page of campaigns (with their stats, which move with `leads_updated` too). */
export function useCampaigns(filter: CampaignFilter = {}, options: Extra<Page<Campaign>> = {}) {
  const api = useApi();
  const signedIn = useSignedIn();
  return useQuery<Page<Campaign>, KandidError>({ ...kandidQueries(api).campaigns(filter), ...options, enabled: signedIn && (options.enabled ?? true) });
}

/** One campaign, its sequence and stats. */
export function useCampaign(id: string | undefined, options: Extra<Campaign> = {}) {
  const api = useApi();
  const signedIn = useSignedIn();
  return useQuery<Campaign, KandidError>({
    queryKey: kandidKeys.campaign(id ?? ""),
    queryFn: () => api.getCampaign(id!),
    ...options,
    enabled: signedIn && !!id && (options.enabled ?? true),
  });
}

/** One lead. */
export function useLead(id: string | undefined, options: Extra<Lead> = {}) {
  const api = useApi();
  const signedIn = useSignedIn();
  return useQuery<Lead, KandidError>({
    queryKey: kandidKeys.lead(id ?? ""),
    queryFn: () => api.getLead(id!),
    ...options,
    enabled: signedIn && !!id && (options.enabled ?? true),
  });
}

/** How many times a next page is asked for again after a refetch overtook the request. */
const NEXT_PAGE_TRIES = 5;

/**
 * Leads page by page along the keyset cursor (`next_cursor`), with filters and `q`.
 * `leads` is every page loaded so far, flat; `fetchNextPage()` loads the next, even when
 * live sync refetches the list meanwhile (going live, a change by someone else): the
 * refetch's newer data and the page asked for are both shown.
 */
export function useLeads(filter: Omit<LeadFilter, "cursor"> = {}) {
  const api = useApi();
  const signedIn = useSignedIn();
  const qc = useQueryClient();
  const queryKey = kandidKeys.leadsInfinite(filter);
  const q = useInfiniteQuery<Page<Lead>, KandidError, InfiniteData<Page<Lead>, string | null>, ReturnType<typeof kandidKeys.leadsInfinite>, string | null>({
    queryKey,
    queryFn: ({ pageParam }) => api.listLeads({ ...filter, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: null,
    getNextPageParam: (last) => last.next_cursor,
    enabled: signedIn,
  });
  // React Query lets a refetch and a next-page fetch of one query cancel each other: a
  // refetch (an invalidation) cancels the next page on its way, and a next page asked for
  // during a refetch cancels the refetch and loads on top of the older pages. So the next
  // page never cancels anything: it waits for a fetch on its way, and is asked for again
  // until there is one page more than when it was asked for (or no next page).
  const observerNext = q.fetchNextPage;
  const hash = JSON.stringify(queryKey);
  const fetchNextPage = useCallback(
    async (options?: Parameters<typeof observerNext>[0]) => {
      const loaded = () => qc.getQueryData<InfiniteData<Page<Lead>>>(JSON.parse(hash))?.pages.length ?? 0;
      const want = loaded() + 1;
      let result = await observerNext({ ...options, cancelRefetch: false });
      for (let i = 1; i < NEXT_PAGE_TRIES && loaded() < want && result.hasNextPage && !result.isError; i++) {
        result = await observerNext({ ...options, cancelRefetch: false });
      }
      return result;
    },
    [qc, hash, observerNext],
  );
  // Added to the result rather than spread: spreading would read (and so track) every
  // property, re-rendering on each change of any of them.
  const pages = q.data?.pages;
  const leads = useMemo(() => pages?.flatMap((p) => p.data) ?? [], [pages]);
  return Object.assign(q, { leads, total: pages?.[0]?.total, fetchNextPage });
}

/** The dashboard's metrics; live, `dashboard_updated` replaces them with no refetch. */
export function useDashboard() {
  const api = useApi();
  const signedIn = useSignedIn();
  return useQuery({ ...kandidQueries(api).dashboard(), enabled: signedIn });
}

/** The activity feed (newest first). */
export function useActivity(filter: ActivityFilter = {}) {
  const api = useApi();
  const signedIn = useSignedIn();
  return useQuery({ ...kandidQueries(api).activities(filter), enabled: signedIn });
}

/** The workspace's members (any role may read them); live, they follow `members_updated`. */
export function useMembers() {
  const api = useApi();
  const signedIn = useSignedIn();
  return useQuery({ ...kandidQueries(api).members(), enabled: signedIn });
}

/**
 * The workspace's open invitations, for owners and admins (others get 403: pass
 * `{ enabled: false }` for them). An accepted one leaves the list with its `members_updated`.
 */
export function useInvitations(options: { enabled?: boolean } = {}) {
  const api = useApi();
  const signedIn = useSignedIn();
  return useQuery({ ...kandidQueries(api).invitations(), enabled: signedIn && (options.enabled ?? true) });
}

/** The workspaces the signed-in person belongs to (to switch between them). */
export function useWorkspaces() {
  const api = useApi();
  const signedIn = useSignedIn();
  return useQuery({ ...kandidQueries(api).workspaces(), enabled: signedIn });
}

type Members = { data: Member[] };

/** Changes a member's role (`{ userId, role }`); the list shows it at once. */
export function useUpdateMember() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation<Member, KandidError, { userId: string; role: Member["role"] }>({
    mutationFn: ({ userId, role }) => api.updateMember(userId, { role }),
    onSuccess: (m) => {
      qc.setQueryData<Members>(kandidKeys.members(), (old) => old && { ...old, data: old.data.map((x) => (x.user_id === m.user_id ? m : x)) });
    },
  });
}

/** Removes a member (or, for oneself, leaves); the list drops them at once. */
export function useRemoveMember() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation<void, KandidError, { userId: string }>({
    mutationFn: ({ userId }) => api.removeMember(userId),
    onSuccess: (_, { userId }) => {
      qc.setQueryData<Members>(kandidKeys.members(), (old) => old && { ...old, data: old.data.filter((x) => x.user_id !== userId) });
    },
  });
}

/** Invites an e-mail with a role; the answer's `token` is what the invitee needs (shown only now). */
export function useCreateInvitation() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation<CreatedInvitation, KandidError, BodyOf<operations["create_invitation"]>>({
    mutationFn: (body) => api.createInvitation(body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: kandidKeys.invitations() }),
  });
}

/** Withdraws an open invitation; the list drops it at once. */
export function useDeleteInvitation() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation<void, KandidError, { id: string }>({
    mutationFn: ({ id }) => api.deleteInvitation(id),
    onSuccess: (_, { id }) => {
      qc.setQueryData<{ data: { id: string }[] }>(kandidKeys.invitations(), (old) => old && { ...old, data: old.data.filter((x) => x.id !== id) });
    },
  });
}

// ---- Mutations: optimistic, with If-Match from the cached version, rollback, typed 412.

type Entity = { id: string; version: number };
type Lists = [readonly unknown[], unknown][];

/** Applies `fn` to the entity `id` wherever a list (a page, or infinite pages) holds it. */
function mapLists<T extends Entity>(qc: QueryClient, prefix: readonly unknown[], id: string, fn: (e: T) => T | null): Lists {
  const before = qc.getQueriesData({ queryKey: prefix });
  const page = (p: Page<T>): Page<T> => {
    if (!p.data.some((e) => e.id === id)) return p;
    const data = p.data.flatMap((e) => (e.id === id ? (x => (x ? [x] : []))(fn(e)) : [e]));
    return { ...p, data, total: p.total - (p.data.length - data.length) };
  };
  qc.setQueriesData({ queryKey: prefix }, (old: unknown) => {
    if (!old || typeof old !== "object") return old;
    if ("pages" in old) {
      const inf = old as InfiniteData<Page<T>>;
      return { ...inf, pages: inf.pages.map(page) };
    }
    if ("data" in old && Array.isArray((old as Page<T>).data)) return page(old as Page<T>);
    return old;
  });
  return before as Lists;
}

type Snapshot = { entity: unknown; lists: Lists };

function restore(qc: QueryClient, key: readonly unknown[], snap: Snapshot | undefined) {
  if (!snap) return;
  qc.setQueryData(key, snap.entity);
  for (const [k, v] of snap.lists) qc.setQueryData(k, v);
}

function showCurrent<T extends Entity>(qc: QueryClient, kind: { key: (id: string) => readonly unknown[]; lists: readonly unknown[] }, id: string, current: T) {
  qc.setQueryData(kind.key(id), current);
  mapLists<T>(qc, kind.lists, id, () => current);
}

/** Variables of an update: the entity, its changes, and (else the cached one) the version they apply to. */
export type UpdateVars<Body> = { id: string; patch: Body; version?: number };
export type DeleteVars = { id: string; version?: number };

type Kind<T, Body> = {
  key: (id: string) => readonly unknown[];
  lists: readonly unknown[];
  get: (api: Api, id: string) => Promise<T>;
  update: (api: Api, id: string, body: Body, version?: number) => Promise<T>;
  remove: (api: Api, id: string, version?: number) => Promise<void>;
};

/** What both kinds of write need: the API, the cache, the cached version, the 412 turned into `ConflictError<T>`. */
function useWriteTools<T extends Entity, Body>(kind: Kind<T, Body>) {
  const api = useApi();
  const qc = useQueryClient();
  // The version on screen: the entity's own query, else a list that holds it.
  const cachedVersion = (id: string): number | undefined => {
    const own = qc.getQueryData<T>(kind.key(id))?.version;
    if (own !== undefined) return own;
    for (const [, data] of qc.getQueriesData<Page<T> | InfiniteData<Page<T>>>({ queryKey: kind.lists })) {
      const pages = !data ? [] : "pages" in data ? data.pages : [data];
      for (const p of pages) {
        const hit = p?.data?.find((e) => e.id === id);
        if (hit) return hit.version;
      }
    }
    return undefined;
  };
  const conflict = async (e: unknown, id: string) => {
    if (e instanceof ConflictError) {
      const current = await kind.get(api, id).catch(() => undefined);
      if (current) qc.setQueryData(kind.key(id), current);
      throw new ConflictError<T>(e.problem, current);
    }
    throw e;
  };
  return { api, qc, cachedVersion, conflict };
}

function useEntityUpdate<T extends Entity, Body extends object>(kind: Kind<T, Body>) {
  const { api, qc, cachedVersion, conflict } = useWriteTools(kind);
  return useMutation<T, KandidError, UpdateVars<Body>, Snapshot>({
    mutationFn: ({ id, patch, version }) => kind.update(api, id, patch, version ?? cachedVersion(id)).catch((e) => conflict(e, id)),
    onMutate: async ({ id, patch }) => {
      await qc.cancelQueries({ queryKey: kind.key(id) });
      const entity = qc.getQueryData(kind.key(id));
      // The version stays the one read: it is what If-Match sends.
      if (entity) qc.setQueryData(kind.key(id), { ...(entity as T), ...patch });
      const lists = mapLists<T>(qc, kind.lists, id, (e) => ({ ...e, ...patch }));
      return { entity, lists };
    },
    onError: (e, { id }, snap) => {
      restore(qc, kind.key(id), snap);
      // The conflict's current state replaces the rolled-back copy, in the lists too.
      if (e instanceof ConflictError && e.current) showCurrent(qc, kind, id, e.current as T);
    },
    onSuccess: (saved) => {
      qc.setQueryData(kind.key(saved.id), saved);
      mapLists<T>(qc, kind.lists, saved.id, () => saved);
    },
  });
}

function useEntityDelete<T extends Entity, Body>(kind: Kind<T, Body>) {
  const { api, qc, cachedVersion, conflict } = useWriteTools(kind);
  return useMutation<void, KandidError, DeleteVars, Snapshot>({
    mutationFn: ({ id, version }) => kind.remove(api, id, version ?? cachedVersion(id)).catch((e) => conflict(e, id)),
    onMutate: async ({ id }) => {
      await qc.cancelQueries({ queryKey: kind.key(id) });
      const entity = qc.getQueryData(kind.key(id));
      const lists = mapLists<T>(qc, kind.lists, id, () => null);
      return { entity, lists };
    },
    onError: (e, { id }, snap) => {
      restore(qc, kind.key(id), snap);
      if (e instanceof ConflictError && e.current) showCurrent(qc, kind, id, e.current as T);
    },
    onSuccess: (_, { id }) => qc.removeQueries({ queryKey: kind.key(id), exact: true }),
  });
}

const leadKind = {
  key: kandidKeys.lead,
  lists: ["kandid", "leads"] as const,
  get: (api: Api, id: string) => api.getLead(id),
  update: (api: Api, id: string, body: BodyOf<operations["patch_lead"]>, v?: number) => api.updateLead(id, body, v),
  remove: (api: Api, id: string, v?: number) => api.deleteLead(id, v),
};
const campaignKind = {
  key: kandidKeys.campaign,
  lists: ["kandid", "campaigns"] as const,
  get: (api: Api, id: string) => api.getCampaign(id),
  update: (api: Api, id: string, body: BodyOf<operations["patch_campaign"]>, v?: number) => api.updateCampaign(id, body, v),
  remove: (api: Api, id: string, v?: number) => api.deleteCampaign(id, v),
};

/**
 * Changes a lead: shown at once in the lead and every list holding it, sent with `If-Match`
 * (the cached version), rolled back on error. A 412 fails with `ConflictError<Lead>`
 * whose `current` is the lead as it now is (also put in the cache).
 */
export function useUpdateLead() {
  return useEntityUpdate<Lead, BodyOf<operations["patch_lead"]>>(leadKind);
}
/** Deletes a lead: gone from the lists at once, `If-Match`, rollback, `ConflictError<Lead>` on 412. */
export function useDeleteLead() {
  return useEntityDelete<Lead, BodyOf<operations["patch_lead"]>>(leadKind);
}
/** Changes a campaign (name, status, sequence...): optimistic, `If-Match`, rollback, `ConflictError<Campaign>`. */
export function useUpdateCampaign() {
  return useEntityUpdate<Campaign, BodyOf<operations["patch_campaign"]>>(campaignKind);
}
/** Deletes a campaign (and its leads): optimistic, `If-Match`, rollback, `ConflictError<Campaign>`. */
export function useDeleteCampaign() {
  return useEntityDelete<Campaign, BodyOf<operations["patch_campaign"]>>(campaignKind);
}

/** Creates a lead; the lists refetch (live sync invalidates them too). */
export function useCreateLead() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation<Lead, KandidError, BodyOf<operations["create_lead"]>>({
    mutationFn: (body) => api.createLead(body),
    onSuccess: (lead) => {
      qc.setQueryData(kandidKeys.lead(lead.id), lead);
      void qc.invalidateQueries({ queryKey: ["kandid", "leads"] });
      void qc.invalidateQueries({ queryKey: ["kandid", "campaigns"] });
    },
  });
}

/** Creates a campaign; the lists refetch. */
export function useCreateCampaign() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation<Campaign, KandidError, BodyOf<operations["create_campaign"]>>({
    mutationFn: (body) => api.createCampaign(body),
    onSuccess: (c) => {
      qc.setQueryData(kandidKeys.campaign(c.id), c);
      void qc.invalidateQueries({ queryKey: ["kandid", "campaigns"] });
    },
  });
}
