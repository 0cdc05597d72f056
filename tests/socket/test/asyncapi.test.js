// openapi/asyncapi.yaml is a valid AsyncAPI document (the official parser finds no error or
// warning), and what the real server sends has exactly the fields it documents.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Parser } from "@asyncapi/parser";
import { withServer } from "../lib/harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const SPEC = resolve(here, "../../../openapi/asyncapi.yaml");

async function parse() {
  const { document, diagnostics } = await new Parser().parse(readFileSync(SPEC, "utf8"));
  // Severity 0 is an error, 1 a warning.
  const problems = diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code}: ${d.message} at ${d.path.join(".")}`);
  assert.deepEqual(problems, []);
  assert.ok(document, "the parser returned a document");
  return document.json();
}

/** The property names of a schema, through `allOf`. */
function fields(schema) {
  const names = new Set(Object.keys(schema.properties ?? {}));
  for (const part of schema.allOf ?? []) for (const n of fields(part)) names.add(n);
  return [...names].sort();
}

const keys = (o) => Object.keys(o).sort();

describe("asyncapi.yaml", () => {
  it("is valid AsyncAPI 3 and documents every socket event", async () => {
    const doc = await parse();
    assert.match(doc.asyncapi, /^3\./);
    const messages = Object.keys(doc.channels.socket.messages).sort();
    for (const name of ["campaigns_updated", "leads_updated", "members_updated", "dashboard_updated", "session_expired", "session_revoked", "subscribe", "unsubscribe", "live", "sync"]) {
      assert.ok(messages.includes(name), `${name} is documented`);
    }
    const replies = Object.values(doc.operations).filter((op) => op.action === "send").map((op) => op.reply.messages.map((m) => m.name));
    assert.equal(replies.length, 4);
    for (const r of replies) assert.ok(r.includes("error_ack"));
  });

  it("matches what the server sends", async () => {
    const doc = await parse();
    const schemas = doc.components.schemas;
    const payload = (name) => doc.components.messages[name].payload;
    await withServer(async (server) => {
      const { token } = await server.register();
      const sock = await server.connect({ auth: { token, subscribe: ["workspace"] } });
      try {
        const campaign = await server.ok("POST", "/api/campaigns", token, { name: "Spec" });
        await server.ok("POST", "/api/leads", token, { campaign_id: campaign.id, name: "Spec lead" });
        const c = await sock.waitFor((n) => n === "campaigns_updated", "campaigns_updated");
        const l = await sock.waitFor((n) => n === "leads_updated", "leads_updated");
        const d = await sock.waitFor((n) => n === "dashboard_updated", "dashboard_updated");
        assert.deepEqual(keys(c), fields(payload("campaigns_updated")));
        assert.deepEqual(keys(c.data), fields(schemas.CampaignView));
        assert.deepEqual(keys(c.data.stats), fields(schemas.CampaignStats));
        assert.deepEqual(keys(l), fields(payload("leads_updated")));
        assert.deepEqual(keys(l.data), fields(schemas.LeadView));
        assert.deepEqual(keys(d), fields(payload("dashboard_updated")));
        assert.deepEqual(keys(d.metrics), fields(schemas.DashboardView));

        assert.deepEqual(keys(await sock.request("subscribe", { rooms: ["leads"] })), fields(payload("rooms_ack")));
        assert.deepEqual(keys(await sock.request("unsubscribe", { rooms: ["leads"] })), fields(payload("rooms_ack")));
        assert.deepEqual(keys(await sock.request("live", { enabled: true })), fields(payload("live_ack")));
        const sync = await sock.request("sync", { since: 0 });
        assert.deepEqual(keys(sync), fields(payload("sync_ack")));
        assert.deepEqual(keys(sync.events[0]), fields(schemas.EventView));
        const refused = await sock.request("subscribe", { rooms: "nope" });
        assert.deepEqual(keys(refused), fields(payload("error_ack")));
        assert.deepEqual(keys(refused.error), fields(schemas.AckError));
        assert.ok(schemas.AckErrorCode.enum.includes(refused.error.code));
      } finally {
        sock.close();
      }
    });
  });
});
