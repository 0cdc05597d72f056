// Handshake: tokens from auth, header and query; refusals; default and explicit subscriptions.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { TRANSPORTS, withServer, mint, now } from "../lib/harness.js";

for (const transports of TRANSPORTS) {
  describe(`handshake over ${transports}`, () => {
    it("accepts a good token from auth, the Authorization header or ?token=", () =>
      withServer(async (srv) => {
        const s = await srv.register();
        const viaAuth = await srv.connect({ transports, auth: { token: s.token } });
        assert.ok(viaAuth.socket.connected);
        viaAuth.close();
        const viaQuery = await srv.connect({ transports, query: { token: s.token } });
        assert.ok(viaQuery.socket.connected);
        viaQuery.close();
        // Node's client sends extraHeaders on both transports.
        const viaHeader = await srv.connect({ transports, extraHeaders: { authorization: `Bearer ${s.token}` } });
        assert.ok(viaHeader.socket.connected);
        viaHeader.close();
      }));

    it("refuses missing, expired, not yet valid, foreign-secret and malformed tokens with connect_error unauthorized", () =>
      withServer(async (srv) => {
        const s = await srv.register();
        const claims = { sub: s.userId, ws: s.ws, role: "owner", iat: now() - 300 };
        const cases = {
          missing: {},
          expired: { auth: { token: mint({ ...claims, exp: now() - 120 }) } },
          notYetValid: { auth: { token: mint({ ...claims, exp: now() + 600, nbf: now() + 300 }) } },
          foreign: { auth: { token: mint({ ...claims, exp: now() + 600 }, "not-our-secret") } },
          malformed: { auth: { token: "not.a.jwt" } },
          wrongType: { auth: { token: 42 } },
        };
        for (const [name, opts] of Object.entries(cases)) {
          await assert.rejects(srv.connect({ transports, ...opts }), (err) => {
            assert.equal(err.message, "unauthorized", name);
            return true;
          });
        }
        // A good token still works afterwards.
        const ok = await srv.connect({ transports, auth: { token: s.token } });
        ok.close();
      }));

    it("subscribes to workspace by default and to exactly auth.subscribe when given", () =>
      withServer(async (srv) => {
        const s = await srv.register();
        const c = await srv.ok("POST", "/api/campaigns", s.token, { name: "C" });
        const def = await srv.connect({ transports, auth: { token: s.token } });
        assert.deepEqual(await def.request("subscribe", { rooms: [] }), { ok: true, rooms: ["workspace"] });
        const explicit = await srv.connect({ transports, auth: { token: s.token, subscribe: ["leads", `campaign:${c.id}`] } });
        const ack = await explicit.request("subscribe", { rooms: [] });
        assert.deepEqual(ack.rooms.sort(), ["leads", `campaign:${c.id}`].sort());
        const none = await srv.connect({ transports, auth: { token: s.token, subscribe: [] } });
        assert.deepEqual(await none.request("unsubscribe", { rooms: [] }), { ok: true, rooms: [] });
        for (const r of [def, explicit, none]) r.close();
      }));

    it("refuses auth.subscribe naming another workspace's or a missing entity with not_found", () =>
      withServer(async (srv) => {
        const a = await srv.register();
        const b = await srv.register();
        const theirs = await srv.ok("POST", "/api/campaigns", b.token, { name: "B's" });
        for (const room of [`campaign:${theirs.id}`, `lead:${crypto.randomUUID()}`, "no-such-room"]) {
          await assert.rejects(srv.connect({ transports, auth: { token: a.token, subscribe: ["workspace", room] } }), (err) => {
            assert.equal(err.message, "not_found");
            return true;
          });
        }
        for (const subscribe of ["workspace", [1], { rooms: [] }]) {
          await assert.rejects(srv.connect({ transports, auth: { token: a.token, subscribe } }), (err) => {
            assert.equal(err.message, "bad_request");
            return true;
          });
        }
      }));
  });
}
