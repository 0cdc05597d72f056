// What arrives: payloads of each REST write, nothing for failed writes, sync after
// disconnects and restarts, live view, session expiry, malformed client payloads.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import pg from "pg";
import { TRANSPORTS, withServer, mint, now } from "../lib/harness.js";

/** Makes the database itself reject inserting a lead named "boom", inside the write transaction. */
async function forceConstraintError(srv) {
  if (srv.db.url.startsWith("sqlite:")) {
    const file = srv.db.url.slice("sqlite://".length).split("?")[0];
    const sql = "CREATE TRIGGER boom BEFORE INSERT ON leads WHEN NEW.name = 'boom' BEGIN SELECT RAISE(ABORT, 'forced failure'); END;";
    execFileSync("sqlite3", [file, sql]);
  } else {
    const c = new pg.Client({ connectionString: srv.db.url });
    await c.connect();
    await c.query(`CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'forced failure'; END $$ LANGUAGE plpgsql`);
    await c.query(`CREATE TRIGGER boom BEFORE INSERT ON leads FOR EACH ROW WHEN (NEW.name = 'boom') EXECUTE FUNCTION boom()`);
    await c.end();
  }
}

const isData = (n) => n === "campaigns_updated" || n === "leads_updated";

for (const transports of TRANSPORTS) {
  describe(`delivery over ${transports}`, () => {
    it("REST create/update/delete/import produce the contract's payloads", () =>
      withServer(async (srv) => {
        const s = await srv.register();
        const rec = await srv.connect({ transports, auth: { token: s.token } });
        const c = await srv.ok("POST", "/api/campaigns", s.token, { name: "C", daily_limit: 10 });
        let e = await rec.waitSeq(1);
        assert.deepEqual(
          { ...e, at: undefined },
          { seq: 1, type: "campaigns_updated", action: "created", id: c.id, campaign_id: c.id, data: c, changes: [], count: 1, actor_id: s.userId, at: undefined },
        );
        assert.ok(!Number.isNaN(Date.parse(e.at)));

        const u = await srv.ok("PATCH", `/api/campaigns/${c.id}`, s.token, { name: "C2", daily_limit: 11, description: null });
        e = await rec.waitSeq(2);
        assert.equal(e.action, "updated");
        assert.deepEqual(e.changes.sort(), ["daily_limit", "name"]);
        assert.deepEqual(e.data, u);

        const l = await srv.ok("POST", "/api/leads", s.token, { campaign_id: c.id, name: "L", email: "l@example.com" });
        e = await rec.waitSeq(3);
        assert.equal(e.type, "leads_updated");
        assert.deepEqual([e.action, e.id, e.campaign_id, e.count], ["created", l.id, c.id, 1]);
        assert.deepEqual(e.data, l);

        const lu = await srv.ok("PUT", `/api/leads/${l.id}`, s.token, { status: "contacted", connection_status: "pending" });
        e = await rec.waitSeq(4);
        assert.deepEqual(e.changes.sort(), ["connection_status", "last_activity_at", "status"]);
        assert.deepEqual(e.data, lu);

        const imp = await srv.ok("POST", `/api/campaigns/${c.id}/leads/import`, s.token, "name,email\nA,a@example.com\nB,b@example.com\nL dup,l@example.com\n", 200, { "content-type": "text/csv" });
        assert.deepEqual([imp.created, imp.skipped], [2, 1]);
        e = await rec.waitSeq(5);
        assert.deepEqual([e.type, e.action, e.id, e.campaign_id, e.data, e.count, e.changes], ["leads_updated", "imported", null, c.id, null, 2, []]);

        await srv.ok("DELETE", `/api/leads/${l.id}`, s.token);
        e = await rec.waitSeq(6);
        assert.deepEqual([e.type, e.action, e.id, e.campaign_id, e.data, e.count], ["leads_updated", "deleted", l.id, c.id, null, 1]);

        // Deleting a campaign: its campaigns_updated and one bulk leads_updated for its leads.
        await srv.ok("DELETE", `/api/campaigns/${c.id}`, s.token);
        const del = await rec.waitSeq(7);
        const bulk = await rec.waitSeq(8);
        assert.deepEqual([del.type, del.action, del.id, del.data, del.count], ["campaigns_updated", "deleted", c.id, null, 1]);
        assert.deepEqual([bulk.type, bulk.action, bulk.id, bulk.campaign_id, bulk.count], ["leads_updated", "deleted", null, c.id, 2]);
        assert.deepEqual(rec.seqs(), [1, 2, 3, 4, 5, 6, 7, 8]);
        rec.close();
      }));

    it("a write that fails emits nothing and leaves no gap in seq", () =>
      withServer(async (srv) => {
        const s = await srv.register();
        const rec = await srv.connect({ transports, auth: { token: s.token } });
        const c = await srv.ok("POST", "/api/campaigns", s.token, { name: "C", status: "active" });
        await srv.ok("PATCH", `/api/campaigns/${c.id}`, s.token, { status: "completed" });
        await rec.waitSeq(2);
        // Validation fails before the transaction.
        assert.equal((await srv.api("POST", "/api/campaigns", s.token, { name: "" })).status, 422);
        // These fail inside the write transaction, after it allocated a seq: rolled back.
        assert.equal((await srv.api("PATCH", `/api/campaigns/${c.id}`, s.token, { status: "active" })).status, 409);
        assert.equal((await srv.api("PATCH", `/api/campaigns/${c.id}`, s.token, { name: "x" }, { "if-match": '"1"' })).status, 412);
        assert.equal((await srv.api("POST", "/api/leads", s.token, { campaign_id: crypto.randomUUID(), name: "x" })).status, 422);
        // An import with nothing to create commits nothing.
        assert.equal((await srv.api("POST", `/api/campaigns/${c.id}/leads/import`, s.token, [{ name: "" }])).status, 200);
        // A no-op update is not a change.
        await srv.ok("PATCH", `/api/campaigns/${c.id}`, s.token, { name: "C" });
        const marker = await srv.ok("PATCH", `/api/campaigns/${c.id}`, s.token, { name: "marker" });
        const e = await rec.waitFor((n, p) => isData(n) && p.seq > 2, "marker");
        assert.equal(e.seq, 3, "the marker follows seq 2 without a gap");
        assert.equal(e.data.name, marker.name);
        assert.deepEqual(rec.seqs(), [1, 2, 3]);
        const log = await srv.ok("GET", "/api/events?since=0", s.token);
        assert.deepEqual(log.data.map((x) => x.seq), [1, 2, 3]);
        rec.close();
      }));

    it("a write the database rejects mid-transaction emits nothing and leaves no gap", () =>
      withServer(async (srv) => {
        const s = await srv.register();
        const rec = await srv.connect({ transports, auth: { token: s.token } });
        const c = await srv.ok("POST", "/api/campaigns", s.token, { name: "C" });
        await rec.waitSeq(1);
        await forceConstraintError(srv);
        const failed = await srv.api("POST", "/api/leads", s.token, { campaign_id: c.id, name: "boom" });
        assert.equal(failed.status, 500);
        assert.equal(failed.body.code, "internal");
        assert.ok(!JSON.stringify(failed.body).includes("forced failure"), "no internals in the body");
        const imported = await srv.api("POST", `/api/campaigns/${c.id}/leads/import`, s.token, [{ name: "fine" }, { name: "boom" }]);
        assert.equal(imported.status, 500, "one transaction: the whole import rolls back");
        const ok = await srv.ok("POST", "/api/leads", s.token, { campaign_id: c.id, name: "marker" });
        const e = await rec.waitFor((n, p) => isData(n) && p.seq > 1, "marker");
        assert.deepEqual([e.seq, e.id], [2, ok.id]);
        assert.deepEqual(rec.seqs(), [1, 2]);
        const leads = await srv.ok("GET", `/api/leads?campaign_id=${c.id}`, s.token);
        assert.deepEqual(leads.data.map((l) => l.name), ["marker"]);
        rec.close();
      }));

    it("sync returns exactly what a disconnected client missed, also after a restart", () =>
      withServer(async (srv) => {
        const s = await srv.register();
        const c = await srv.ok("POST", "/api/campaigns", s.token, { name: "C" });
        let rec = await srv.connect({ transports, auth: { token: s.token, subscribe: [`campaign:${c.id}`] } });
        await srv.ok("POST", "/api/leads", s.token, { campaign_id: c.id, name: "seen" });
        const seen = await rec.waitSeq(2);
        rec.close();

        // Missed while away: two for this campaign, one for another (not in our rooms).
        const other = await srv.ok("POST", "/api/campaigns", s.token, { name: "other" });
        const l2 = await srv.ok("POST", "/api/leads", s.token, { campaign_id: c.id, name: "missed 1" });
        await srv.ok("PATCH", `/api/campaigns/${c.id}`, s.token, { name: "missed 2" });
        await srv.restart();

        rec = await srv.connect({ transports, auth: { token: s.token, subscribe: [`campaign:${c.id}`] } });
        const sync = await rec.request("sync", { since: seen.seq });
        assert.equal(sync.ok, true);
        assert.deepEqual(sync.events.map((e) => e.seq), [4, 5]);
        assert.equal(sync.events[0].id, l2.id);
        assert.equal(sync.events[1].type, "campaigns_updated");
        assert.deepEqual([sync.latest_seq, sync.has_more, sync.reset], [5, false, false]);
        assert.ok(other.id);
        // Paging through sync.
        const page = await rec.request("sync", { since: 0, limit: 2 });
        assert.deepEqual([page.events.map((e) => e.seq), page.has_more], [[1, 2], true]);
        const rest = await rec.request("sync", { since: 2, limit: 2 });
        assert.deepEqual([rest.events.map((e) => e.seq), rest.has_more], [[4, 5], false]);
        // Ahead of the log: reset.
        const ahead = await rec.request("sync", { since: 99 });
        assert.deepEqual([ahead.events, ahead.reset, ahead.latest_seq], [[], true, 5]);
        // And live delivery continues where the log left off.
        await srv.ok("PATCH", `/api/campaigns/${c.id}`, s.token, { name: "live again" });
        assert.equal((await rec.waitFor((n) => isData(n), "live event")).seq, 6);
        rec.close();
      }));

    it("live off stops delivery without losing subscriptions; on resumes with latest_seq", () =>
      withServer(async (srv) => {
        const s = await srv.register();
        const rec = await srv.connect({ transports, auth: { token: s.token, subscribe: ["campaigns", "dashboard"] } });
        const probe = await srv.connect({ transports, auth: { token: s.token, subscribe: ["campaigns"] } });
        const off = await rec.request("live", { enabled: false });
        assert.deepEqual(off, { ok: true, latest_seq: 0 });
        await srv.ok("POST", "/api/campaigns", s.token, { name: "while off" });
        // The probe socket proves the event went out; then the dashboard follows it.
        await probe.waitSeq(1);
        const on = await rec.request("live", { enabled: true });
        assert.deepEqual(on, { ok: true, latest_seq: 1 });
        assert.deepEqual(await rec.request("subscribe", { rooms: [] }), { ok: true, rooms: ["campaigns", "dashboard"] });
        await srv.ok("POST", "/api/campaigns", s.token, { name: "after on" });
        await rec.waitSeq(2);
        assert.deepEqual(rec.seqs(), [2], "nothing was delivered while live was off");
        const missed = await rec.request("sync", { since: 0 });
        assert.deepEqual(missed.events.map((e) => e.seq), [1, 2]);
        rec.close();
        probe.close();
      }));

    it("an expiring token gets session_expired, even with live off, then a disconnect", () =>
      withServer(async (srv) => {
        const s = await srv.register();
        const token = mint({ sub: s.userId, ws: s.ws, role: "owner", iat: now(), exp: now() + 4 });
        const rec = await srv.connect({ transports, auth: { token } });
        await rec.request("live", { enabled: false });
        const expired = await rec.waitFor((n) => n === "session_expired", "session_expired", 15_000);
        assert.deepEqual(expired, { reason: "token expired" });
        await rec.waitFor((n, p) => n === "disconnect" && p === "io server disconnect", "disconnect", 15_000);
        const names = rec.events.map((e) => e.name);
        assert.ok(names.indexOf("session_expired") < names.indexOf("disconnect"), "told before being disconnected");
        rec.close();
      }));

    it("malformed payloads get error acks; the socket and other clients keep working", () =>
      withServer(async (srv) => {
        const s = await srv.register();
        const bad = await srv.connect({ transports, auth: { token: s.token } });
        const good = await srv.connect({ transports, auth: { token: s.token } });
        const cases = [
          ["subscribe", "nope", "bad_request"],
          ["subscribe", { rooms: "workspace" }, "bad_request"],
          ["subscribe", { rooms: [1, 2] }, "bad_request"],
          ["subscribe", { rooms: ["campaign:not-a-uuid"] }, "invalid_room"],
          ["subscribe", { rooms: ["nonsense"] }, "invalid_room"],
          ["subscribe", { rooms: Array.from({ length: 201 }, () => "workspace") }, "too_many_rooms"],
          ["unsubscribe", null, "bad_request"],
          ["live", { enabled: "yes" }, "bad_request"],
          ["live", [], "bad_request"],
          ["sync", { since: -1 }, "bad_request"],
          ["sync", { since: "0" }, "bad_request"],
          ["sync", { since: 0, limit: 0 }, "bad_request"],
          ["sync", { since: 0, limit: 1001 }, "bad_request"],
          ["no_such_event", { x: 1 }, "unknown_event"],
        ];
        for (const [event, payload, code] of cases) {
          const ack = await bad.request(event, payload);
          assert.equal(ack.ok, false, `${event} ${JSON.stringify(payload)}`);
          assert.equal(ack.error.code, code, `${event} ${JSON.stringify(payload)}`);
          assert.equal(typeof ack.error.message, "string");
        }
        assert.ok(bad.socket.connected);
        await srv.ok("POST", "/api/campaigns", s.token, { name: "still flowing" });
        await good.waitSeq(1);
        await bad.waitSeq(1);
        bad.close();
        good.close();
      }));

    it("a payload over SOCKET_MAX_PAYLOAD cuts that connection only", () =>
      withServer(
        async (srv) => {
          const s = await srv.register();
          const huge = await srv.connect({ transports, auth: { token: s.token } });
          const good = await srv.connect({ transports, auth: { token: s.token } });
          huge.socket.emit("subscribe", { rooms: ["x".repeat(20_000)] });
          const reason = await huge.waitFor((n) => n === "disconnect", "disconnect of the oversized sender");
          assert.match(reason, /^transport (close|error)$/);
          assert.ok(good.socket.connected, "the other client stays connected");
          await srv.ok("POST", "/api/campaigns", s.token, { name: "still flowing" });
          assert.equal((await good.waitSeq(1)).seq, 1);
          huge.close();
          good.close();
        },
        { SOCKET_MAX_PAYLOAD: "10000" },
      ));
  });
}

describe("ordering under concurrency", () => {
  it("parallel writers in one workspace: every client gets 1..N in order, no gaps or duplicates, and sync agrees", () =>
    withServer(async (srv) => {
      const s = await srv.register();
      const clients = await Promise.all([
        srv.connect({ transports: ["websocket"], auth: { token: s.token } }),
        srv.connect({ transports: ["polling"], auth: { token: s.token } }),
        srv.connect({ transports: ["websocket"], auth: { token: s.token, subscribe: ["leads"] } }),
      ]);
      const c = await srv.ok("POST", "/api/campaigns", s.token, { name: "C" });
      const writers = 8;
      const perWriter = 15;
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          for (let i = 0; i < perWriter; i++) {
            await srv.ok("POST", "/api/leads", s.token, { campaign_id: c.id, name: `w${w}-${i}` });
          }
        }),
      );
      const n = 1 + writers * perWriter;
      const all = Array.from({ length: n }, (_, i) => i + 1);
      for (const rec of clients.slice(0, 2)) {
        await rec.waitSeq(n, 30_000);
        assert.deepEqual(rec.seqs(), all, "exactly 1..N in order");
      }
      await clients[2].waitSeq(n, 30_000);
      assert.deepEqual(clients[2].seqs(), all.slice(1));
      let since = 0;
      const synced = [];
      for (;;) {
        const page = await clients[0].request("sync", { since, limit: 50 });
        synced.push(...page.events.map((e) => e.seq));
        if (!page.has_more) break;
        since = page.events.at(-1).seq;
      }
      assert.deepEqual(synced, all);
      for (const rec of clients) rec.close();
    }));

  it("a client that reads over REST on every event sees at least what the event announced", () =>
    withServer(async (srv) => {
      const s = await srv.register();
      const c = await srv.ok("POST", "/api/campaigns", s.token, { name: "C" });
      const leads = await Promise.all(
        Array.from({ length: 4 }, (_, i) => srv.ok("POST", "/api/leads", s.token, { campaign_id: c.id, name: `lead ${i}` })),
      );
      const rec = await srv.connect({ transports: ["websocket"], auth: { token: s.token, subscribe: ["leads", "campaigns"] } });
      // On each event, read the entity at once: an event announced before its commit would
      // let this read see the version before it (or a 404 for a create).
      const reads = [];
      const stale = [];
      const check = (path, announced) =>
        reads.push(
          srv.api("GET", path, s.token).then((res) => {
            if (res.status !== 200 || res.body.version < announced) stale.push({ path, announced, status: res.status, got: res.body.version });
          }),
        );
      rec.socket.on("leads_updated", (e) => e.data && check(`/api/leads/${e.id}`, e.data.version));
      rec.socket.on("campaigns_updated", (e) => e.data && check(`/api/campaigns/${e.id}`, e.data.version));
      const statuses = ["contacted", "responded", "pending"];
      const rounds = 12;
      await Promise.all([
        ...leads.map(async (l) => {
          for (let i = 0; i < rounds; i++) {
            await srv.ok("PATCH", `/api/leads/${l.id}`, s.token, { status: statuses[i % statuses.length], notes: `round ${i}` });
          }
        }),
        (async () => {
          for (let i = 0; i < rounds; i++) {
            await srv.ok("POST", "/api/leads", s.token, { campaign_id: c.id, name: `new ${i}` });
            await srv.ok("PATCH", `/api/campaigns/${c.id}`, s.token, { description: `round ${i}` });
          }
        })(),
      ]);
      const last = await srv.ok("GET", "/api/events?since=0&limit=1", s.token);
      await rec.waitSeq(last.latest_seq, 30_000);
      await Promise.all(reads);
      assert.ok(reads.length >= leads.length * rounds + 2 * rounds, `${reads.length} reads`);
      assert.deepEqual(stale, [], "every read saw at least the announced version");
      rec.close();
    }));
});
