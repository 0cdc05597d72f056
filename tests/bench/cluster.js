// Cross-node delivery latency: three kandid nodes on one PostgreSQL database (no Redis),
// sockets on every node in the `workspace` room, writes through the nodes in turn at a
// steady rate. For each event and socket: receipt time minus the write's send time, split
// by whether the socket is on the node that took the write (the fast path) or on another
// (NOTIFY, then a read of the log).
//
//   node tests/bench/cluster.js [--writes-per-sec 50] [--seconds 20] [--sockets-per-node 20]
//
// Needs TEST_POSTGRES_URL (an admin URL; a database is created and dropped) and a release
// build (KANDID_BIN, default target/release/kandid). Prints a Markdown table.
import { Server } from "../socket/lib/harness.js";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const here = dirname(fileURLToPath(import.meta.url));
process.env.KANDID_BIN ??= resolve(process.env.CARGO_TARGET_DIR ?? resolve(here, "../../target"), "release/kandid");
if (!process.env.TEST_POSTGRES_URL) {
  console.error("set TEST_POSTGRES_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres");
  process.exit(2);
}

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}
const RATE = arg("writes-per-sec", 50);
const SECONDS = arg("seconds", 20);
const PER_NODE = arg("sockets-per-node", 20);
const NODES = 3;
const ENV = { REDIS_URL: "", RUST_LOG: "warn", DATABASE_MAX_CONNECTIONS: "16" };

function pct(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const first = await Server.start(ENV);
const nodes = [first];
try {
  for (let i = 1; i < NODES; i++) {
    const n = new Server(first.db, ENV);
    await n.launch();
    nodes.push(n);
  }
  const u = await first.register();
  const c = await first.ok("POST", "/api/campaigns", u.token, { name: "bench" });
  const pending = new Map(); // lead name -> {at, node}
  const samples = { same: [], other: [] };
  let received = 0;
  const sockets = [];
  for (const [ni, node] of nodes.entries()) {
    for (let i = 0; i < PER_NODE; i++) {
      const rec = await node.connect({ auth: { token: u.token }, transports: ["websocket"] });
      rec.socket.on("leads_updated", (ev) => {
        const at = performance.now();
        const w = pending.get(ev.data?.name);
        if (!w) return;
        received++;
        (w.node === ni ? samples.same : samples.other).push(at - w.at);
      });
      sockets.push(rec);
    }
  }
  const total = RATE * SECONDS;
  const writes = [];
  const failed = [];
  const writeMs = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const ni = i % NODES;
    const name = `lead ${i}`;
    const w = { at: performance.now(), node: ni };
    pending.set(name, w);
    writes.push(
      nodes[ni].ok("POST", "/api/leads", u.token, { campaign_id: c.id, name }).then(() => {
        writeMs.push(performance.now() - w.at);
      }, (e) => {
        failed.push(e.message);
        pending.delete(name);
      }),
    );
  }
  await Promise.all(writes);
  if (failed.length) throw new Error(`${failed.length} writes failed, e.g. ${failed[0]}`);
  const expected = total * NODES * PER_NODE;
  const deadline = performance.now() + 30_000;
  while (received < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const s of sockets) s.close();
  const rows = [];
  for (const [what, xs] of [["same node as the write", samples.same], ["another node", samples.other]]) {
    xs.sort((a, b) => a - b);
    rows.push(`| ${what} | ${xs.length} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 90).toFixed(1)} | ${pct(xs, 99).toFixed(1)} | ${xs.at(-1)?.toFixed(1)} |`);
  }
  console.log(`3 nodes, ${PER_NODE} websocket sockets per node, ${RATE} writes/s for ${SECONDS} s through the nodes in turn; received ${received} of ${expected} deliveries\n`);
  console.log("| socket on | deliveries | p50 ms | p90 ms | p99 ms | max ms |");
  console.log("|---|---|---|---|---|---|");
  for (const r of rows) console.log(r);
  writeMs.sort((a, b) => a - b);
  console.log(`| (the write's own HTTP response) | ${writeMs.length} | ${pct(writeMs, 50).toFixed(1)} | ${pct(writeMs, 90).toFixed(1)} | ${pct(writeMs, 99).toFixed(1)} | ${writeMs.at(-1)?.toFixed(1)} |`);
} catch (e) {
  for (const [i, n] of nodes.entries()) console.error(`--- node ${i} log (tail)\n${n.stderr.slice(-1500)}`);
  throw e;
} finally {
  for (const n of nodes.slice(1)) await n.stop();
  await first.close();
}
