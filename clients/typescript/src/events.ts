// Socket.IO event maps for socket.io-client's generics (`Socket<ServerEvents, ClientEvents>`),
// as openapi/asyncapi.yaml documents them.
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import { currentToken, type Campaign, type Dashboard, type Event, type Lead, type Member, type TokenProvider } from "./rest.js";
import type { AckErrorCode } from "./codes.js";

export type { AckErrorCode, ConnectErrorCode } from "./codes.js";

type Typed<Name extends Event["type"], Data> = Omit<Event, "type" | "data"> & { type: Name; data: Data | null };
export type CampaignsUpdated = Typed<"campaigns_updated", Campaign>;
export type LeadsUpdated = Typed<"leads_updated", Lead>;
export type MembersUpdated = Typed<"members_updated", Member>;
/** An event of the log, live or from `sync`. */
export type LogEvent = CampaignsUpdated | LeadsUpdated | MembersUpdated;
export type DashboardUpdated = { seq: number; metrics: Dashboard };
export type SessionEnded = { reason: string };

export type ErrorAck = { ok: false; error: { code: AckErrorCode; message: string } };
export type RoomsAck = { ok: true; rooms: string[] } | ErrorAck;
export type LiveAck = { ok: true; latest_seq: number } | ErrorAck;
export type SyncAck = { ok: true; events: LogEvent[]; latest_seq: number; has_more: boolean; reset: boolean } | ErrorAck;

/** Rooms a socket may name, inside its own workspace. */
export type Room = "workspace" | "campaigns" | "leads" | "dashboard" | `campaign:${string}` | `lead:${string}`;

export interface ServerEvents {
  campaigns_updated: (e: CampaignsUpdated) => void;
  leads_updated: (e: LeadsUpdated) => void;
  members_updated: (e: MembersUpdated) => void;
  dashboard_updated: (e: DashboardUpdated) => void;
  session_expired: (e: SessionEnded) => void;
  session_revoked: (e: SessionEnded) => void;
}

export interface ClientEvents {
  subscribe: (req: { rooms: Room[] }, ack: (res: RoomsAck) => void) => void;
  unsubscribe: (req: { rooms: Room[] }, ack: (res: RoomsAck) => void) => void;
  live: (req: { enabled: boolean }, ack: (res: LiveAck) => void) => void;
  sync: (req: { since: number; limit?: number }, ack: (res: SyncAck) => void) => void;
}

export type KandidSocket = Socket<ServerEvents, ClientEvents>;

export interface ConnectOptions extends Partial<ManagerOptions & SocketOptions> {
  /** Rooms instead of `workspace` (the live-sync helper wants `workspace`). */
  subscribe?: Room[];
  /**
   * Reconnect at once when the browser's `online` event fires, instead of waiting out
   * socket.io-client's backoff (default true; nothing happens outside a browser).
   */
  reconnectOnOnline?: boolean;
}

/**
 * Connects a typed socket with the token as handshake auth. The token is read again on
 * every (re)connect, so a function keeps a refreshed token current.
 */
export function connect(url: string, token: TokenProvider, options: ConnectOptions = {}): KandidSocket {
  const { subscribe, reconnectOnOnline = true, ...rest } = options;
  const socket: KandidSocket = io(url, {
    // A connection of its own: socket.io-client would otherwise hand back the cached socket
    // of an earlier call to the same URL, with that call's token and its closed state.
    forceNew: true,
    ...rest,
    auth: (cb) => cb({ token: currentToken(token) ?? "", ...(subscribe ? { subscribe } : {}) }),
  });
  if (reconnectOnOnline) watchOnline(socket);
  return socket;
}

// One `online` listener for every socket, holding them weakly: a socket the app dropped
// goes away with it, and one it closed (`active` false) is left alone.
const watched = new Set<WeakRef<KandidSocket>>();
let listening = false;
function watchOnline(socket: KandidSocket): void {
  const target = globalThis as { addEventListener?: (type: string, fn: () => void) => void };
  if (typeof target.addEventListener !== "function" || typeof WeakRef === "undefined") return;
  watched.add(new WeakRef(socket));
  if (listening) return;
  listening = true;
  target.addEventListener("online", () => {
    for (const ref of [...watched]) {
      const s = ref.deref();
      if (!s) watched.delete(ref);
      // A socket waiting for its next attempt starts it now.
      else if (s.active && !s.connected) reconnectNow(s);
    }
  });
}

/** Drops the connection (if any) and connects again at once, with the current token. */
export function reconnectNow(socket: KandidSocket): void {
  socket.disconnect();
  socket.connect();
}
