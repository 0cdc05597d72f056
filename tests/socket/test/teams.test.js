// Teams on the socket: removing a member or revoking an integration token ends their live
// sockets (session_revoked, then disconnect), even with live view off; members_updated
// reaches the workspace room; a removed member or revoked token cannot connect again; an
// integration token ends with its creator's membership.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { Server, TIMEOUT, TRANSPORTS, withServer } from "../lib/harness.js";

/** A new user who joins `owner`'s workspace by invitation with `role`. */
async function join(srv, owner, role) {
  const email = `m-${randomUUID()}@example.com`;
  const inv = await srv.ok("POST", "/api/workspace/invitations", owner.token, { email, role });
  const body = await srv.ok("POST", "/api/auth/register", null, { name: role, email, password: "correct horse", invitation: inv.token });
  return { token: body.token, userId: body.user.id, ws: body.workspace.id };
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
  describe(`teams over ${transports}`, () => {
    it("a removed member's sockets get session_revoked and are disconnected", () =>
      withServer(async (srv) => {
        const owner = await srv.register();
        const member = await join(srv, owner, "member");
        const other = await join(srv, owner, "viewer");
        const watcher = await srv.connect({ transports, auth: { token: owner.token } });
        const mine = await srv.connect({ transports, auth: { token: member.token } });
        // Live view off stops deliveries, not the end of the session.
        const quiet = await srv.connect({ transports, auth: { token: member.token, subscribe: ["dashboard"] } });
        assert.equal((await quiet.request("live", { enabled: false })).ok, true);
        const bystander = await srv.connect({ transports, auth: { token: other.token } });

        await srv.ok("DELETE", `/api/workspace/members/${member.userId}`, owner.token);
        for (const rec of [mine, quiet]) {
          const revoked = await rec.waitFor((n) => n === "session_revoked", "session_revoked");
          assert.equal(typeof revoked.reason, "string");
          await rec.waitFor((n) => n === "disconnect", "disconnect");
          const names = rec.events.map((e) => e.name);
          assert.ok(names.indexOf("session_revoked") < names.indexOf("disconnect"), names.join());
          assert.equal(rec.socket.connected, false);
        }
        // members_updated reaches the workspace room, with the removal.
        const ev = await watcher.waitFor((n, p) => n === "members_updated" && p.action === "deleted", "members_updated");
        assert.equal(ev.type, "members_updated");
        assert.equal(ev.id, member.userId);
        assert.equal(ev.data, null);
        const log = await srv.ok("GET", `/api/events?since=${ev.seq - 1}`, owner.token);
        assert.deepEqual(log.data[0], ev, "the socket's event is the log's");
        // Nobody else was cut off.
        await bystander.waitFor((n, p) => n === "members_updated" && p.seq === ev.seq, "bystander's members_updated");
        assert.equal(bystander.socket.connected, true);
        assert.equal(watcher.of("session_revoked").length, 0);
        // The removed member cannot come back with the same token.
        assert.equal(await refused(srv, { transports, auth: { token: member.token } }), "unauthorized");
        // sync replays members_updated to a workspace subscriber.
        const synced = await bystander.request("sync", { since: ev.seq - 1 });
        assert.equal(synced.ok, true);
        assert.deepEqual(synced.events.map((e) => e.type), ["members_updated"]);
        for (const rec of [watcher, bystander]) rec.close();
      }));

    it("a revoked integration token's sockets get session_revoked and are disconnected", () =>
      withServer(async (srv) => {
        const owner = await srv.register();
        const a = await srv.ok("POST", "/api/tokens", owner.token, { name: "a", role: "viewer" });
        const b = await srv.ok("POST", "/api/tokens", owner.token, { name: "b", role: "member" });
        const ra = await srv.connect({ transports, auth: { token: a.token } });
        const rb = await srv.connect({ transports, auth: { token: b.token } });
        const user = await srv.connect({ transports, auth: { token: owner.token } });

        await srv.ok("DELETE", `/api/tokens/${a.id}`, owner.token);
        await ra.waitFor((n) => n === "session_revoked", "session_revoked");
        await ra.waitFor((n) => n === "disconnect", "disconnect");
        assert.equal((await srv.api("GET", "/api/campaigns", a.token)).status, 401);
        assert.equal(await refused(srv, { transports, auth: { token: a.token } }), "unauthorized");

        // The other token and the user's session go on receiving.
        const c = await srv.ok("POST", "/api/campaigns", b.token, { name: "still here" });
        for (const rec of [rb, user]) {
          const ev = await rec.waitFor((n, p) => n === "campaigns_updated" && p.id === c.id, "campaigns_updated");
          assert.equal(ev.action, "created");
          assert.equal(rec.of("session_revoked").length, 0);
        }
        rb.close();
        user.close();
      }));

    it("a socket connecting while its token is revoked is refused or ended, never left open", () =>
      withServer(async (srv) => {
        const owner = await srv.register();
        const c = await srv.ok("POST", "/api/campaigns", owner.token, { name: "rooms" });
        const tok = await srv.ok("POST", "/api/tokens", owner.token, { name: "t", role: "viewer" });
        // Long handshakes (every room is checked), so the revocation lands in the middle of some.
        const subscribe = ["workspace", ...Array(150).fill(`campaign:${c.id}`)];
        const attempts = Array.from({ length: 20 }, () =>
          srv.connect({ transports, auth: { token: tok.token, subscribe } }).then(
            (rec) => rec,
            (err) => err,
          ),
        );
        await srv.ok("DELETE", `/api/tokens/${tok.id}`, owner.token);
        for (const outcome of await Promise.all(attempts)) {
          if (outcome instanceof Error) {
            assert.equal(outcome.message, "unauthorized");
            continue;
          }
          await outcome.waitFor((n) => n === "disconnect", "the revoked socket's disconnect");
          assert.equal(outcome.of("session_revoked").length >= 1, true, "told why first");
        }
      }));

    it("an integration token ends with its creator's membership, and a demotion caps it", () =>
      withServer(async (srv) => {
        const owner = await srv.register();
        const admin = await join(srv, owner, "admin");
        const tok = await srv.ok("POST", "/api/tokens", admin.token, { name: "x", role: "admin" });
        const rec = await srv.connect({ transports, auth: { token: tok.token } });
        const ownerRec = await srv.connect({ transports, auth: { token: owner.token } });

        // Demoted to viewer: the token reads and stays connected, but no longer writes.
        await srv.ok("PATCH", `/api/workspace/members/${admin.userId}`, owner.token, { role: "viewer" });
        assert.equal((await srv.api("POST", "/api/campaigns", tok.token, { name: "no" })).status, 403);
        assert.equal((await rec.request("sync", { since: 0 })).ok, true);
        assert.equal(rec.of("session_revoked").length, 0);

        // Removed: the token's socket gets session_revoked, then is disconnected; REST is 401.
        await srv.ok("DELETE", `/api/workspace/members/${admin.userId}`, owner.token);
        await rec.waitFor((n) => n === "session_revoked", "session_revoked");
        await rec.waitFor((n) => n === "disconnect", "disconnect");
        assert.equal((await srv.api("GET", "/api/campaigns", tok.token)).status, 401);
        assert.equal(await refused(srv, { transports, auth: { token: tok.token } }), "unauthorized");
        // The owner's own socket is untouched.
        await ownerRec.waitFor((n, p) => n === "members_updated" && p.action === "deleted", "members_updated");
        assert.equal(ownerRec.socket.connected, true);
        ownerRec.close();
      }));
  });
}

describe("teams on several nodes", () => {
  it(
    "a removal or revocation on one node cuts the sockets on another (PostgreSQL carries it, no Redis)",
    { skip: process.env.TEST_POSTGRES_URL ? false : "needs TEST_POSTGRES_URL" },
    () =>
      withServer(async (a) => {
        const b = new Server(a.db, a.env);
        await b.launch();
        try {
          const owner = await a.register();
          const member = await join(a, owner, "member");
          const tok = await a.ok("POST", "/api/tokens", owner.token, { name: "t", role: "viewer" });
          // A token of the member: it ends with the member's removal, on every node.
          await a.ok("PATCH", `/api/workspace/members/${member.userId}`, owner.token, { role: "admin" });
          const memberTok = await a.ok("POST", "/api/tokens", member.token, { name: "m", role: "member" });
          const memberOnB = await b.connect({ transports: ["websocket"], auth: { token: member.token } });
          const tokenOnB = await b.connect({ transports: ["polling"], auth: { token: tok.token } });
          const memberTokenOnB = await b.connect({ transports: ["websocket"], auth: { token: memberTok.token } });
          const ownerOnB = await b.connect({ transports: ["websocket"], auth: { token: owner.token } });

          await a.ok("DELETE", `/api/workspace/members/${member.userId}`, owner.token);
          await a.ok("DELETE", `/api/tokens/${tok.id}`, owner.token);
          for (const rec of [memberOnB, tokenOnB, memberTokenOnB]) {
            await rec.waitFor((n) => n === "session_revoked", "session_revoked on the other node");
            await rec.waitFor((n) => n === "disconnect", "disconnect on the other node");
          }
          const ev = await ownerOnB.waitFor((n, p) => n === "members_updated" && p.id === member.userId, "members_updated on the other node");
          assert.equal(ev.action, "deleted");
          assert.equal(ownerOnB.socket.connected, true);
          ownerOnB.close();
        } finally {
          await b.stop();
        }
      }, { REDIS_URL: "" }),
  );
});

describe("a revocation that never reached the socket", () => {
  const pgUrl = process.env.TEST_POSTGRES_URL;
  it(
    "the socket's next request is refused and the socket ended",
    { skip: pgUrl ? false : "needs TEST_POSTGRES_URL (to remove a membership behind the server's back)" },
    () =>
      withServer(async (srv) => {
        const owner = await srv.register();
        const member = await join(srv, owner, "member");
        const rec = await srv.connect({ transports: ["websocket"], auth: { token: member.token } });
        assert.equal((await rec.request("sync", { since: 0 })).ok, true);
        // As if the removal had come from a node whose revocation was lost: the row goes,
        // nothing is announced.
        const db = new pg.Client({ connectionString: srv.db.url });
        await db.connect();
        try {
          await db.query("DELETE FROM memberships WHERE user_id = $1", [member.userId]);
        } finally {
          await db.end();
        }
        // The server's access cache may answer from before the removal for a moment.
        const deadline = Date.now() + TIMEOUT;
        let ack;
        do {
          ack = await rec.request("sync", { since: 0 });
          if (ack.ok) await new Promise((r) => setTimeout(r, 100));
        } while (ack.ok && Date.now() < deadline);
        assert.deepEqual(ack.error?.code, "unauthorized", JSON.stringify(ack));
        await rec.waitFor((n) => n === "session_revoked", "session_revoked");
        await rec.waitFor((n) => n === "disconnect", "disconnect");
      }),
  );
});
