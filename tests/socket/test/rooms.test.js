// Rooms: each room of the contract's table receives exactly its events, once.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import pg from "pg";
import { TRANSPORTS, withServer } from "../lib/harness.js";

/** The rooms recorded on an event row, read from the database itself. */
async function eventRooms(srv, ws, seq) {
  if (srv.db.url.startsWith("sqlite:")) {
    const file = srv.db.url.slice("sqlite://".length).split("?")[0];
    // SQLite keeps UUIDs as 16-byte blobs.
    const id = ws.replaceAll("-", "").toUpperCase();
    return execFileSync("sqlite3", [file, `SELECT rooms FROM events WHERE hex(workspace_id) = '${id}' AND seq = ${seq}`]).toString().trim();
  }
  const c = new pg.Client({ connectionString: srv.db.url });
  await c.connect();
  const r = await c.query("SELECT rooms::text AS rooms FROM events WHERE workspace_id = $1 AND seq = $2", [ws, seq]);
  await c.end();
  return r.rows[0].rooms;
}

/** Which rooms (client names) an event reaches, per the contract's table. */
function roomsOf(ev) {
  const rooms = ["workspace"];
  if (ev.type === "campaigns_updated") rooms.push("campaigns", `campaign:${ev.campaign_id}`);
  if (ev.type === "leads_updated") {
    rooms.push("leads", `campaign:${ev.campaign_id}`);
    if (ev.id) rooms.push(`lead:${ev.id}`);
  }
  return rooms;
}

/** Creates two campaigns with a lead each and performs a mix of writes; returns ids. */
async function script(srv, token) {
  const A = await srv.ok("POST", "/api/campaigns", token, { name: "A" });
  const B = await srv.ok("POST", "/api/campaigns", token, { name: "B" });
  const L1 = await srv.ok("POST", "/api/leads", token, { campaign_id: A.id, name: "L1" });
  const L2 = await srv.ok("POST", "/api/leads", token, { campaign_id: B.id, name: "L2" });
  await srv.ok("PATCH", `/api/leads/${L2.id}`, token, { status: "contacted" });
  await srv.ok("PATCH", `/api/campaigns/${A.id}`, token, { status: "active" });
  await srv.ok("POST", `/api/campaigns/${B.id}/leads/import`, token, [{ name: "I1" }, { name: "I2" }], 200);
  await srv.ok("DELETE", `/api/leads/${L2.id}`, token);
  return { A, B, L1, L2 };
}

for (const transports of TRANSPORTS) {
  describe(`rooms over ${transports}`, () => {
    for (const room of ["workspace", "campaigns", "leads", "campaign", "lead"]) {
      it(`${room} receives exactly its events`, () =>
        withServer(async (srv) => {
          const s = await srv.register();
          const other = await srv.register();
          // Entity rooms need the entity first: subscribe after a first campaign and lead exist,
          // once a probe has seen their events go out (emission is asynchronous to the response).
          const probe = await srv.connect({ transports, auth: { token: s.token } });
          const A0 = await srv.ok("POST", "/api/campaigns", s.token, { name: "A0" });
          const L0 = await srv.ok("POST", "/api/leads", s.token, { campaign_id: A0.id, name: "L0" });
          await probe.waitSeq(2);
          probe.close();
          const name = room === "campaign" ? `campaign:${A0.id}` : room === "lead" ? `lead:${L0.id}` : room;
          const rec = await srv.connect({ transports, auth: { token: s.token, subscribe: [name] } });
          const start = (await srv.ok("GET", "/api/events?since=0", s.token)).latest_seq;
          // Another workspace writes too: none of it may arrive.
          const theirs = await srv.ok("POST", "/api/campaigns", other.token, { name: "theirs" });
          await srv.ok("POST", "/api/leads", other.token, { campaign_id: theirs.id, name: "their lead" });

          await script(srv, s.token);
          await srv.ok("POST", "/api/leads", s.token, { campaign_id: A0.id, name: "L0b" });
          await srv.ok("PATCH", `/api/leads/${L0.id}`, s.token, { notes: "lead marker" });
          // The marker: a last write this room receives; everything before it has arrived by then.
          if (room === "campaigns" || room === "campaign") {
            await srv.ok("PATCH", `/api/campaigns/${A0.id}`, s.token, { name: "campaign marker" });
          }
          const log = await srv.ok("GET", `/api/events?since=${start}&limit=1000`, s.token);
          const want = log.data.filter((e) => roomsOf(e).includes(name));
          assert.equal(want.at(-1).seq, log.latest_seq, "the marker is the last write");
          assert.ok(want.length < log.data.length || room === "workspace", "the room must miss some events");
          await rec.waitSeq(log.latest_seq);
          // dashboard_updated goes to `dashboard` and `workspace` only, and only ours.
          const dashboards = rec.events.filter((e) => e.name === "dashboard_updated").map((e) => e.payload);
          if (room !== "workspace") assert.deepEqual(dashboards, [], `${room} got dashboard_updated`);
          // A dashboard read while the probe's writes went out may reach this socket after it
          // subscribed, with a seq before `start`: it is this workspace's all the same, and a
          // client keeps the newest it has (the kit drops an older one).
          for (const d of dashboards) {
            assert.ok(d.seq >= 1 && d.seq <= log.latest_seq, `dashboard seq ${d.seq}`);
            assert.ok(!JSON.stringify(d).includes(theirs.id), "another workspace's dashboard");
          }
          const got = rec.events.filter((e) => e.name !== "dashboard_updated");
          assert.deepEqual(
            got.map((e) => [e.name, e.payload.seq]),
            want.map((e) => [e.type, e.seq]),
          );
          // Each delivered event equals the logged one.
          assert.deepEqual(got.map((e) => e.payload), want);
          rec.close();
        }));
    }

    it("dashboard receives only dashboard_updated, reflecting the latest seq", () =>
      withServer(async (srv) => {
        const s = await srv.register();
        const rec = await srv.connect({ transports, auth: { token: s.token, subscribe: ["dashboard"] } });
        await script(srv, s.token);
        const latest = (await srv.ok("GET", "/api/events?since=0", s.token)).latest_seq;
        const d = await rec.waitFor((n, p) => n === "dashboard_updated" && p.seq === latest, "final dashboard");
        const dash = await srv.ok("GET", "/api/dashboard", s.token);
        assert.equal(d.metrics.seq, latest);
        assert.deepEqual(d.metrics.campaigns, dash.campaigns);
        assert.deepEqual(d.metrics.leads, dash.leads);
        assert.ok(rec.events.every((e) => e.name === "dashboard_updated"), JSON.stringify(rec.events.map((e) => e.name)));
        // Coalesced: far fewer dashboards than writes.
        assert.ok(rec.events.length < latest, `${rec.events.length} dashboards for ${latest} writes`);
        rec.close();
      }));

    it("lead:<id> hears of its lead's deletion with the campaign, live and in sync; the log row stays small", () =>
      withServer(async (srv) => {
        const s = await srv.register();
        const A = await srv.ok("POST", "/api/campaigns", s.token, { name: "A" });
        const B = await srv.ok("POST", "/api/campaigns", s.token, { name: "B" });
        const L = await srv.ok("POST", "/api/leads", s.token, { campaign_id: A.id, name: "L" });
        const M = await srv.ok("POST", "/api/leads", s.token, { campaign_id: B.id, name: "M" });
        const many = Array.from({ length: 300 }, (_, i) => ({ name: `bulk ${i}` }));
        await srv.ok("POST", `/api/campaigns/${A.id}/leads/import`, s.token, many, 200);
        const rec = await srv.connect({ transports, auth: { token: s.token, subscribe: [`lead:${L.id}`] } });
        const other = await srv.connect({ transports, auth: { token: s.token, subscribe: [`lead:${M.id}`] } });
        await srv.ok("DELETE", `/api/campaigns/${A.id}`, s.token);
        const e = await rec.waitFor((n, p) => n === "leads_updated" && p.action === "deleted", "bulk delete");
        assert.deepEqual([e.id, e.campaign_id, e.count], [null, A.id, 301]);
        const sync = await rec.request("sync", { since: 5 });
        assert.deepEqual(sync.events.map((x) => [x.type, x.action, x.seq]), [["leads_updated", "deleted", e.seq]]);
        // A lead of another campaign hears nothing of it, live or in sync.
        assert.deepEqual((await other.request("sync", { since: 5 })).events, []);
        assert.deepEqual(other.seqs(), []);
        // The row names the campaign's rooms, not 301 lead rooms.
        const rooms = JSON.parse(await eventRooms(srv, s.ws, e.seq));
        assert.deepEqual(rooms.sort(), ["campaign:" + A.id, "leads", "workspace"]);
        rec.close();
        other.close();
      }));

    it("a socket in several matching rooms gets one copy of each event", () =>
      withServer(async (srv) => {
        const s = await srv.register();
        const probe = await srv.connect({ transports, auth: { token: s.token } });
        const A = await srv.ok("POST", "/api/campaigns", s.token, { name: "A" });
        const L = await srv.ok("POST", "/api/leads", s.token, { campaign_id: A.id, name: "L" });
        await probe.waitSeq(2);
        probe.close();
        const rec = await srv.connect({
          transports,
          auth: { token: s.token, subscribe: ["workspace", "leads", "campaigns", `campaign:${A.id}`, `lead:${L.id}`] },
        });
        const u1 = await srv.ok("PATCH", `/api/leads/${L.id}`, s.token, { status: "contacted" });
        await srv.ok("PATCH", `/api/campaigns/${A.id}`, s.token, { status: "active" });
        const last = (await srv.ok("GET", "/api/events?since=0", s.token)).latest_seq;
        await rec.waitSeq(last);
        assert.deepEqual(rec.seqs(), [last - 1, last]);
        assert.equal(u1.version, 2);
        rec.close();
      }));

    it("subscribe and unsubscribe change what arrives; foreign rooms cannot be joined", () =>
      withServer(async (srv) => {
        const s = await srv.register();
        const other = await srv.register();
        const A = await srv.ok("POST", "/api/campaigns", s.token, { name: "A" });
        const B = await srv.ok("POST", "/api/campaigns", s.token, { name: "B" });
        const theirs = await srv.ok("POST", "/api/campaigns", other.token, { name: "theirs" });
        const theirLead = await srv.ok("POST", "/api/leads", other.token, { campaign_id: theirs.id, name: "x" });
        const rec = await srv.connect({ transports, auth: { token: s.token, subscribe: [] } });

        for (const room of [`campaign:${theirs.id}`, `lead:${theirLead.id}`, `campaign:${crypto.randomUUID()}`]) {
          const ack = await rec.request("subscribe", { rooms: [`campaign:${A.id}`, room] });
          assert.equal(ack.ok, false);
          assert.equal(ack.error.code, "not_found");
        }
        // All or nothing: A was not joined either.
        assert.deepEqual(await rec.request("subscribe", { rooms: [] }), { ok: true, rooms: [] });

        assert.deepEqual(await rec.request("subscribe", { rooms: [`campaign:${A.id}`] }), { ok: true, rooms: [`campaign:${A.id}`] });
        await srv.ok("PATCH", `/api/campaigns/${B.id}`, s.token, { name: "B2" });
        await srv.ok("PATCH", `/api/campaigns/${theirs.id}`, other.token, { name: "t2" });
        const a2 = await srv.ok("PATCH", `/api/campaigns/${A.id}`, s.token, { name: "A2" });
        const seqA2 = (await srv.ok("GET", "/api/events?since=0", s.token)).latest_seq;
        await rec.waitSeq(seqA2);
        assert.deepEqual(rec.seqs(), [seqA2]);
        assert.equal(rec.events[0].payload.data.name, a2.name);

        assert.deepEqual(await rec.request("unsubscribe", { rooms: [`campaign:${A.id}`] }), { ok: true, rooms: [] });
        await rec.request("subscribe", { rooms: ["campaigns"] });
        await srv.ok("PATCH", `/api/campaigns/${A.id}`, s.token, { name: "A3" });
        await srv.ok("PATCH", `/api/campaigns/${B.id}`, s.token, { name: "B3" });
        const last = (await srv.ok("GET", "/api/events?since=0", s.token)).latest_seq;
        await rec.waitSeq(last);
        assert.deepEqual(rec.seqs(), [seqA2, last - 1, last]);
        rec.close();
      }));
  });
}
