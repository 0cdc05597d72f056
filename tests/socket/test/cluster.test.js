// Three nodes on one PostgreSQL database, no Redis: every socket on every node receives
// every committed event of its rooms once, in seq order, without gaps and without calling
// `sync`, whichever node wrote it; also while the signal path between nodes is cut, and a
// node's clients recover exactly what they missed with `sync` after that node is killed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { Server, TIMEOUT, until, withServer } from "../lib/harness.js";

const pgUrl = process.env.TEST_POSTGRES_URL;
const skip = pgUrl ? false : "needs TEST_POSTGRES_URL";
// Redis is not part of the design: the nodes run without it.
const ENV = { REDIS_URL: "", CATCH_UP_INTERVAL: "1s" };

/** Starts `n` nodes on one fresh database and runs `fn(nodes)`; always cleans up. */
async function withNodes(n, fn) {
  const first = await Server.start(ENV);
  const nodes = [first];
  try {
    for (let i = 1; i < n; i++) {
      const node = new Server(first.db, ENV);
      await node.launch();
      nodes.push(node);
    }
    return await fn(nodes);
  } catch (e) {
    for (const [i, node] of nodes.entries()) {
      if (node.stderr) e.message += `\n--- node ${i} log (tail) ---\n${node.stderr.slice(-2000)}`;
    }
    throw e;
  } finally {
    for (const node of nodes.slice(1)) await node.stop();
    await first.close();
  }
}

/** The workspace's latest seq, from the log. */
async function latestSeq(node, token) {
  const page = await node.ok("GET", "/api/events?since=0&limit=1", token);
  return page.latest_seq;
}

/** Two sockets per node (websocket and polling) in the workspace room. */
async function connectAll(nodes, token) {
  const sockets = [];
  for (const node of nodes) {
    for (const transports of [["websocket"], ["polling"]]) {
      sockets.push(await node.connect({ auth: { token }, transports }));
    }
  }
  return sockets;
}

function range(from, to) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Waits until every socket has every seq up to `last`, then checks each got exactly `want`. */
async function expectAll(sockets, want) {
  const last = want.at(-1);
  await Promise.all(sockets.map((rec, i) => rec.waitSeq(last, 3 * TIMEOUT).catch((e) => {
    throw new Error(`socket ${i}: ${e.message}`);
  })));
  for (const [i, rec] of sockets.entries()) {
    assert.deepEqual(rec.seqs(), want, `socket ${i} (node ${Math.floor(i / 2)})`);
  }
}

/** Creates `count` leads through the nodes in turn, `parallel` at a time; returns how many succeeded. */
async function writeLeads(nodes, token, campaignId, count, parallel, tag) {
  let next = 0;
  let done = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      const node = nodes[i % nodes.length];
      await node.ok("POST", "/api/leads", token, {
        campaign_id: campaignId,
        name: `${tag} ${i}`,
        email: `${tag}-${i}@example.com`,
      });
      done++;
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker));
  return done;
}

async function metric(node, name) {
  const res = await fetch(`${node.url}/metrics`);
  const text = await res.text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}_total `));
  return line ? Number(line.split(" ")[1]) : 0;
}

describe("three nodes on one PostgreSQL, without Redis", { skip }, () => {
  it("concurrent writes through every node reach every socket on every node once, in seq order", () =>
    withNodes(3, async (nodes) => {
      const u = await nodes[0].register();
      const c = await nodes[1].ok("POST", "/api/campaigns", u.token, { name: "Cluster" });
      const sockets = await connectAll(nodes, u.token);
      const floor = await latestSeq(nodes[0], u.token);
      const n = await writeLeads(nodes, u.token, c.id, 60, 9, "c");
      assert.equal(n, 60);
      const latest = await latestSeq(nodes[2], u.token);
      assert.equal(latest, floor + 60);
      await expectAll(sockets, range(floor + 1, latest));
      for (const rec of sockets) rec.close();
    }));

  it("the signal path cut for 2 s mid-stream: still every event, once, in order; no node restarted", () =>
    withNodes(3, async (nodes) => {
      const u = await nodes[0].register();
      const c = await nodes[0].ok("POST", "/api/campaigns", u.token, { name: "Cut" });
      const sockets = await connectAll(nodes, u.token);
      const pids = nodes.map((n) => n.child.pid);
      const floor = await latestSeq(nodes[0], u.token);
      const dbName = new URL(nodes[0].db.url).pathname.slice(1);
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      let cut = 0;
      let cutting = true;
      const writes = writeLeads(nodes, u.token, c.id, 90, 3, "cut");
      // Every LISTEN connection of the three nodes is terminated, and again whenever one
      // comes back, for 2 s; the writes go on meanwhile.
      const cutter = (async () => {
        await until(async () => (await latestSeq(nodes[0], u.token)) >= floor + 10, "the first writes");
        const end = Date.now() + 2000;
        while (Date.now() < end) {
          const r = await admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN%'",
            [dbName],
          );
          cut += r.rowCount;
          await new Promise((res) => setTimeout(res, 20));
        }
        cutting = false;
      })();
      try {
        assert.equal(await writes, 90);
        await cutter;
      } finally {
        cutting = false;
        await admin.end();
      }
      assert.ok(!cutting);
      assert.ok(cut >= 3, `terminated ${cut} LISTEN connections`);
      const latest = await latestSeq(nodes[1], u.token);
      assert.equal(latest, floor + 90);
      await expectAll(sockets, range(floor + 1, latest));
      // The nodes noticed, reconnected by themselves, and are ready again.
      for (const node of nodes) {
        await until(async () => (await metric(node, "kandid_signal_reconnects")) >= 1, "a reconnect");
        await until(async () => (await node.api("GET", "/readyz")).status === 200, "/readyz");
      }
      assert.deepEqual(nodes.map((n) => n.child.pid), pids, "no node was restarted");
      for (const rec of sockets) rec.close();
    }));

  it("a node killed under writes: its clients move to another node and sync exactly what they missed", () =>
    withNodes(3, async (nodes) => {
      const u = await nodes[0].register();
      const c = await nodes[0].ok("POST", "/api/campaigns", u.token, { name: "Crash" });
      const floor = await latestSeq(nodes[0], u.token);
      // A client as the contract's recipe writes it: keep the last seq; apply an event only
      // if it is the next one; on a gap or a reconnect, `sync` from the last seq.
      const victim = nodes[2];
      const clients = [];
      for (const transports of [["websocket"], ["polling"]]) {
        const client = { applied: [], last: floor, socket: null, syncing: false };
        client.apply = (ev) => {
          if (ev.seq <= client.last) return;
          if (ev.seq !== client.last + 1) return client.sync();
          client.applied.push(ev.seq);
          client.last = ev.seq;
        };
        // A gap seen while a sync is in flight is synced again once that one is done.
        client.sync = async () => {
          client.again = true;
          if (client.syncing) return;
          client.syncing = true;
          try {
            while (client.again) {
              client.again = false;
              const r = await client.socket.request("sync", { since: client.last });
              assert.equal(r.ok, true, JSON.stringify(r));
              for (const ev of r.events) client.apply(ev);
              if (r.has_more) client.again = true;
            }
          } finally {
            client.syncing = false;
          }
        };
        client.socket = await victim.connect({ auth: { token: u.token }, transports });
        client.socket.socket.on("leads_updated", client.apply);
        clients.push(client);
      }
      const survivors = nodes.slice(0, 2);
      let stop = false;
      let written = 0;
      const writer = (async () => {
        while (!stop) {
          written += await writeLeads(survivors, u.token, c.id, 2, 2, `k${written}`);
        }
      })();
      await until(() => clients.every((cl) => cl.applied.length >= 5), "events before the crash");
      const gone = Promise.all(clients.map((cl) => cl.socket.waitFor((n) => n === "disconnect", "disconnect")));
      victim.child.kill("SIGKILL");
      await gone;
      for (const [i, cl] of clients.entries()) {
        const node = survivors[i % survivors.length];
        cl.socket = await node.connect({ auth: { token: u.token }, transports: i ? ["polling"] : ["websocket"] });
        cl.socket.socket.on("leads_updated", cl.apply);
        await cl.sync();
      }
      await until(() => written >= 40, "writes after the crash", 3 * TIMEOUT);
      stop = true;
      await writer;
      const latest = await latestSeq(nodes[0], u.token);
      assert.equal(latest, floor + written);
      await until(() => clients.every((cl) => cl.last === latest), "every client at the latest seq", 3 * TIMEOUT);
      for (const cl of clients) {
        assert.deepEqual(cl.applied, range(floor + 1, latest));
        cl.socket.close();
      }
    }));

  it("a revocation announced while the signal path was down still ends the session when it comes back", () =>
    withServer(async (srv) => {
      const owner = await srv.register();
      const tok = await srv.ok("POST", "/api/tokens", owner.token, { name: "t", role: "viewer" });
      const rec = await srv.connect({ transports: ["websocket"], auth: { token: tok.token } });
      assert.equal((await rec.request("sync", { since: 0 })).ok, true);
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      try {
        // Revoked behind the node's back: nothing is announced, as if the notification
        // had been sent while the node was not listening.
        const db = new pg.Client({ connectionString: srv.db.url });
        await db.connect();
        try {
          await db.query("UPDATE api_tokens SET revoked_at = now() WHERE id = $1", [tok.id]);
        } finally {
          await db.end();
        }
        // The signal path drops once; the node reconnects and checks its sessions again.
        const dbName = new URL(srv.db.url).pathname.slice(1);
        const cut = await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN%'",
          [dbName],
        );
        assert.equal(cut.rowCount, 1);
      } finally {
        await admin.end();
      }
      await rec.waitFor((n) => n === "session_revoked", "session_revoked");
      await rec.waitFor((n) => n === "disconnect", "disconnect");
    }, ENV));
});
