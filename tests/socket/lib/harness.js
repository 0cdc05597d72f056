// Test harness: starts the real kandid binary on a random port with a database of its own
// (a fresh SQLite file, or a fresh PostgreSQL database when TEST_POSTGRES_URL is set; Redis
// when TEST_REDIS_URL is set) and offers helpers over HTTP and socket.io-client.
import { spawn } from "node:child_process";
import net from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID, createHmac } from "node:crypto";
import { io } from "socket.io-client";
import pg from "pg";

const here = dirname(fileURLToPath(import.meta.url));
export { BIN, ARTIFACTS } from "./bin.mjs";
import { BIN } from "./bin.mjs";
export const SECRET = "socket-test-secret-0123456789abcdef";
export const TIMEOUT = 10_000;
/** Transports every realtime test runs over. */
export const TRANSPORTS = [["websocket"], ["polling"]];

async function createDatabase() {
  const admin = process.env.TEST_POSTGRES_URL;
  if (!admin) {
    const dir = mkdtempSync(join(tmpdir(), "kandid-socket-"));
    return { url: `sqlite://${dir}/kandid.db?mode=rwc`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `kandid_s_${randomUUID().replaceAll("-", "")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A running kandid process. */
export class Server {
  constructor(db, env) {
    this.db = db;
    this.env = env;
  }

  static async start(env = {}) {
    const db = await createDatabase();
    const server = new Server(db, env);
    await server.launch();
    return server;
  }

  async launch() {
    const env = {
      ...process.env,
      BIND: "127.0.0.1",
      PORT: "0",
      DATABASE_URL: this.db.url,
      DATABASE_MAX_CONNECTIONS: "8",
      JWT_SECRET: SECRET,
      AUTH_RATE_PER_MINUTE: "0",
      LOG_FORMAT: "json",
      RUST_LOG: process.env.RUST_LOG ?? "warn",
      CORS_ORIGINS: "http://localhost:3000",
      ...this.env,
    };
    delete env.REDIS_URL;
    if (process.env.TEST_REDIS_URL) env.REDIS_URL = process.env.TEST_REDIS_URL;
    if (this.env.REDIS_URL !== undefined) env.REDIS_URL = this.env.REDIS_URL;
    const child = spawn(BIN, ["serve"], { env, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    this.stderr = "";
    child.stderr.on("data", (d) => {
      this.stderr += d.toString();
      if (this.stderr.length > 200_000) this.stderr = this.stderr.slice(-100_000);
    });
    this.exited = new Promise((res) => child.on("exit", (code, signal) => res({ code, signal })));
    const addr = await new Promise((res, rej) => {
      let out = "";
      const timer = setTimeout(() => rej(new Error(`server did not start: ${this.stderr}`)), 60_000);
      child.stdout.on("data", (d) => {
        out += d.toString();
        const m = out.match(/listening on (\S+)/);
        if (m) {
          clearTimeout(timer);
          res(m[1]);
        }
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        rej(new Error(`server exited with ${code}: ${this.stderr}`));
      });
    });
    this.url = addr.startsWith("http://") ? addr : `http://${addr}`;
  }

  /** Stops with SIGTERM and waits for the exit; returns the exit code. */
  async stop() {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode;
    this.child.kill("SIGTERM");
    const { code } = await this.exited;
    return code;
  }

  /** Restarts on the same database (a new port). */
  async restart() {
    await this.stop();
    await this.launch();
  }

  async close() {
    await this.stop();
    await this.db.drop();
  }

  async api(method, path, token, body, headers = {}) {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let payload;
    if (body !== undefined) {
      if (typeof body === "string") {
        payload = body;
      } else {
        payload = JSON.stringify(body);
        h["content-type"] ??= "application/json";
      }
    }
    const res = await fetch(`${this.url}${path}`, { method, headers: h, body: payload });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, headers: res.headers, body: json };
  }

  /** Calls the API and asserts the status. */
  async ok(method, path, token, body, status, headers) {
    const res = await this.api(method, path, token, body, headers);
    const want = status ?? (method === "POST" ? 201 : method === "DELETE" ? 204 : 200);
    if (res.status !== want) {
      throw new Error(`${method} ${path}: expected ${want}, got ${res.status}: ${JSON.stringify(res.body)}`);
    }
    return res.body;
  }

  /** A new user with a workspace of their own. */
  async register() {
    const email = `u-${randomUUID()}@example.com`;
    const body = await this.ok("POST", "/api/auth/register", null, { name: "Socket Tester", email, password: "correct horse" });
    return { token: body.token, userId: body.user.id, ws: body.workspace.id, email };
  }

  /**
   * Connects a socket.io-client and resolves once connected; rejects with the
   * connect_error. Every received event is recorded (see Recorder).
   */
  connect(opts = {}) {
    const socket = io(this.url, { reconnection: false, forceNew: true, timeout: TIMEOUT, ...opts });
    const rec = new Recorder(socket);
    return new Promise((res, rej) => {
      socket.once("connect", () => res(rec));
      socket.once("connect_error", (err) => {
        socket.close();
        rej(err);
      });
    });
  }
}

/** Records every event a socket receives and lets tests await them. */
export class Recorder {
  constructor(socket) {
    this.socket = socket;
    this.events = [];
    this.waiters = [];
    socket.onAny((name, payload) => {
      this.events.push({ name, payload });
      this.waiters = this.waiters.filter((w) => !w.check());
    });
    socket.on("disconnect", (reason) => {
      this.events.push({ name: "disconnect", payload: reason });
      this.waiters = this.waiters.filter((w) => !w.check());
    });
  }

  /** Events of one name (default: the data events with a seq). */
  of(name) {
    return this.events.filter((e) => e.name === name).map((e) => e.payload);
  }

  /** Seqs of campaigns_updated / leads_updated, in arrival order. */
  seqs() {
    return this.events.filter((e) => e.name === "campaigns_updated" || e.name === "leads_updated").map((e) => e.payload.seq);
  }

  /** Resolves with the first recorded event matching `pred` (already received or future). */
  waitFor(pred, what = "event", timeout = TIMEOUT) {
    return new Promise((res, rej) => {
      const check = () => {
        const e = this.events.find((ev) => pred(ev.name, ev.payload));
        if (e) {
          clearTimeout(timer);
          res(e.payload);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.check !== check);
        rej(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.events.map((e) => [e.name, e.payload?.seq]))}`));
      }, timeout);
      if (!check()) this.waiters.push({ check });
    });
  }

  /** Waits for a data event with this seq. */
  waitSeq(seq, timeout) {
    return this.waitFor((n, p) => (n === "campaigns_updated" || n === "leads_updated") && p?.seq === seq, `seq ${seq}`, timeout);
  }

  /** Emits with an ack and resolves with the ack's payload. */
  request(event, payload, timeout = TIMEOUT) {
    return this.socket.timeout(timeout).emitWithAck(event, payload);
  }

  close() {
    this.socket.close();
  }
}

/** Signs an HS256 JWT. */
export function mint(claims, secret = SECRET) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = b64({ alg: "HS256", typ: "JWT" });
  const body = b64(claims);
  const sig = createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}

export const now = () => Math.floor(Date.now() / 1000);

/** Runs `fn(server)` with a fresh server and always cleans up. */
export async function withServer(fn, env) {
  const server = await Server.start(env);
  try {
    return await fn(server);
  } catch (e) {
    if (server.stderr) e.message += `\n--- server log (tail) ---\n${server.stderr.slice(-3000)}`;
    throw e;
  } finally {
    await server.close();
  }
}

/**
 * Resolves once `cond()` (sync or async) holds, checking every `every` ms; rejects after
 * `timeout`, naming `what`. The one polling helper of the suites: `(condition, what, timeout)`.
 */
export async function until(cond, what = "condition", timeout = TIMEOUT, every = 50) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** `fn()`'s value once a call resolves instead of throwing; `until`'s arguments otherwise. */
export async function eventually(fn, what = "a call to succeed", timeout = TIMEOUT, every = 50) {
  let value;
  let last;
  try {
    await until(
      async () => {
        try {
          value = await fn();
          return true;
        } catch (e) {
          last = e;
          return false;
        }
      },
      what,
      timeout,
      every,
    );
  } catch (e) {
    throw new Error(`${e.message}: ${last?.message}`);
  }
  return value;
}

/**
 * A TCP relay to `target` (a server's URL, or a function returning it, read at each connection,
 * so the relay's own URL can be given to the server first, e.g. as PUBLIC_ORIGIN) whose
 * connections `cut()` destroys, as a dropped network would; new connections go through
 * again. A browser that reaches the server through it sees its transport killed, not closed.
 */
export async function relay(target) {
  const open = new Set();
  const server = net.createServer((client) => {
    const { hostname, port } = new URL(typeof target === "function" ? target() : target);
    const upstream = net.connect(Number(port), hostname);
    for (const [a, b] of [[client, upstream], [upstream, client]]) {
      open.add(a);
      a.on("close", () => (open.delete(a), b.destroy()));
      a.on("error", () => b.destroy());
      a.pipe(b);
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    cut: () => [...open].forEach((s) => s.destroy()),
    close: () => (server.close(), [...open].forEach((s) => s.destroy())),
  };
}
