// Sessions on the socket: a token issued before its person's current membership began is
// refused at the handshake (an old copy is not revived by being invited back).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { TRANSPORTS, mint, now, withServer } from "../lib/harness.js";

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
  });
}
