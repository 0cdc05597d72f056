// openapi/asyncapi.yaml is a valid AsyncAPI document (the official parser finds no error or
// warning), and what the real server sends matches its schemas: types, formats, enums and
// consts, required fields, and no field the document does not name.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Parser } from "@asyncapi/parser";
import { withServer } from "../lib/harness.js";
import { validate } from "../lib/schema.js";

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

/** Asserts that `value` matches the schema (a message's payload or a component schema). */
function conforms(doc, value, schema, what) {
  assert.deepEqual(validate(doc, value, schema), [], `${what}: ${JSON.stringify(value)}`);
}

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
      const { token, userId } = await server.register();
      const sock = await server.connect({ auth: { token, subscribe: ["workspace"] } });
      try {
        const campaign = await server.ok("POST", "/api/campaigns", token, { name: "Spec" });
        const lead = await server.ok("POST", "/api/leads", token, { campaign_id: campaign.id, name: "Spec lead" });
        await server.ok("PATCH", `/api/leads/${lead.id}`, token, { status: "contacted" });
        const c = await sock.waitFor((n) => n === "campaigns_updated", "campaigns_updated");
        const l = await sock.waitFor((n, p) => n === "leads_updated" && p.action === "created", "leads_updated");
        const u = await sock.waitFor((n, p) => n === "leads_updated" && p.action === "updated", "leads_updated (update)");
        const d = await sock.waitFor((n) => n === "dashboard_updated", "dashboard_updated");
        conforms(doc, c, payload("campaigns_updated"), "campaigns_updated");
        conforms(doc, l, payload("leads_updated"), "leads_updated");
        conforms(doc, u, payload("leads_updated"), "leads_updated (update)");
        conforms(doc, d, payload("dashboard_updated"), "dashboard_updated");
        // The values are the ones documented for these commits.
        assert.deepEqual([c.seq, c.action, c.id, c.campaign_id, c.count, c.actor_id], [1, "created", campaign.id, campaign.id, 1, userId]);
        assert.deepEqual(c.data, campaign);
        assert.deepEqual([l.seq, l.action, l.id, l.campaign_id, l.data?.name], [2, "created", lead.id, campaign.id, "Spec lead"]);
        assert.deepEqual(l.changes, []);
        assert.deepEqual([u.seq, u.data?.status, u.changes.includes("status")], [3, "contacted", true]);
        assert.ok(d.seq >= 1 && d.seq <= 3 && d.metrics.seq === d.seq, JSON.stringify(d));

        const subscribed = await sock.request("subscribe", { rooms: ["leads"] });
        conforms(doc, subscribed, payload("rooms_ack"), "rooms_ack");
        assert.deepEqual([subscribed.ok, subscribed.rooms.sort()], [true, ["leads", "workspace"]]);
        const unsubscribed = await sock.request("unsubscribe", { rooms: ["leads"] });
        conforms(doc, unsubscribed, payload("rooms_ack"), "rooms_ack");
        assert.deepEqual(unsubscribed, { ok: true, rooms: ["workspace"] });
        const live = await sock.request("live", { enabled: true });
        conforms(doc, live, payload("live_ack"), "live_ack");
        assert.deepEqual(live, { ok: true, latest_seq: 3 });
        const sync = await sock.request("sync", { since: 0 });
        conforms(doc, sync, payload("sync_ack"), "sync_ack");
        assert.deepEqual([sync.events.map((e) => e.seq), sync.latest_seq, sync.has_more, sync.reset], [[1, 2, 3], 3, false, false]);
        // An event from sync is the one that was emitted (timestamps aside: the log may
        // keep them at a coarser precision).
        const same = ({ seq, type, action, id, campaign_id, changes, count, actor_id }) => ({ seq, type, action, id, campaign_id, changes, count, actor_id });
        assert.deepEqual(same(sync.events[1]), same(l));
        const page = await sock.request("sync", { since: 1, limit: 1 });
        conforms(doc, page, payload("sync_ack"), "sync_ack (a page)");
        assert.deepEqual([page.events.map((e) => e.seq), page.has_more], [[2], true]);

        for (const [event, body, code] of [
          ["subscribe", { rooms: "nope" }, "bad_request"],
          ["subscribe", { rooms: ["nonsense"] }, "invalid_room"],
          ["subscribe", { rooms: [`lead:${crypto.randomUUID()}`] }, "not_found"],
          ["live", [true], "bad_request"],
          ["sync", { since: 0, limit: 0 }, "bad_request"],
          ["no_such_event", {}, "unknown_event"],
        ]) {
          const refused = await sock.request(event, body);
          conforms(doc, refused, payload("error_ack"), `error_ack of ${event} ${JSON.stringify(body)}`);
          assert.equal(refused.error.code, code, `${event} ${JSON.stringify(body)}`);
        }
      } finally {
        sock.close();
      }
    });
  });

  it("lists the codes of the limits' refusals", async () => {
    const doc = await parse();
    const errorAck = doc.components.messages.error_ack.payload;
    const codes = doc.components.schemas.ConnectErrorCode;
    await withServer(
      async (server) => {
        const { token } = await server.register();
        const sock = await server.connect({ auth: { token } });
        try {
          const tooMany = await sock.request("subscribe", { rooms: ["leads", "campaigns"] });
          conforms(doc, tooMany, errorAck, "error_ack (too many rooms)");
          assert.equal(tooMany.error.code, "too_many_rooms");
          // The budget of one request a second is spent by the first of these.
          const acks = await Promise.all([1, 2, 3].map(() => sock.request("sync", { since: 0 })));
          const limited = acks.filter((a) => !a.ok);
          assert.ok(limited.length >= 1, JSON.stringify(acks));
          for (const a of limited) {
            conforms(doc, a, errorAck, "error_ack (rate limited)");
            assert.equal(a.error.code, "rate_limited");
          }
          for (const [auth, message] of [
            [{ token: "not.a.jwt" }, "unauthorized"],
            [{ token, subscribe: "workspace" }, "bad_request"],
            [{ token, subscribe: ["nonsense"] }, "not_found"],
            [{ token, subscribe: ["leads", "campaigns", "dashboard"] }, "too_many_rooms"],
          ]) {
            await assert.rejects(server.connect({ auth }), (err) => {
              conforms(doc, err.message, codes, `connect_error of ${JSON.stringify(auth)}`);
              assert.equal(err.message, message);
              return true;
            });
          }
        } finally {
          sock.close();
        }
      },
      { SOCKET_MAX_ROOMS: "2", SOCKET_REQUESTS_PER_SECOND: "1" },
    );
  });
});
