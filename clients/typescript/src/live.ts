// Live sync: applies kandid's events to a React Query cache with the contract's recovery
// recipe. It keeps the last seq applied; on every (re)connect, on a seq gap, when live
// view comes back on and when the browser comes back online it calls `sync` and applies
// what it missed in seq order; `reset` (too far behind) refetches everything. Entities are
// written with `setQueryData`; lists and stats are invalidated, so mounted queries refetch;
// the dashboard takes `dashboard_updated`'s metrics as they are.
// Only `QueryClient`'s type is used (from @tanstack/query-core, which @tanstack/react-query,
// vue-query, solid-query... all re-export), so nothing here pulls React in.
import type { QueryClient } from "@tanstack/query-core";
import { reconnectNow, type KandidSocket, type LogEvent, type DashboardUpdated } from "./events.js";
import type { Api, CampaignFilter, LeadFilter, ActivityFilter } from "./rest.js";

/** Query keys of everything the helper keeps current. */
export const kandidKeys = {
  all: ["kandid"] as const,
  campaigns: (filter: CampaignFilter = {}) => ["kandid", "campaigns", filter] as const,
  campaign: (id: string) => ["kandid", "campaign", id] as const,
  leads: (filter: LeadFilter = {}) => ["kandid", "leads", filter] as const,
  /** `useInfiniteQuery` pages of leads (keyset cursor); under `["kandid", "leads"]` too. */
  leadsInfinite: (filter: Omit<LeadFilter, "cursor"> = {}) => ["kandid", "leads", "infinite", filter] as const,
  lead: (id: string) => ["kandid", "lead", id] as const,
  dashboard: () => ["kandid", "dashboard"] as const,
  activities: (filter: ActivityFilter = {}) => ["kandid", "activities", filter] as const,
  members: () => ["kandid", "members"] as const,
  invitations: () => ["kandid", "invitations"] as const,
  workspaces: () => ["kandid", "workspaces"] as const,
};

/** `useQuery` options for the API, keyed as the helper expects. */
export function kandidQueries(api: Api) {
  return {
    campaigns: (filter: CampaignFilter = {}) => ({ queryKey: kandidKeys.campaigns(filter), queryFn: () => api.listCampaigns(filter) }),
    campaign: (id: string) => ({ queryKey: kandidKeys.campaign(id), queryFn: () => api.getCampaign(id) }),
    leads: (filter: LeadFilter = {}) => ({ queryKey: kandidKeys.leads(filter), queryFn: () => api.listLeads(filter) }),
    lead: (id: string) => ({ queryKey: kandidKeys.lead(id), queryFn: () => api.getLead(id) }),
    dashboard: () => ({ queryKey: kandidKeys.dashboard(), queryFn: () => api.dashboard() }),
    activities: (filter: ActivityFilter = {}) => ({ queryKey: kandidKeys.activities(filter), queryFn: () => api.activities(filter) }),
    members: () => ({ queryKey: kandidKeys.members(), queryFn: () => api.members() }),
    invitations: () => ({ queryKey: kandidKeys.invitations(), queryFn: () => api.invitations() }),
    workspaces: () => ({ queryKey: kandidKeys.workspaces(), queryFn: () => api.workspaces() }),
  };
}

export type LiveStatus = "connecting" | "live" | "paused" | "offline";

export interface LiveSyncOptions {
  socket: KandidSocket;
  queryClient: QueryClient;
  /**
   * The seq the cache already reflects (e.g. the dashboard's `seq` when it was fetched).
   * `"latest"`: start at the server's latest seq on the first connect and invalidate what
   * the cache holds (for a cache filled before, or never: a fresh sign-in).
   */
  since?: number | "latest";
  /** Every event, after it was applied to the cache. */
  onEvent?: (e: LogEvent) => void;
  onStatus?: (s: LiveStatus) => void;
  /** After a `reset`, once everything was invalidated. */
  onReset?: () => void;
  onError?: (e: unknown) => void;
}

export interface LiveSync {
  /** The last seq applied. */
  readonly seq: number;
  readonly status: LiveStatus;
  /** The live-view toggle: off stops delivery (subscriptions stay); on catches up first. */
  setLive(enabled: boolean): Promise<void>;
  /** Resolves once everything up to the server's latest seq at call time is applied. */
  catchUp(): Promise<void>;
  stop(): void;
}

/**
 * Applies one event to the cache. With `dashboard: false` the dashboard is left alone (a
 * live socket gets `dashboard_updated` with the new metrics; `liveSync` applies those).
 */
export function applyEvent(qc: QueryClient, e: LogEvent, options: { dashboard?: boolean } = {}): void {
  const stats = () => {
    void qc.invalidateQueries({ queryKey: ["kandid", "campaigns"] });
    if (options.dashboard !== false) void qc.invalidateQueries({ queryKey: kandidKeys.dashboard() });
    void qc.invalidateQueries({ queryKey: ["kandid", "activities"] });
  };
  switch (e.type) {
    case "campaigns_updated":
      if (e.id && e.data) qc.setQueryData(kandidKeys.campaign(e.id), e.data);
      if (e.id && e.action === "deleted") qc.removeQueries({ queryKey: kandidKeys.campaign(e.id), exact: true });
      stats();
      break;
    case "leads_updated":
      if (e.id && e.data) qc.setQueryData(kandidKeys.lead(e.id), e.data);
      if (e.id && e.action === "deleted") qc.removeQueries({ queryKey: kandidKeys.lead(e.id), exact: true });
      if (!e.id && e.action === "deleted") qc.removeQueries({ queryKey: ["kandid", "lead"], predicate: (q) => (q.state.data as { campaign_id?: string } | undefined)?.campaign_id === e.campaign_id });
      void qc.invalidateQueries({ queryKey: ["kandid", "leads"] });
      // A lead's change moves its campaign's stats (and both campaigns' when it moved).
      if (e.changes.includes("campaign_id")) void qc.invalidateQueries({ queryKey: ["kandid", "campaign"] });
      else if (e.campaign_id) void qc.invalidateQueries({ queryKey: kandidKeys.campaign(e.campaign_id) });
      stats();
      break;
    case "members_updated":
      void qc.invalidateQueries({ queryKey: kandidKeys.members() });
      // A new member may have accepted an open invitation (invitations are not events).
      if (e.action === "created") void qc.invalidateQueries({ queryKey: kandidKeys.invitations() });
      void qc.invalidateQueries({ queryKey: ["kandid", "activities"] });
      break;
  }
}

/** Keeps `queryClient` in step with the server over `socket` (which should hold the `workspace` room). */
export function liveSync(options: LiveSyncOptions): LiveSync {
  const { socket, queryClient: qc } = options;
  let seq = typeof options.since === "number" ? options.since : 0;
  let fromLatest = options.since === "latest";
  let live = true;
  let status: LiveStatus = socket.connected ? "live" : "connecting";
  let stopped = false;
  // Everything runs one step at a time, in arrival order: events, catch-ups, toggles.
  // Once stopped (sign-out, another workspace), steps still queued or awaiting an answer
  // touch nothing: the cache may already hold the next session's data.
  let chain: Promise<void> = Promise.resolve();
  const run = (step: () => Promise<void> | void): Promise<void> => {
    const next = chain.then(() => (stopped ? undefined : step())).catch((e) => {
      options.onError?.(e);
    });
    chain = next;
    return next;
  };
  const setStatus = (s: LiveStatus) => {
    if (s !== status) {
      status = s;
      options.onStatus?.(s);
    }
  };
  const apply = (e: LogEvent, replayed: boolean) => {
    if (stopped || e.seq <= seq) return;
    seq = e.seq;
    // Replayed events had their `dashboard_updated` while this socket was away.
    applyEvent(qc, e, { dashboard: replayed });
    options.onEvent?.(e);
  };

  async function sync(): Promise<void> {
    if (fromLatest && socket.connected) {
      const res = await socket.timeout(10_000).emitWithAck("live", { enabled: true });
      if (stopped) return;
      if (!res.ok) throw new Error(`live refused: ${res.error.code}`);
      fromLatest = false;
      seq = res.latest_seq;
      await qc.invalidateQueries({ queryKey: kandidKeys.all });
      return;
    }
    for (;;) {
      if (stopped || !socket.connected) return;
      const res = await socket.timeout(10_000).emitWithAck("sync", { since: seq, limit: 1000 });
      if (stopped) return;
      if (!res.ok) throw new Error(`sync refused: ${res.error.code}`);
      if (res.reset) {
        seq = res.latest_seq;
        await qc.invalidateQueries({ queryKey: kandidKeys.all });
        options.onReset?.();
        return;
      }
      for (const e of res.events) apply(e, true);
      if (!res.has_more) {
        // Complete up to latest_seq: the seqs in between belong to rooms this socket is not in.
        if (res.latest_seq > seq) seq = res.latest_seq;
        return;
      }
    }
  }

  const onLogEvent = (e: LogEvent) =>
    void run(async () => {
      if (!live || e.seq <= seq) return;
      if (e.seq !== seq + 1) await sync(); // a gap: fetch what is missing, in order
      apply(e, false);
    });
  const onDashboard = (d: DashboardUpdated) =>
    void run(() => {
      if (stopped || !live) return;
      // Coalesced metrics may be overtaken by a refetch that reflects a later seq.
      const cached = qc.getQueryData<{ seq?: number }>(kandidKeys.dashboard());
      if (cached?.seq !== undefined && d.metrics.seq !== undefined && d.metrics.seq < cached.seq) return;
      qc.setQueryData(kandidKeys.dashboard(), d.metrics);
    });
  const onConnect = () =>
    void run(async () => {
      if (!live) {
        await socket.timeout(10_000).emitWithAck("live", { enabled: false });
        setStatus("paused");
        return;
      }
      await sync();
      if (stopped) return;
      setStatus("live");
      // Queries that failed while the server was unreachable (with `staleTime: Infinity`
      // React Query's own refetch-on-reconnect does nothing).
      await qc.refetchQueries({ queryKey: kandidKeys.all, type: "active", predicate: (q) => q.state.status === "error" });
    });
  const onDisconnect = () => setStatus("offline");
  // Back online: a socket still "connected" may sit on a dead transport until its ping
  // timeout. Ask for what was missed; no answer within 2 s means reconnect now.
  const onOnline = () =>
    void run(async () => {
      if (!socket.connected || !live) return;
      try {
        await socket.timeout(2_000).emitWithAck("live", { enabled: true });
      } catch {
        reconnectNow(socket);
        return;
      }
      await sync();
    });
  const target = globalThis as { addEventListener?: (t: string, f: () => void) => void; removeEventListener?: (t: string, f: () => void) => void };
  target.addEventListener?.("online", onOnline);

  socket.on("campaigns_updated", onLogEvent);
  socket.on("leads_updated", onLogEvent);
  socket.on("members_updated", onLogEvent);
  socket.on("dashboard_updated", onDashboard);
  socket.on("connect", onConnect);
  socket.on("disconnect", onDisconnect);
  if (socket.connected) onConnect();

  return {
    get seq() {
      return seq;
    },
    get status() {
      return status;
    },
    setLive(enabled: boolean) {
      return run(async () => {
        live = enabled;
        if (!socket.connected) return;
        const res = await socket.timeout(10_000).emitWithAck("live", { enabled });
        if (stopped) return;
        if (!res.ok) throw new Error(`live refused: ${res.error.code}`);
        if (enabled) {
          await sync();
          if (stopped) return;
          await qc.invalidateQueries({ queryKey: kandidKeys.dashboard() });
          setStatus("live");
        } else {
          setStatus("paused");
        }
      });
    },
    catchUp() {
      return run(sync);
    },
    stop() {
      stopped = true;
      socket.off("campaigns_updated", onLogEvent);
      socket.off("leads_updated", onLogEvent);
      socket.off("members_updated", onLogEvent);
      socket.off("dashboard_updated", onDashboard);
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
      target.removeEventListener?.("online", onOnline);
    },
  };
}
