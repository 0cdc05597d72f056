// verifyWebhook against deliveries of the real server to a real receiver: genuine ones
// verify (also with two signatures during a rotation); a changed body, another secret, a
// missing header or a stale timestamp are refused.
import { it } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { withServer, until } from "../../../tests/socket/lib/harness.js";
import { verifyWebhook, WebhookVerificationError } from "../dist/index.js";

const ENV = { WEBHOOK_ALLOW_HTTP: "true", WEBHOOK_ALLOW_PRIVATE: "true", CATCH_UP_INTERVAL: "200ms" };

async function receiver() {
  const got = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      got.push({ headers: req.headers, raw: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise((res) => server.listen(0, "127.0.0.1", res));
  return { url: `http://127.0.0.1:${server.address().port}/`, got, close: () => server.close() };
}

const refused = (code) => (e) => e instanceof WebhookVerificationError && e.code === code;

it("verifyWebhook accepts the server's deliveries and refuses anything else", async () => {
  const rx = await receiver();
  try {
    await withServer(async (server) => {
      const { token, ws } = await server.register();
      const hook = await server.ok("POST", "/api/webhooks", token, { url: rx.url });
      const campaign = await server.ok("POST", "/api/campaigns", token, { name: "Signed" });
      await until(() => rx.got.length === 1, "the delivery", 30_000);
      const [r] = rx.got;

      const event = await verifyWebhook(hook.secret, r.headers, r.raw);
      assert.equal(event.type, "campaigns_updated");
      assert.equal(event.seq, 1);
      assert.equal(event.id, campaign.id);
      assert.equal(r.headers["webhook-id"], `${ws}:1`);
      // A string body and fetch's Headers work too.
      await verifyWebhook(hook.secret, new Headers(Object.entries(r.headers)), r.raw.toString());

      const other = "whsec_" + Buffer.alloc(32, 7).toString("base64");
      await assert.rejects(verifyWebhook(other, r.headers, r.raw), refused("bad_signature"));
      await assert.rejects(verifyWebhook(hook.secret, r.headers, r.raw.toString().replace("Signed", "Forged")), refused("bad_signature"));
      await assert.rejects(verifyWebhook(hook.secret, { ...r.headers, "webhook-id": `${ws}:2` }, r.raw), refused("bad_signature"));
      await assert.rejects(verifyWebhook(hook.secret, { ...r.headers, "webhook-signature": undefined }, r.raw), refused("missing_header"));
      const ts = Number(r.headers["webhook-timestamp"]);
      await assert.rejects(verifyWebhook(hook.secret, r.headers, r.raw, { now: ts + 301 }), refused("stale_timestamp"));
      await assert.rejects(verifyWebhook(hook.secret, r.headers, r.raw, { now: ts - 301 }), refused("stale_timestamp"));
      await verifyWebhook(hook.secret, r.headers, r.raw, { now: ts + 299 });
      // Junk beside the real signature is ignored; past the first 8 candidates nothing is
      // looked at (the server sends at most two); a parsed body is refused, not hashed.
      const real = r.headers["webhook-signature"];
      const junk = (n) => Array.from({ length: n }, () => "v1,AAAA").join(" ");
      await verifyWebhook(hook.secret, { ...r.headers, "webhook-signature": `${junk(3)} ${real}` }, r.raw);
      await assert.rejects(verifyWebhook(hook.secret, { ...r.headers, "webhook-signature": `${junk(50)} ${real}` }, r.raw), refused("bad_signature"));
      await assert.rejects(verifyWebhook(hook.secret, r.headers, JSON.parse(r.raw.toString())), refused("bad_body"));

      // During a rotation either secret verifies.
      const rotated = await server.ok("POST", `/api/webhooks/${hook.id}/secret`, token, {}, 200);
      await server.ok("POST", "/api/campaigns", token, { name: "Rotated" });
      await until(() => rx.got.length === 2, "the second delivery", 30_000);
      const second = rx.got[1];
      assert.equal(second.headers["webhook-signature"].split(" ").length, 2);
      assert.equal((await verifyWebhook(rotated.secret, second.headers, second.raw)).seq, 2);
      assert.equal((await verifyWebhook(hook.secret, second.headers, second.raw)).seq, 2);
    }, ENV);
  } finally {
    rx.close();
  }
});
