// Benchmark: REST write throughput, Socket.IO fan-out latency and throughput, and memory
// per idle socket, against a release build on embedded SQLite (or DATABASE_URL).
//
//   cargo build --release -p kandid
//   node tests/bench/bench.js [--sockets 2000] [--writes 2000] [--concurrency 16]
//
// Uses the official socket.io-client from tests/socket/node_modules. Results go to stdout
// as JSON; tests/bench/RESULTS.md records runs with the machine they ran on.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(resolve(here, "../socket/package.json"));
const { io } = require("socket.io-client");
const { Server } = await import("../socket/lib/harness.js");

const { values: args } = parseArgs({
  options: {
    sockets: { type: "string", default: "2000" },
    writes: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "16" },
  },
});
const SOCKETS = Number(args.sockets);
const WRITES = Number(args.writes);
const CONCURRENCY = Number(args.concurrency);

const rssKiB = (pid) => Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)[1]);
/** CPU seconds (user + system) a process has used. */
const cpuSeconds = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const pct = (xs, p) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const ms = (ns) => Number(ns) / 1e6;

process.env.KANDID_BIN ??= resolve(process.env.CARGO_TARGET_DIR ?? resolve(here, "../../target"), "release/kandid");
// Every socket rides on one user here: lift the per-user socket limit.
const srv = await Server.start({ RUST_LOG: "error", SOCKET_PING_INTERVAL: "25s", SOCKET_MAX_PER_USER: "0" });
const result = { sockets: SOCKETS, writes: WRITES, concurrency: CONCURRENCY, database: srv.db.url.split(":")[0] };
try {
  const s = await srv.register();
  const campaign = await srv.ok("POST", "/api/campaigns", s.token, { name: "bench" });

  // 1. Memory per idle socket.
  const pid = srv.child.pid;
  const before = rssKiB(pid);
  const sockets = [];
  for (let i = 0; i < SOCKETS; i += 200) {
    const batch = Array.from({ length: Math.min(200, SOCKETS - i) }, () =>
      new Promise((res, rej) => {
        const sock = io(srv.url, { transports: ["websocket"], auth: { token: s.token, subscribe: [`campaign:${campaign.id}`] }, reconnection: false, forceNew: true });
        sock.once("connect", () => res(sock));
        sock.once("connect_error", rej);
      }),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  const after = rssKiB(pid);
  result.rss_idle_kib = before;
  result.rss_per_socket_kib = Number(((after - before) / SOCKETS).toFixed(1));

  // 2. REST writes while every socket listens: write latency, delivery latency, deliveries/s.
  let delivered = 0;
  let waiter = null;
  for (const sock of sockets) {
    sock.on("leads_updated", () => {
      delivered++;
      if (waiter && delivered >= waiter.n) {
        const w = waiter;
        waiter = null;
        w.res();
      }
    });
  }
  const deliveredAtLeast = (n) =>
    delivered >= n ? Promise.resolve() : new Promise((res) => (waiter = { n, res }));
  const allDelivered = deliveredAtLeast(WRITES * SOCKETS);
  const writeLat = [];
  const cpu0 = cpuSeconds(pid);
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < WRITES) {
        const i = next++;
        const start = process.hrtime.bigint();
        const res = await fetch(`${srv.url}/api/leads`, {
          method: "POST",
          headers: { authorization: `Bearer ${s.token}`, "content-type": "application/json" },
          body: JSON.stringify({ campaign_id: campaign.id, name: `lead ${i}`, email: `l${i}@example.com` }),
        });
        const end = process.hrtime.bigint();
        if (res.status !== 201) throw new Error(`write failed: ${res.status}`);
        await res.arrayBuffer();
        writeLat.push(ms(end - start));
      }
    }),
  );
  const tWrites = process.hrtime.bigint();
  await allDelivered;
  const tDone = process.hrtime.bigint();
  const log = await srv.ok("GET", `/api/events?since=0&limit=1000`, s.token);
  result.writes_per_s = Math.round(WRITES / (ms(tWrites - t0) / 1000));
  result.write_p50_ms = Number(pct(writeLat, 50).toFixed(2));
  result.write_p99_ms = Number(pct(writeLat, 99).toFixed(2));
  result.deliveries = delivered;
  result.server_cpu_s = Number((cpuSeconds(pid) - cpu0).toFixed(2));
  result.server_cpu_us_per_write_incl_fanout = Math.round((result.server_cpu_s * 1e6) / WRITES);
  result.deliveries_per_s = Math.round(delivered / (ms(tDone - t0) / 1000));
  result.drain_after_last_write_ms = Number(ms(tDone - tWrites).toFixed(1));
  result.gapless = log.latest_seq === WRITES + 1;
  result.rss_after_kib = rssKiB(pid);

  // 3. End-to-end latency at low load: one write at a time, until every socket has it.
  const e2e = [];
  for (let i = 0; i < 200; i++) {
    const target = delivered + SOCKETS;
    const start = process.hrtime.bigint();
    await srv.ok("POST", "/api/leads", s.token, { campaign_id: campaign.id, name: `e2e ${i}` });
    await deliveredAtLeast(target);
    e2e.push(ms(process.hrtime.bigint() - start));
  }
  result.e2e_write_to_all_sockets_p50_ms = Number(pct(e2e, 50).toFixed(2));
  result.e2e_write_to_all_sockets_p99_ms = Number(pct(e2e, 99).toFixed(2));
  for (const sock of sockets) sock.close();
} finally {
  await srv.close();
}
console.log(JSON.stringify(result, null, 2));
