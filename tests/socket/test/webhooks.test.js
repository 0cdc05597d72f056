// Webhooks against the real binary and a real HTTP receiver: a server stopped (SIGTERM)
// and restarted in the middle of a stream of writes, and, on PostgreSQL, the node holding
// a webhook's lease killed with SIGKILL while another takes over. Every event arrives, in
// seq order, signed; a duplicate only where §10 allows one (the last 2xx before a crash).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createHmac, timingSafeEqual } from "node:crypto";
import pg from "pg";
import { Server, until, withServer } from "../lib/harness.js";

const ENV = {
  WEBHOOK_ALLOW_HTTP: "true",
  WEBHOOK_ALLOW_PRIVATE: "true",
  WEBHOOK_RETRY_BASE: "100ms",
  CATCH_UP_INTERVAL: "200ms",
  REDIS_URL: "",
};
const WAIT = 60_000;

/** A receiver on loopback that records every request and answers 200 after `delayMs`. */
async function receiver(delayMs = 0) {
  const got = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      setTimeout(() => {
        const raw = Buffer.concat(chunks);
        got.push({ headers: req.headers, raw, body: JSON.parse(raw.toString()) });
        res.writeHead(200).end();
      }, delayMs);
    });
  });
  await new Promise((res) => server.listen(0, "127.0.0.1", res));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, got, close: () => server.close() };
}

/** Whether a request carries a valid `v1,` signature with `secret`. */
function signed(r, secret) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const msg = `${r.headers["webhook-id"]}.${r.headers["webhook-timestamp"]}.${r.raw.toString()}`;
  const want = Buffer.from(createHmac("sha256", key).update(msg).digest("base64"));
  return (r.headers["webhook-signature"] ?? "")
    .split(" ")
    .map((s) => Buffer.from(s.replace(/^v1,/, "")))
    .some((s) => s.length === want.length && timingSafeEqual(s, want));
}

/**
 * Checks what the receiver got: each event after the previous, or — with `crashes` — the
 * same one again right after a crash (its 2xx was not recorded); ending at `last`.
 */
function checkStream(got, ws, secret, last, { crashes = false } = {}) {
  let max = 0;
  let repeats = 0;
  for (const r of got) {
    const seq = r.body.seq;
    assert.equal(r.headers["webhook-id"], `${ws}:${seq}`);
    assert.ok(signed(r, secret), `seq ${seq} is signed`);
    if (seq === max + 1) {
      max = seq;
    } else if (crashes && seq === max) {
      repeats++;
    } else {
      assert.fail(`seq ${seq} after ${max}: ${got.map((g) => g.body.seq).join(",")}`);
    }
  }
  assert.equal(max, last);
  return repeats;
}

/** Writes `n` campaigns one after another on `node()` (which may change), retrying a write
 * the node could not take because it was stopping. */
async function writes(node, token, from, n) {
  for (let i = from; i < from + n; ) {
    const res = await node()
      .api("POST", "/api/campaigns", token, { name: `C${i}` })
      .catch(() => null);
    if (res?.status === 201) i++;
    else await new Promise((r) => setTimeout(r, 20));
  }
}

async function latest(node, token) {
  return (await node.ok("GET", "/api/events?since=0&limit=1", token)).latest_seq;
}

describe("webhooks", () => {
  it("SIGTERM and restart in the middle of a stream of writes: every event, once, in order", () =>
    withServer(async (srv) => {
      const rx = await receiver(5);
      try {
        const { token, ws } = await srv.register();
        const hook = await srv.ok("POST", "/api/webhooks", token, { url: rx.url });
        const stream = writes(() => srv, token, 0, 60);
        await until(() => rx.got.length >= 10, "deliveries under way", WAIT);
        await srv.restart();
        await stream;
        const last = await latest(srv, token);
        assert.equal(last, 60);
        await until(() => rx.got.at(-1)?.body.seq === last, "every event", WAIT);
        checkStream(rx.got, ws, hook.secret, last);
        await until(
          async () => (await srv.ok("GET", `/api/webhooks/${hook.id}`, token)).last_delivered_seq === last,
          "the position",
          WAIT,
        );
      } finally {
        rx.close();
      }
    }, ENV));

  const pgUrl = process.env.TEST_POSTGRES_URL;
  it(
    "two nodes on PostgreSQL: SIGKILL of the lease holder, the other takes over, every event in order",
    { skip: pgUrl ? false : "needs TEST_POSTGRES_URL" },
    async () => {
      const rx = await receiver(5);
      const a = await Server.start(ENV);
      let b;
      try {
        const { token, ws } = await a.register();
        const hook = await a.ok("POST", "/api/webhooks", token, { url: rx.url });
        // Alone, node A takes the lease.
        const db = new pg.Client({ connectionString: a.db.url });
        await db.connect();
        try {
          await until(async () => {
            const r = await db.query("SELECT lease_owner FROM webhooks WHERE id = $1", [hook.id]);
            return r.rows[0]?.lease_owner != null;
          }, "node A's lease", WAIT);
          const holder = (await db.query("SELECT lease_owner FROM webhooks")).rows[0].lease_owner;
          b = new Server(a.db, ENV);
          await b.launch();
          // Writes through B, deliveries by A, until A dies.
          const stream = writes(() => b, token, 0, 60);
          await until(() => rx.got.length >= 10, "deliveries under way", WAIT);
          a.child.kill("SIGKILL");
          await a.exited;
          await stream;
          const last = await latest(b, token);
          await until(() => rx.got.at(-1)?.body.seq === last, "every event, through node B", WAIT);
          const repeats = checkStream(rx.got, ws, hook.secret, last, { crashes: true });
          assert.ok(repeats <= 1, `at most the one event in flight at the kill is sent again (${repeats})`);
          const now = (await db.query("SELECT lease_owner FROM webhooks")).rows[0].lease_owner;
          assert.notEqual(now, holder, "node B holds the lease now");
        } finally {
          await db.end();
        }
      } catch (e) {
        for (const [n, node] of [["A", a], ["B", b]]) {
          if (node?.stderr) e.message += `\n--- node ${n} log (tail) ---\n${node.stderr.slice(-2000)}`;
        }
        throw e;
      } finally {
        rx.close();
        await b?.stop();
        await a.close();
      }
    },
  );
});
