// Socket.IO event maps for socket.io-client's generics (`Socket<ServerEvents, ClientEvents>`),
// as openapi/asyncapi.yaml documents them.
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import type { Campaign, Dashboard, Event, Lead, Member } from "./rest.js";
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
}

/** Connects a typed socket with the token as handshake auth. */
export function connect(url: string, token: string | (() => string), options: ConnectOptions = {}): KandidSocket {
  const { subscribe, ...rest } = options;
  return io(url, {
    ...rest,
    // A function, so a reconnect presents the current token.
    auth: (cb) => cb({ token: typeof token === "function" ? token() : token, ...(subscribe ? { subscribe } : {}) }),
  });
}
