// The whole client for an app: one session (token, user, workspace) kept alive with
// `POST /api/auth/refresh` before the token expires, the REST API, and, while signed in,
// one socket and `liveSync` keeping a query cache current. Framework-free: the React
// bindings (`@kandid/client/react`) wrap it, and a plain app can use it as it is.
import type { QueryClient } from "@tanstack/query-core";
import { connect, reconnectNow, type ConnectOptions, type KandidSocket, type LogEvent, type SessionEnded } from "./events.js";
import { kandidKeys, liveSync, type LiveStatus, type LiveSync } from "./live.js";
import { createApi, KandidError, type Api, type BodyOf, type Session } from "./rest.js";
import type { operations } from "./schema.js";

/** How long `signOut` waits for the server to end the session before signing out locally. */
const SIGN_OUT_WAIT_MS = 3_000;

/** Where the token is kept between page loads (`localStorage` fits; `null`: nowhere). */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface KandidClientOptions {
  /** The server for REST and Socket.IO, e.g. `http://localhost:8080` (empty: the page's origin). */
  baseUrl?: string;
  /** A token to start with (else the one in `storage`, if any). */
  token?: string | null;
  /** Keeps the token across reloads; default `localStorage` in a browser. */
  storage?: TokenStorage | null;
  storageKey?: string;
  /** The cache to keep current while signed in; without it there is no socket. */
  queryClient?: QueryClient;
  /** Options for the socket (e.g. `transports`, `reconnectionDelayMax`). */
  socket?: ConnectOptions;
  /** Refresh this long before expiry (default: a quarter of the token's lifetime, at most 5 min). */
  refreshBeforeMs?: number;
  fetch?: typeof fetch;
}

/** Why a session ended, as the app is told (`signed_out`: the app asked). */
export type SessionEndReason = "session_expired" | "session_revoked" | "signed_out";

export interface KandidClientEvents {
  /** A new token (sign-in, refresh) or `null` (signed out). */
  token: (token: string | null) => void;
  /** The user and workspace became known, changed, or `null` (signed out). */
  session: (session: Omit<Session, "token"> | null) => void;
  /** The session ended without the app asking: expired and could not be refreshed. */
  session_expired: (e: SessionEnded) => void;
  /** The member was removed or the token revoked. */
  session_revoked: (e: SessionEnded) => void;
  status: (s: ClientStatus) => void;
  live: (enabled: boolean) => void;
  /** Every log event applied to the cache. */
  event: (e: LogEvent) => void;
  error: (e: unknown) => void;
}

/** `signed_out` besides liveSync's states. */
export type ClientStatus = LiveStatus | "signed_out";

type Claims = { exp?: number; iat?: number; sub?: string; ws?: string; role?: string };

/** The claims of a JWT, unverified (only to schedule the refresh and tell sessions apart). */
export function tokenClaims(token: string): Claims {
  try {
    const part = token.split(".")[1] ?? "";
    const b64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
    return JSON.parse(atob(b64)) as Claims;
  } catch {
    return {};
  }
}

function defaultStorage(): TokenStorage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

export class KandidClient {
  readonly api: Api;
  readonly queryClient: QueryClient | undefined;
  private readonly options: KandidClientOptions;
  private readonly storage: TokenStorage | null;
  private readonly storageKey: string;
  private _token: string | null;
  private _session: Omit<Session, "token"> | null = null;
  private _status: ClientStatus = "signed_out";
  private _live = true;
  private _socket: KandidSocket | null = null;
  private sync: LiveSync | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private started = false;
  private listeners = new Map<keyof KandidClientEvents, Set<(...a: never[]) => void>>();

  constructor(options: KandidClientOptions = {}) {
    this.options = options;
    this.storage = options.storage === undefined ? defaultStorage() : options.storage;
    this.storageKey = options.storageKey ?? "kandid.token";
    this._token = options.token ?? this.storage?.getItem(this.storageKey) ?? null;
    this.queryClient = options.queryClient;
    this.api = createApi({ baseUrl: options.baseUrl, token: () => this._token, fetch: options.fetch });
  }

  get token(): string | null {
    return this._token;
  }
  /** The signed-in user and workspace once known (after sign-in, refresh or `me`). */
  get session(): Omit<Session, "token"> | null {
    return this._session;
  }
  get status(): ClientStatus {
    return this._status;
  }
  get live(): boolean {
    return this._live;
  }
  get socket(): KandidSocket | null {
    return this._socket;
  }
  /** The last seq the cache reflects. */
  get seq(): number {
    return this.sync?.seq ?? 0;
  }

  on<K extends keyof KandidClientEvents>(event: K, fn: KandidClientEvents[K]): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(fn as (...a: never[]) => void);
    return () => void set.delete(fn as (...a: never[]) => void);
  }
  private emit<K extends keyof KandidClientEvents>(event: K, ...args: Parameters<KandidClientEvents[K]>): void {
    for (const fn of [...(this.listeners.get(event) ?? [])]) (fn as (...a: unknown[]) => void)(...args);
  }

  /** Opens the socket and schedules the refresh (if signed in). Idempotent; `stop` undoes it. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.attach();
    // Another tab of this origin signed in, out or refreshed: follow it.
    if (this.storage && typeof window !== "undefined" && this.storage === defaultStorage()) window.addEventListener("storage", this.onStorage);
  }
  /** Closes the socket and the refresh timer; the session stays (`start` resumes it). */
  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.detach();
    if (typeof window !== "undefined") window.removeEventListener("storage", this.onStorage);
  }

  private onStorage = (e: StorageEvent): void => {
    if (e.key !== this.storageKey || e.newValue === this._token) return;
    this.setToken(e.newValue);
  };

  async signIn(body: BodyOf<operations["login"]>): Promise<Session> {
    const s = await this.api.login(body);
    this.setSession(s);
    return s;
  }
  async register(body: BodyOf<operations["register"]>): Promise<Session> {
    const s = await this.api.register(body);
    this.setSession(s);
    return s;
  }
  /**
   * Ends the session on the server (`POST /api/auth/logout`: a copy of the token stops
   * working too), then here. Best effort: signed out here even when the call fails.
   */
  async signOut(): Promise<void> {
    const token = this._token;
    if (token) {
      // This socket would otherwise hear the logout as `session_revoked`.
      this.detach();
      // Unreachable, or the session had ended already: nothing more to end there. A network
      // that doesn't answer holds the sign-out up for at most SIGN_OUT_WAIT_MS.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        this.api.logout().catch(() => {}),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, SIGN_OUT_WAIT_MS))),
      ]);
      clearTimeout(timer);
      // Someone signed in again meanwhile: that session stays.
      if (this._token !== token) return;
    }
    this.end("signed_out");
  }
  /** Joins the workspace of an invitation (its token) and switches to it. */
  async acceptInvitation(token: string): Promise<Session> {
    const s = await this.api.acceptInvitation({ token });
    this.setSession(s);
    return s;
  }
  /** Switches to another of the person's workspaces (nothing of the other one's cache stays). */
  async switchWorkspace(workspaceId: string): Promise<Session> {
    const s = await this.api.switchWorkspace({ workspace_id: workspaceId });
    this.setSession(s);
    return s;
  }
  /** A token from elsewhere (e.g. another tab); `null` signs out. */
  setToken(token: string | null): void {
    if (token === null) return this.end("signed_out");
    this.change(token, null);
  }
  /**
   * Asks the server who this is (also checks a stored token); a 401 ends the session. An
   * answer that arrives after the token changed (sign-out, another workspace) speaks of the
   * old one: it is returned, but neither labels nor ends the current session.
   */
  async me(): Promise<Omit<Session, "token">> {
    const token = this._token;
    try {
      const me = await this.api.me();
      if (this._token === token) {
        this._session = me;
        this.emit("session", me);
      }
      return me;
    } catch (e) {
      if (this._token === token && e instanceof KandidError && e.status === 401) this.end("session_expired");
      throw e;
    }
  }
  /** Trades the token for a fresh one now (the client does it by itself before expiry). */
  async refresh(): Promise<void> {
    const token = this._token;
    if (!token) return;
    try {
      const s = await this.api.refresh();
      if (this._token === token) this.setSession(s);
    } catch (e) {
      if (this._token !== token) return;
      if (e instanceof KandidError && e.status === 401) {
        this.end("session_expired");
      } else if (e instanceof KandidError && e.status === 403) {
        // An integration token: it cannot be refreshed, and lives until its own expiry.
        clearTimeout(this.refreshTimer);
      } else {
        // Unreachable or unavailable: try again shortly, while the token is still valid.
        this.emit("error", e);
        this.scheduleRefresh(5_000);
      }
    }
  }

  /** The live-view toggle: off stops delivery; on catches up first. */
  async setLive(enabled: boolean): Promise<void> {
    this._live = enabled;
    this.emit("live", enabled);
    await this.sync?.setLive(enabled);
  }
  /** Resolves once the cache reflects the server's latest seq at call time. */
  catchUp(): Promise<void> {
    return this.sync?.catchUp() ?? Promise.resolve();
  }

  private setSession(s: Session): void {
    const { token, ...rest } = s;
    this.change(token, rest);
  }

  private change(token: string, session: Omit<Session, "token"> | null): void {
    const before = this._token ? tokenClaims(this._token) : null;
    const after = tokenClaims(token);
    const sameSession = before !== null && before.sub === after.sub && before.ws === after.ws;
    this._token = token;
    if (session) this._session = session;
    else if (!sameSession) this._session = null;
    this.storage?.setItem(this.storageKey, token);
    if (!sameSession) {
      // Another person or workspace: nothing cached may show through.
      this.detach();
      this.queryClient?.removeQueries({ queryKey: kandidKeys.all });
      if (this.started) this.attach();
    } else {
      this.scheduleRefresh();
      // The socket was authenticated with the old token, which the server enforces at its
      // expiry: reconnect with the new one (liveSync catches up on connect).
      if (this._socket) reconnectNow(this._socket);
    }
    this.emit("token", token);
    this.emit("session", this._session);
  }

  private end(reason: SessionEndReason): void {
    const had = this._token !== null;
    this.detach();
    this._token = null;
    this._session = null;
    this.storage?.removeItem(this.storageKey);
    this.queryClient?.removeQueries({ queryKey: kandidKeys.all });
    this.setStatus("signed_out");
    if (!had) return;
    this.emit("token", null);
    this.emit("session", null);
    if (reason !== "signed_out") this.emit(reason, { reason });
  }

  private setStatus(s: ClientStatus): void {
    if (s === this._status) return;
    this._status = s;
    this.emit("status", s);
  }

  private attach(): void {
    if (!this.started || !this._token) return;
    this.scheduleRefresh();
    const qc = this.queryClient;
    if (!qc) return;
    const socket = connect(this.options.baseUrl || (typeof location === "undefined" ? "" : location.origin), () => this._token, this.options.socket);
    this._socket = socket;
    this.setStatus("connecting");
    this.sync = liveSync({
      socket,
      queryClient: qc,
      since: "latest",
      onStatus: (s) => this.setStatus(s),
      onEvent: (e) => {
        // The person's own role changed: a fresh token and session carry the new one, so
        // the app offers what it now allows (the server applies it at once either way).
        if (e.type === "members_updated" && e.action === "updated" && e.id === this._session?.user.id && e.data?.role !== this._session?.user.role) void this.refresh();
        this.emit("event", e);
      },
      onError: (e) => this.emit("error", e),
    });
    if (!this._live) void this.sync.setLive(false);
    // The token ran out on the server's clock before a refresh got through: one more try,
    // whose 401 ends the session as `session_expired`.
    socket.on("session_expired", () => void this.refresh());
    socket.on("session_revoked", () => this.end("session_revoked"));
    socket.on("connect_error", (err) => {
      if (err.message === "unauthorized") void this.refresh();
    });
  }

  private detach(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.sync?.stop();
    this.sync = null;
    if (this._socket) {
      this._socket.removeAllListeners();
      this._socket.close();
      this._socket = null;
    }
    if (this._status !== "signed_out") this.setStatus(this._token ? "offline" : "signed_out");
  }

  private scheduleRefresh(delayMs?: number): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    if (!this.started || !this._token) return;
    let delay = delayMs;
    if (delay === undefined) {
      const { exp, iat } = tokenClaims(this._token);
      if (!exp) return;
      // The lifetime from the token itself (a fresh token: from now, whatever the server's
      // clock says), or what is left of it by this clock (a stored one), whichever is shorter.
      const lifetime = (exp - (iat ?? 0)) * 1000;
      const left = Math.min(lifetime, exp * 1000 - Date.now());
      const before = this.options.refreshBeforeMs ?? Math.min(lifetime / 4, 5 * 60_000);
      delay = Math.max(0, left - before);
    }
    // setTimeout's limit is 2^31-1 ms (~24.8 days).
    this.refreshTimer = setTimeout(() => void this.refresh(), Math.min(delay, 2 ** 31 - 1));
  }
}

export function createClient(options: KandidClientOptions = {}): KandidClient {
  return new KandidClient(options);
}
