// Heartbeat: the server pings every SOCKET_PING_INTERVAL and closes a session whose client
// does not answer within SOCKET_PING_TIMEOUT, on both transports; clients that answer stay.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { WebSocket } from "ws";
import { TRANSPORTS, TIMEOUT, withServer } from "../lib/harness.js";

// Short enough that a test sees several pings and a timeout within a second or two.
const ENV = { SOCKET_PING_INTERVAL: "300ms", SOCKET_PING_TIMEOUT: "400ms" };

/** Resolves after the engine of `rec` has received `n` pings; rejects after the timeout. */
function pings(rec, n) {
  return new Promise((res, rej) => {
    let seen = 0;
    const timer = setTimeout(() => rej(new Error(`saw ${seen} of ${n} pings`)), TIMEOUT);
    rec.socket.io.engine.on("ping", () => {
      seen += 1;
      if (seen === n) {
        clearTimeout(timer);
        res();
      }
    });
  });
}

/** Creates a lead and resolves once `rec` received its leads_updated. */
async function leadArrives(srv, s, rec, name) {
  const campaign = await srv.ok("POST", "/api/campaigns", s.token, { name: `hb ${name}` });
  const lead = await srv.ok("POST", "/api/leads", s.token, { campaign_id: campaign.id, name });
  await rec.waitFor((n, p) => n === "leads_updated" && p.id === lead.id, `lead ${name}`);
}

for (const transports of TRANSPORTS) {
  describe(`heartbeat over ${transports}`, () => {
    it("keeps a client that answers pings connected and delivering", () =>
      withServer(async (srv) => {
        const s = await srv.register();
        const rec = await srv.connect({ transports, auth: { token: s.token, subscribe: ["leads"] } });
        await pings(rec, 4);
        assert.ok(rec.socket.connected);
        assert.deepEqual(rec.of("disconnect"), []);
        await leadArrives(srv, s, rec, "answering");
        rec.close();
      }, ENV));
  });
}

describe("heartbeat timeouts", () => {
  it("closes a websocket client that stops answering pings; other clients carry on", () =>
    withServer(async (srv) => {
      const s = await srv.register();
      const other = await srv.connect({ transports: ["websocket"], auth: { token: s.token, subscribe: ["leads"] } });

      const url = `${srv.url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`;
      const silent = new WebSocket(url);
      const frames = [];
      const closed = new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`not closed; frames ${JSON.stringify(frames)}`)), TIMEOUT);
        silent.on("close", () => {
          clearTimeout(timer);
          res();
        });
        silent.on("error", rej);
      });
      silent.on("message", (data) => {
        const frame = data.toString();
        frames.push(frame);
        // Engine.IO open, then the Socket.IO CONNECT with the token; pings are never answered.
        if (frame.startsWith("0{")) silent.send(`40${JSON.stringify({ token: s.token })}`);
      });
      await closed;
      assert.ok(frames.some((f) => f.startsWith("40{")), `connected first: ${JSON.stringify(frames)}`);
      assert.ok(frames.includes("2"), `pinged before the close: ${JSON.stringify(frames)}`);

      // The answering client was not affected and still gets events.
      assert.ok(other.socket.connected);
      await leadArrives(srv, s, other, "after-timeout");
      assert.deepEqual(other.of("disconnect"), []);
      other.close();
    }, ENV));

  it("closes a polling session whose client stops answering pings", () =>
    withServer(async (srv) => {
      const s = await srv.register();
      const base = `${srv.url}/socket.io/?EIO=4&transport=polling`;
      const open = await (await fetch(base)).text();
      assert.match(open, /^0\{/);
      const { sid } = JSON.parse(open.slice(1));
      const post = await fetch(`${base}&sid=${sid}`, { method: "POST", body: `40${JSON.stringify({ token: s.token })}` });
      assert.equal(post.status, 200);

      // Long-poll without ever posting a pong: the server sends pings, then closes the session.
      const received = [];
      for (;;) {
        const res = await fetch(`${base}&sid=${sid}`, { signal: AbortSignal.timeout(TIMEOUT) });
        if (res.status !== 200) {
          assert.equal(res.status, 400, "an unknown session is a bad request");
          break;
        }
        const packets = (await res.text()).split("\x1e");
        received.push(...packets);
        if (packets.includes("1")) break;
        assert.ok(received.length < 100, `no close after ${JSON.stringify(received)}`);
      }
      assert.ok(received.includes("2"), `pinged before the close: ${JSON.stringify(received)}`);
      assert.ok(received.some((p) => p.startsWith("40{")), `connected first: ${JSON.stringify(received)}`);
    }, ENV));
});
