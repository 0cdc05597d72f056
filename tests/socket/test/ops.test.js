// Operations seen from outside: metrics, graceful shutdown, retention, several nodes.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { Server, until, withServer } from "../lib/harness.js";

const metric = (text, name) => {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(" ").at(-1)) : undefined;
};

describe("operations", () => {
  it("/metrics counts sockets, events, HTTP requests, the database pool and write batches", () =>
    withServer(async (srv) => {
      const s = await srv.register();
      const rec = await srv.connect({ transports: ["websocket"], auth: { token: s.token } });
      await srv.ok("POST", "/api/campaigns", s.token, { name: "C" });
      await rec.waitSeq(1);
      const res = await fetch(`${srv.url}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type"), /openmetrics-text/);
      const text = await res.text();
      assert.equal(metric(text, "kandid_sockets_connected"), 1);
      assert.ok(metric(text, "kandid_socket_connections_total") >= 1);
      assert.ok(metric(text, "kandid_events_emitted_total") >= 1);
      assert.ok(text.includes('kandid_http_requests_total{method="POST",route="/api/campaigns",status="201"} 1'), text);
      assert.ok(metric(text, "kandid_db_pool_max_connections") >= 1);
      // Registration (the account with its sign-in session) and the campaign, one after
      // the other: two commits of one write each.
      assert.equal(metric(text, "kandid_db_write_batches_committed_total"), 2);
      assert.equal(metric(text, "kandid_db_write_batches_failed_total"), 0);
      assert.equal(metric(text, "kandid_db_writes_per_batch_count"), 2);
      assert.equal(metric(text, "kandid_db_writes_per_batch_sum"), 2);
      rec.close();
    }));

  it("SIGTERM closes sockets at once (clients reconnect elsewhere) and exits 0", () =>
    withServer(async (srv) => {
      const s = await srv.register();
      const rec = await srv.connect({ transports: ["websocket"], auth: { token: s.token } });
      const stopped = srv.stop();
      // A transport close (not "io server disconnect"), so stock clients reconnect by themselves.
      const reason = await rec.waitFor((n) => n === "disconnect", "disconnect");
      assert.equal(reason, "transport close");
      assert.equal(await stopped, 0);
      rec.close();
    }));

  it("sync and GET /api/events answer reset once events are past the retention", () =>
    withServer(
      async (srv) => {
        const s = await srv.register();
        await srv.ok("POST", "/api/campaigns", s.token, { name: "old" });
        // Pruning runs twice per retention; wait for it by polling the log, with a deadline.
        const deadline = Date.now() + 15_000;
        let res;
        for (;;) {
          res = await srv.ok("GET", "/api/events?since=0", s.token);
          if (res.reset || Date.now() > deadline) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.deepEqual([res.reset, res.latest_seq, res.data], [true, 1, []]);
        const rec = await srv.connect({ transports: ["websocket"], auth: { token: s.token } });
        const sync = await rec.request("sync", { since: 0 });
        assert.deepEqual([sync.ok, sync.reset, sync.latest_seq], [true, true, 1]);
        // Up to date is not a reset.
        const current = await rec.request("sync", { since: 1 });
        assert.deepEqual([current.reset, current.events], [false, []]);
        rec.close();
      },
      { EVENT_RETENTION: "1s" },
    ));

  const multiNode = process.env.TEST_POSTGRES_URL && process.env.TEST_REDIS_URL;
  it(
    "two nodes over Redis and one PostgreSQL behave as one",
    { skip: multiNode ? false : "needs TEST_POSTGRES_URL and TEST_REDIS_URL" },
    () =>
      withServer(async (a) => {
        const b = new Server(a.db, a.env);
        await b.launch();
        try {
          const s = await a.register();
          const onA = await a.connect({ transports: ["websocket"], auth: { token: s.token } });
          const onB = await b.connect({ transports: ["polling"], auth: { token: s.token } });
          // Writes on both nodes reach sockets on both nodes, in seq order.
          const c = await a.ok("POST", "/api/campaigns", s.token, { name: "from A" });
          await b.ok("POST", "/api/leads", s.token, { campaign_id: c.id, name: "from B" });
          await a.ok("PATCH", `/api/campaigns/${c.id}`, s.token, { name: "A again" });
          for (const rec of [onA, onB]) {
            await rec.waitSeq(3);
            assert.deepEqual(rec.seqs(), [1, 2, 3]);
          }
          // A room joined on B receives A's writes; sync on B sees A's log.
          const sub = await onB.request("subscribe", { rooms: [`campaign:${c.id}`] });
          assert.equal(sub.ok, true);
          const sync = await onB.request("sync", { since: 0 });
          assert.deepEqual(sync.events.map((e) => e.seq), [1, 2, 3]);
        } finally {
          await b.stop();
        }
      }),
  );
});

describe("database outage", () => {
  const pgUrl = process.env.TEST_POSTGRES_URL;
  it(
    "answers 503 unavailable while PostgreSQL refuses connections, and recovers by itself",
    { skip: pgUrl ? false : "needs TEST_POSTGRES_URL" },
    () =>
      withServer(async (srv) => {
        const s = await srv.register();
        const name = new URL(srv.db.url).pathname.slice(1);
        const admin = new pg.Client({ connectionString: pgUrl });
        await admin.connect();
        try {
          await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
          await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [name]);
          const ready = await srv.api("GET", "/readyz");
          assert.equal(ready.status, 503);
          assert.equal(ready.body.code, "unavailable");
          const list = await srv.api("GET", "/api/campaigns", s.token);
          assert.equal(list.status, 503, JSON.stringify(list.body));
          assert.equal(list.headers.get("content-type"), "application/problem+json");
          assert.ok(!JSON.stringify(list.body).toLowerCase().includes("sql"));
          assert.equal((await srv.api("GET", "/healthz")).status, 200, "the process stays up");
        } finally {
          await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
          await admin.end();
        }
        // The signal path between nodes reconnects with backoff: ready again once it has.
        await until(async () => (await srv.api("GET", "/readyz")).status === 200, "/readyz to recover");
        await srv.ok("POST", "/api/campaigns", s.token, { name: "after the outage" });
      }),
  );
});
