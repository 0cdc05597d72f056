// Sessions on the socket: logout ends the sign-in session's live sockets (session_revoked,
// then disconnect) in every workspace it reached, on every node, and its tokens cannot
// connect again; a token issued before its person's current membership began is refused
// at the handshake (an old copy is not revived by being invited back).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Server, TRANSPORTS, mint, now, withServer } from "../lib/harness.js";

/** A new user who joins `owner`'s workspace by invitation with `role`. */
async function join(srv, owner, role) {
  const email = `m-${randomUUID()}@example.com`;
  const inv = await srv.ok("POST", "/api/workspace/invitations", owner.token, { email, role });
  const body = await srv.ok("POST", "/api/auth/register", null, { name: role, email, password: "correct horse", invitation: inv.token });
  return { token: body.token, userId: body.user.id, ws: body.workspace.id, email };
}

/** Resolves with the connect_error message of a refused connection. */
async function refused(srv, opts) {
  try {
    const rec = await srv.connect(opts);
    rec.close();
  } catch (err) {
    return err.message;
  }
  assert.fail("the connection was accepted");
}

for (const transports of TRANSPORTS) {
  describe(`sessions over ${transports}`, () => {
    it("a token from before the member's current membership is refused at the handshake", () =>
      withServer(async (srv) => {
        const owner = await srv.register();
        const member = await join(srv, owner, "member");
        const t = now();
        // As a copy kept from an earlier membership would be: issued before this one began.
        const old = mint({ sub: member.userId, ws: member.ws, role: "member", iat: t - 600, exp: t + 600 });
        assert.equal(await refused(srv, { transports, auth: { token: old } }), "unauthorized");
        assert.equal((await srv.api("GET", "/api/campaigns", old)).status, 401);
        // The token the server issued at joining connects.
        const rec = await srv.connect({ transports, auth: { token: member.token } });
        assert.equal(rec.socket.connected, true);
        rec.close();
      }));

    it("logout ends the session's sockets in every workspace, and only that session's", () =>
      withServer(async (srv) => {
        const owner = await srv.register();
        const x = await srv.register();
        const inv = await srv.ok("POST", "/api/workspace/invitations", owner.token, { email: x.email, role: "member" });
        const joined = await srv.ok("POST", "/api/invitations/accept", x.token, { token: inv.token }, 200);
        const refreshed = await srv.ok("POST", "/api/auth/refresh", x.token, undefined, 200);
        const other = await srv.ok("POST", "/api/auth/login", null, { email: x.email, password: "correct horse" }, 200);
        const own = await srv.connect({ transports, auth: { token: refreshed.token } });
        // Live view off stops deliveries, not the end of the session.
        const quiet = await srv.connect({ transports, auth: { token: joined.token, subscribe: ["dashboard"] } });
        assert.equal((await quiet.request("live", { enabled: false })).ok, true);
        const kept = await srv.connect({ transports, auth: { token: other.token } });
        const ownerRec = await srv.connect({ transports, auth: { token: owner.token } });

        await srv.ok("POST", "/api/auth/logout", x.token, undefined, 204);
        for (const rec of [own, quiet]) {
          const revoked = await rec.waitFor((n) => n === "session_revoked", "session_revoked");
          assert.equal(typeof revoked.reason, "string");
          await rec.waitFor((n) => n === "disconnect", "disconnect");
          const names = rec.events.map((e) => e.name);
          assert.ok(names.indexOf("session_revoked") < names.indexOf("disconnect"), names.join());
        }
        for (const t of [x.token, refreshed.token, joined.token]) {
          assert.equal(await refused(srv, { transports, auth: { token: t } }), "unauthorized");
          assert.equal((await srv.api("GET", "/api/campaigns", t)).status, 401);
        }
        // The person's other sign-in and the owner go on.
        assert.equal((await kept.request("sync", { since: 0 })).ok, true);
        assert.equal((await ownerRec.request("sync", { since: 0 })).ok, true);
        for (const rec of [kept, ownerRec]) {
          assert.equal(rec.of("session_revoked").length, 0);
          assert.equal(rec.socket.connected, true);
          rec.close();
        }
      }));
  });
}

describe("sessions on several nodes", () => {
  it(
    "a logout on one node ends the session's sockets on another (PostgreSQL carries it, no Redis)",
    { skip: process.env.TEST_POSTGRES_URL ? false : "needs TEST_POSTGRES_URL" },
    () =>
      withServer(async (a) => {
        const b = new Server(a.db, a.env);
        await b.launch();
        try {
          const x = await a.register();
          const onB = await b.connect({ transports: ["websocket"], auth: { token: x.token } });
          await a.ok("POST", "/api/auth/logout", x.token, undefined, 204);
          await onB.waitFor((n) => n === "session_revoked", "session_revoked on the other node");
          await onB.waitFor((n) => n === "disconnect", "disconnect on the other node");
          assert.equal((await b.api("GET", "/api/campaigns", x.token)).status, 401);
        } finally {
          await b.stop();
        }
      }, { REDIS_URL: "" }),
  );
});
