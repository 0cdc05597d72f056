// What a new user runs first: `kandid seed` beside a running server, the README's
// Socket.IO example script against it, and `kandid openapi` into a reader that stops early.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BIN, TIMEOUT, withServer } from "../lib/harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const EXAMPLES = resolve(here, "../../../examples");

/** Runs the binary to its end; resolves with its exit code and output. */
function run(args, env) {
  const child = spawn(BIN, args, { env: { ...process.env, LOG_FORMAT: "json", RUST_LOG: "warn", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((res) => child.on("exit", (code) => res({ code, stdout, stderr })));
}

/** Collects a child's stdout lines; `waitLine(pred)` resolves with the first matching one. */
function lines(child) {
  const seen = [];
  let waiters = [];
  let buf = "";
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  child.stdout.on("data", (d) => {
    buf += d;
    const parts = buf.split("\n");
    buf = parts.pop();
    seen.push(...parts.filter(Boolean));
    waiters = waiters.filter((w) => !w());
  });
  return {
    seen,
    waitLine(pred, what) {
      return new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`timed out waiting for ${what}; stdout ${JSON.stringify(seen)} stderr ${err}`)), TIMEOUT);
        const check = () => {
          const l = seen.find(pred);
          if (l === undefined) return false;
          clearTimeout(timer);
          res(l);
          return true;
        };
        if (!check()) waiters.push(check);
      });
    },
  };
}

describe("first run", () => {
  it("`kandid seed` fills an empty workspace through the write path and refuses to do it twice", async () => {
    await withServer(async (server) => {
      const seeded = await run(["seed"], { DATABASE_URL: server.db.url, SEED_PASSWORD: "demo password" });
      assert.equal(seeded.code, 0, seeded.stderr);
      assert.match(seeded.stdout, /email: +demo@example\.com/);
      assert.match(seeded.stdout, /password: +demo password/);
      const { token } = await server.ok("POST", "/api/auth/login", null, { email: "demo@example.com", password: "demo password" }, 200);

      const campaigns = await server.ok("GET", "/api/campaigns?limit=200", token);
      assert.equal(campaigns.total, 5);
      const statuses = campaigns.data.map((c) => c.status).sort();
      assert.deepEqual(statuses, ["active", "active", "completed", "draft", "paused"]);
      // Counters agree with the rows: each campaign's stats with its leads as listed.
      let leadTotal = 0;
      for (const c of campaigns.data) {
        assert.ok(c.sequence.length > 0, `${c.name} has steps`);
        const leads = await server.ok("GET", `/api/leads?campaign_id=${c.id}&limit=200`, token);
        assert.equal(leads.total, c.stats.total_leads);
        assert.equal(leads.data.length, c.stats.total_leads);
        const byStatus = {};
        for (const l of leads.data) byStatus[l.status] = (byStatus[l.status] ?? 0) + 1;
        for (const [status, n] of Object.entries(c.stats.by_status)) assert.equal(byStatus[status] ?? 0, n, `${c.name} ${status}`);
        leadTotal += c.stats.total_leads;
      }
      const dash = await server.ok("GET", "/api/dashboard", token);
      assert.equal(dash.leads.total, leadTotal);
      assert.ok(leadTotal >= 40, `a realistic number of leads, got ${leadTotal}`);
      for (const status of ["pending", "contacted", "responded", "converted", "do_not_contact"]) {
        assert.ok(dash.leads.by_status[status] > 0, `some leads are ${status}`);
      }
      assert.ok(dash.conversion_rate > 0 && dash.response_rate > 0 && dash.acceptance_rate > 0);
      assert.equal(dash.recent_activity.length, 10);
      // The event log has every write, gapless from 1.
      const events = await server.ok("GET", "/api/events?since=0&limit=1000", token);
      assert.equal(events.latest_seq, dash.seq);
      assert.deepEqual(events.data.map((e) => e.seq), Array.from({ length: dash.seq }, (_, i) => i + 1));
      assert.ok(events.data.some((e) => e.type === "leads_updated" && e.action === "imported"));

      const again = await run(["seed"], { DATABASE_URL: server.db.url });
      assert.notEqual(again.code, 0);
      assert.match(again.stderr, /has 5 campaign\(s\) already/);
      const after = await server.ok("GET", "/api/events?since=0&limit=1", token);
      assert.equal(after.latest_seq, dash.seq);
    });
  });

  it("examples/realtime.mjs exits with status 1 when the server refuses its token", async () => {
    await withServer(async (server) => {
      const child = spawn(process.execPath, ["realtime.mjs"], {
        cwd: EXAMPLES,
        env: { ...process.env, KANDID_URL: server.url, KANDID_TOKEN: "not-a-token" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      const code = await new Promise((res, rej) => {
        const timer = setTimeout(() => (child.kill(), rej(new Error(`still running: ${stderr}`))), TIMEOUT);
        child.on("exit", (c) => (clearTimeout(timer), res(c)));
      });
      assert.equal(code, 1, stderr);
      assert.match(stderr, /connect_error: unauthorized/);
    });
  });

  it("examples/realtime.mjs replays what it missed, then follows live events", async () => {
    await withServer(async (server) => {
      const { token } = await server.register();
      const campaign = await server.ok("POST", "/api/campaigns", token, { name: "Before the follower" });
      const child = spawn(process.execPath, ["realtime.mjs"], {
        cwd: EXAMPLES,
        env: { ...process.env, KANDID_URL: server.url, KANDID_TOKEN: token, KANDID_SINCE: "0" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      try {
        const out = lines(child);
        const first = JSON.parse(await out.waitLine((l) => JSON.parse(l).seq === 1, "the replayed seq 1"));
        assert.deepEqual(first, { seq: 1, type: "campaigns_updated", action: "created", id: campaign.id, changes: [] });
        const lead = await server.ok("POST", "/api/leads", token, { campaign_id: campaign.id, name: "Grace Hopper" });
        const live = JSON.parse(await out.waitLine((l) => JSON.parse(l).seq === 2, "the live seq 2"));
        assert.deepEqual(live, { seq: 2, type: "leads_updated", action: "created", id: lead.id, changes: [] });
        assert.deepEqual(out.seen.map((l) => JSON.parse(l).seq), [1, 2]);
      } finally {
        child.kill();
      }
    });
  });

  it("the start-up log gives URLs a person can open, and the database", async () => {
    await withServer(
      async (server) => {
        const port = new URL(server.url).port;
        // stderr is a pipe of its own: its lines may arrive after stdout's "listening on",
        // which names the address once, as a URL a person can open.
        await new Promise((res, rej) => {
          const timer = setTimeout(() => rej(new Error(`no start-up lines in ${server.stderr}`)), TIMEOUT);
          const complete = () => server.stderr.split("\n").slice(0, -1);
          const check = () => complete().some((l) => l.includes("live dashboard")) && (clearTimeout(timer), res(), true);
          if (!check()) server.child.stderr.on("data", check);
        });
        const lines = server.stderr.split("\n").slice(0, -1).filter(Boolean).map((l) => JSON.parse(l));
        const messages = lines.map((l) => l.message);
        assert.equal(server.url, `http://localhost:${port}`, "a wildcard bind is shown as localhost");
        assert.ok(!messages.some((m) => m.includes("listening")), JSON.stringify(messages));
        assert.ok(messages.includes(`API reference: http://localhost:${port}/docs/`));
        assert.ok(messages.includes(`live dashboard: http://localhost:${port}/app/`));
        const database = lines.find((l) => l.message.startsWith("database: "));
        const db = new URL(server.db.url.replace(/^sqlite:/, "file:"));
        assert.ok(database.database.endsWith(db.pathname), database.database);
        assert.ok(!database.database.includes("?"), database.database);
      },
      { BIND: "0.0.0.0", RUST_LOG: "info" },
    );
  });

  it("a short JWT_SECRET stops the server at start-up, naming the setting", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kandid-secret-"));
    try {
      const env = { JWT_SECRET: "x", BIND: "127.0.0.1", PORT: "0", DATABASE_URL: `sqlite://${dir}/kandid.db?mode=rwc` };
      // As a person sees it: one line, the setting and the minimum.
      const res = await run(["serve"], { ...env, LOG_FORMAT: "pretty", RUST_LOG: "info" });
      assert.equal(res.code, 1, res.stderr);
      assert.deepEqual(res.stderr.split("\n").filter(Boolean), [
        "kandid: JWT_SECRET is too short (1 bytes): use at least 32 random bytes, e.g. `openssl rand -hex 32`",
      ]);
      assert.doesNotMatch(res.stdout, /listening on/);
      // With JSON logs, the same once, as a log line.
      const json = await run(["serve"], env);
      assert.equal(json.code, 1, json.stderr);
      const lines = json.stderr.split("\n").filter(Boolean).map((l) => JSON.parse(l));
      assert.deepEqual(lines.map((l) => [l.level, l.message]), [["ERROR", "JWT_SECRET is too short (1 bytes): use at least 32 random bytes, e.g. `openssl rand -hex 32`"]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("`kandid openapi | head` exits quietly", async () => {
    // The document is larger than a pipe holds, so the write is still going when head exits.
    const script = 'set -o pipefail; "$0" openapi | head -c 100 >/dev/null';
    const child = spawn("bash", ["-c", script, BIN], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise((res) => child.on("exit", (c) => res(c)));
    assert.equal(stderr, "");
    assert.equal(stdout, "");
    assert.equal(code, 0);
  });
});
