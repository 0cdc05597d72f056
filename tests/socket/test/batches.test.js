// Group commit as clients see it: concurrent writes share a database transaction, yet
// each gets its own answer, the log stays gapless, and only committed writes are announced,
// even when the shared COMMIT itself fails.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { withServer } from "../lib/harness.js";

/**
 * Makes COMMIT fail for any transaction that inserted a lead named "late boom": the check
 * is deferred to commit time, so every statement of the write succeeds and only the
 * shared COMMIT of its batch is refused.
 */
async function failAtCommit(srv) {
  if (srv.db.url.startsWith("sqlite:")) {
    const file = srv.db.url.slice("sqlite://".length).split("?")[0];
    const sql = `CREATE TABLE commit_guard (campaign_id TEXT REFERENCES campaigns(id) DEFERRABLE INITIALLY DEFERRED);
      CREATE TRIGGER late_boom AFTER INSERT ON leads WHEN NEW.name = 'late boom'
      BEGIN INSERT INTO commit_guard VALUES ('no such campaign'); END;`;
    execFileSync("sqlite3", [file, sql]);
  } else {
    const c = new pg.Client({ connectionString: srv.db.url });
    await c.connect();
    await c.query(`CREATE FUNCTION late_boom() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$ LANGUAGE plpgsql`);
    await c.query(`CREATE CONSTRAINT TRIGGER late_boom AFTER INSERT ON leads DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (NEW.name = 'late boom') EXECUTE FUNCTION late_boom()`);
    await c.end();
  }
}

const isData = (n) => n === "campaigns_updated" || n === "leads_updated";
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Every lead of a campaign, all pages. */
async function allLeads(srv, token, campaignId) {
  const out = [];
  let cursor = null;
  do {
    const q = `/api/leads?campaign_id=${campaignId}&limit=200${cursor ? `&cursor=${cursor}` : ""}`;
    const page = await srv.ok("GET", q, token);
    out.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

describe("group commit", () => {
  it("concurrent writes, some refused: each gets its own answer, seq gapless, only committed ones announced", () =>
    withServer(async (srv) => {
      const s = await srv.register();
      const rec = await srv.connect({ transports: ["websocket"], auth: { token: s.token } });
      const c = await srv.ok("POST", "/api/campaigns", s.token, { name: "C" });
      const lead = await srv.ok("POST", "/api/leads", s.token, { campaign_id: c.id, name: "L" });
      await rec.waitSeq(2);

      const planned = [
        ...range(1, 15).map((i) => ({ want: 201, req: ["POST", "/api/leads", { campaign_id: c.id, name: `new ${i}` }] })),
        ...range(1, 5).map(() => ({ want: 412, req: ["PATCH", `/api/leads/${lead.id}`, { notes: "stale" }, { "if-match": '"99"' }] })),
        ...range(1, 5).map(() => ({ want: 422, req: ["POST", "/api/leads", { campaign_id: randomUUID(), name: "nowhere" }] })),
        // draft → completed is not a transition.
        ...range(1, 3).map(() => ({ want: 409, req: ["PATCH", `/api/campaigns/${c.id}`, { status: "completed" }] })),
        { want: 200, req: ["PATCH", `/api/leads/${lead.id}`, { name: "renamed" }, { "if-match": '"1"' }] },
      ];
      // Interleaved (29 writes, 7 coprime to 29: a permutation) so refused writes sit
      // between accepted ones in the same batches.
      const writes = planned.map((_, i) => planned[(i * 7) % planned.length]);
      const results = await Promise.all(
        writes.map(({ req: [method, path, body, headers] }) => srv.api(method, path, s.token, body, headers)),
      );
      results.forEach((r, i) => assert.equal(r.status, writes[i].want, `${writes[i].req.slice(0, 2).join(" ")}: ${JSON.stringify(r.body)}`));
      const accepted = results.filter((r) => r.status === 201 || r.status === 200);
      assert.equal(accepted.length, 16);

      const last = 2 + accepted.length;
      await rec.waitSeq(last);
      assert.deepEqual(rec.seqs(), range(1, last), "every committed write once, in seq order, no gaps");
      const announced = rec.events.filter((e) => isData(e.name) && e.payload.seq > 2).map((e) => e.payload.id);
      assert.deepEqual(announced.sort(), accepted.map((r) => r.body.id).sort(), "exactly the accepted writes");
      const log = await srv.ok("GET", "/api/events?since=0&limit=1000", s.token);
      assert.deepEqual(log.data.map((e) => e.seq), range(1, last));
      assert.equal(log.latest_seq, last);

      const now = await srv.ok("GET", `/api/leads/${lead.id}`, s.token);
      assert.deepEqual([now.name, now.notes, now.version], ["renamed", null, 2]);
      assert.equal((await srv.ok("GET", `/api/campaigns/${c.id}`, s.token)).status, "draft");
      assert.equal((await allLeads(srv, s.token, c.id)).length, 16);
      rec.close();
    }));

  it("a batch whose COMMIT fails: its writes all get an error, nothing of it is announced, no seq gap", () =>
    withServer(async (srv) => {
      const s = await srv.register();
      const rec = await srv.connect({ transports: ["websocket"], auth: { token: s.token } });
      const c = await srv.ok("POST", "/api/campaigns", s.token, { name: "C" });
      await rec.waitSeq(1);
      await failAtCommit(srv);

      const names = range(1, 20).map((i) => `lead ${i}`);
      names.splice(10, 0, "late boom");
      const results = await Promise.all(names.map((name) => srv.api("POST", "/api/leads", s.token, { campaign_id: c.id, name })));
      const byName = Object.fromEntries(names.map((n, i) => [n, results[i]]));
      assert.equal(byName["late boom"].status, 500, JSON.stringify(byName["late boom"].body));
      assert.equal(byName["late boom"].body.code, "internal");
      assert.ok(!JSON.stringify(byName["late boom"].body).includes("refused"), "no internals in the body");
      for (const [name, r] of Object.entries(byName)) {
        // Its batch neighbours fail with it; writes of other batches commit.
        assert.ok(r.status === 201 || (r.status === 500 && r.body.code === "internal"), `${name}: ${r.status} ${JSON.stringify(r.body)}`);
      }
      const committed = results.filter((r) => r.status === 201).map((r) => r.body);

      // Writing goes on, and the next seq follows the last committed one.
      const marker = await srv.ok("POST", "/api/leads", s.token, { campaign_id: c.id, name: "marker" });
      const last = 1 + committed.length + 1;
      const e = await rec.waitFor((n, p) => isData(n) && p.id === marker.id, "marker");
      assert.equal(e.seq, last);
      assert.deepEqual(rec.seqs(), range(1, last), "nothing uncommitted announced, no gap");
      const announced = rec.events.filter((ev) => isData(ev.name) && ev.payload.seq > 1).map((ev) => ev.payload.id);
      assert.deepEqual(announced.sort(), [...committed.map((l) => l.id), marker.id].sort());
      const stored = await allLeads(srv, s.token, c.id);
      assert.deepEqual(stored.map((l) => l.id).sort(), [...committed.map((l) => l.id), marker.id].sort());
      const log = await srv.ok("GET", "/api/events?since=0&limit=1000", s.token);
      assert.deepEqual(log.data.map((ev) => ev.seq), range(1, last));
      rec.close();
    }));
});
