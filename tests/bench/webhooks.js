// Webhook delivery: how fast a backlog drains to one local receiver and to 100 webhooks at
// once, and whether a receiver that answers only after 10 s slows the writes down.
//
//   node tests/bench/webhooks.js [--events 2000] [--webhooks 100] [--per-webhook 100] [--writes 300]
//
// 1. One webhook: disabled, `--events` writes, enabled; the time until the receiver got
//    every event is the delivery rate of one webhook (one request in flight: order).
// 2. `--webhooks` webhooks to the same receiver (20 per workspace, the most one may have),
//    the same way with `--per-webhook` events in each workspace: the node's total rate (at
//    most 4 requests in flight per workspace).
// 3. Write latency: `--writes` sequential campaign creations with no webhook, then with one
//    webhook whose receiver answers after 10 s; p50/p99 of the HTTP round trip.
//
// The server is a release build (KANDID_BIN, default target/release/kandid) on a fresh
// SQLite database, or PostgreSQL when TEST_POSTGRES_URL is set. Prints Markdown tables.
import { Server, until } from "../socket/lib/harness.js";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import http from "node:http";

const here = dirname(fileURLToPath(import.meta.url));
process.env.KANDID_BIN ??= resolve(process.env.CARGO_TARGET_DIR ?? resolve(here, "../../target"), "release/kandid");

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}
const EVENTS = arg("events", 2000);
const WEBHOOKS = arg("webhooks", 100);
const PER_WEBHOOK = arg("per-webhook", 100);
const WRITES = arg("writes", 300);
const WAIT = 600_000;

/** A receiver counting deliveries per path, answering 200 after `delayMs`. */
async function receiver(delayMs = 0) {
  const counts = new Map();
  let total = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const done = () => {
        counts.set(req.url, (counts.get(req.url) ?? 0) + 1);
        total++;
        res.writeHead(200).end();
      };
      if (delayMs) setTimeout(done, delayMs);
      else done();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${server.address().port}`;
  return { base, counts, total: () => total, close: () => server.close() };
}

async function writeMany(srv, token, n, concurrency = 16) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        await srv.ok("POST", "/api/campaigns", token, { name: `C${next}` });
      }
    }),
  );
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Disables every group's webhooks, writes `perHook` events in each group's workspace,
 * enables them all again and times until the receiver has every delivery. */
async function drain(srv, groups, rx, perHook) {
  const each = async (enabled) => {
    for (const { token, hooks } of groups) {
      for (const h of hooks) await srv.ok("PATCH", `/api/webhooks/${h}`, token, { enabled });
    }
  };
  await each(false);
  for (const { token } of groups) await writeMany(srv, token, perHook);
  const t0 = performance.now();
  await each(true);
  const want = groups.reduce((n, g) => n + g.hooks.length, 0) * perHook;
  await until(() => rx.total() >= want, "every delivery", WAIT);
  return (want / (performance.now() - t0)) * 1000;
}

/** Webhooks a workspace may have. */
const PER_WORKSPACE = 20;

async function writeLatencies(srv, token, n) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await srv.ok("POST", "/api/campaigns", token, { name: `L${i}` });
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b);
}

const ENV = { WEBHOOK_ALLOW_HTTP: "true", WEBHOOK_ALLOW_PRIVATE: "true", REDIS_URL: "", RUST_LOG: "error" };
const db = process.env.TEST_POSTGRES_URL ? "PostgreSQL" : "SQLite";

async function main() {
  const out = [];
  {
    const srv = await Server.start(ENV);
    const rx = await receiver();
    try {
      const { token } = await srv.register();
      const one = await srv.ok("POST", "/api/webhooks", token, { url: `${rx.base}/one` });
      const rate1 = await drain(srv, [{ token, hooks: [one.id] }], rx, EVENTS);
      await srv.ok("DELETE", `/api/webhooks/${one.id}`, token);
      // At most 20 webhooks per workspace: the 100 are spread over 5 workspaces.
      const groups = [];
      for (let i = 0; i < WEBHOOKS; i += PER_WORKSPACE) {
        const { token: t } = await srv.register();
        const hooks = [];
        for (let j = i; j < Math.min(WEBHOOKS, i + PER_WORKSPACE); j++) {
          hooks.push((await srv.ok("POST", "/api/webhooks", t, { url: `${rx.base}/h${j}` })).id);
        }
        groups.push({ token: t, hooks });
      }
      const before = rx.total();
      const rxView = { total: () => rx.total() - before };
      const rateN = await drain(srv, groups, rxView, PER_WEBHOOK);
      out.push(`| delivery (${db}) | events | deliveries/s |`, "|---|---|---|");
      out.push(`| 1 webhook, backlog of ${EVENTS} | ${EVENTS} | ${rate1.toFixed(0)} |`);
      out.push(`| ${WEBHOOKS} webhooks in ${groups.length} workspaces, ${PER_WEBHOOK} events each | ${WEBHOOKS * PER_WEBHOOK} | ${rateN.toFixed(0)} |`);
    } finally {
      rx.close();
      await srv.close();
    }
  }
  {
    const srv = await Server.start(ENV);
    const slow = await receiver(10_000);
    try {
      const { token } = await srv.register();
      const none = await writeLatencies(srv, token, WRITES);
      await srv.ok("POST", "/api/webhooks", token, { url: `${slow.base}/slow` });
      const withSlow = await writeLatencies(srv, token, WRITES);
      out.push("", `| ${WRITES} sequential writes (${db}) | p50 ms | p99 ms | max ms |`, "|---|---|---|---|");
      for (const [name, ms] of [["no webhook", none], ["one webhook answering after 10 s", withSlow]]) {
        out.push(`| ${name} | ${pct(ms, 50).toFixed(2)} | ${pct(ms, 99).toFixed(2)} | ${ms.at(-1).toFixed(2)} |`);
      }
    } finally {
      slow.close();
      await srv.close();
    }
  }
  console.log(out.join("\n"));
}

await main();
