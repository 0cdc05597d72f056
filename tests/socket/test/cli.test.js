// What a new user runs first: the README's Socket.IO example script against the real
// server, and `kandid openapi` into a reader that stops early.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BIN, TIMEOUT, withServer } from "../lib/harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const EXAMPLES = resolve(here, "../../../examples");

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

  it("`kandid openapi` into a reader that stops early exits quietly", async () => {
    const child = spawn(BIN, ["openapi"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    // Read the first chunk, then hang up, as `| head -1` does.
    await new Promise((res) => child.stdout.once("data", res));
    child.stdout.destroy();
    const code = await new Promise((res) => child.on("exit", (c) => res(c)));
    assert.equal(stderr, "");
    assert.equal(code, 0);
  });
});
