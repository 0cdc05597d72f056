// Limits of the socket surface: sockets per user, rooms per socket, requests per second.
// Each is set low through its setting; a breach gets its answer and others go on.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { WebSocket } from "ws";
import { TRANSPORTS, eventually, until, withServer } from "../lib/harness.js";

/** `kandid_sockets_connected` as /metrics reports it. */
async function connectedGauge(srv) {
  const text = await (await fetch(`${srv.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith("kandid_sockets_connected "));
  return Number(line?.split(" ").at(-1));
}

/** A raw websocket that sends CONNECT with `token` and drops the connection `after` ms later
 *  (0: at once), while the server is still checking the token. */
function abandonHandshake(srv, token, after) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${srv.url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`);
    ws.on("message", (m) => {
      if (String(m)[0] !== "0") return;
      ws.send(`40${JSON.stringify({ token })}`);
      if (after === 0) ws.terminate();
      else setTimeout(() => ws.terminate(), after);
    });
    ws.on("close", resolve);
    ws.on("error", resolve);
  });
}

for (const transports of TRANSPORTS) {
  describe(`limits over ${transports}`, () => {
    it("a socket beyond SOCKET_MAX_PER_USER is refused with connect_error too_many_sockets", () =>
      withServer(
        async (srv) => {
          const a = await srv.register();
          const b = await srv.register();
          // Refused connections hold no slot.
          for (let i = 0; i < 3; i++) {
            await assert.rejects(
              srv.connect({ transports, auth: { token: a.token, subscribe: [`campaign:${randomUUID()}`] } }),
              (err) => err.message === "not_found",
            );
          }
          const first = await srv.connect({ transports, auth: { token: a.token } });
          const second = await srv.connect({ transports, auth: { token: a.token } });
          await assert.rejects(srv.connect({ transports, auth: { token: a.token } }), (err) => {
            assert.equal(err.message, "too_many_sockets");
            return true;
          });
          // Another user is not affected, and the refused one's sockets still work.
          const other = await srv.connect({ transports, auth: { token: b.token } });
          await srv.ok("POST", "/api/campaigns", a.token, { name: "still flowing" });
          await first.waitSeq(1);
          await second.waitSeq(1);
          // A closed socket frees its slot.
          first.close();
          const third = await eventually(() => srv.connect({ transports, auth: { token: a.token } }), "slot freed");
          assert.ok(third.socket.connected);
          for (const r of [second, third, other]) r.close();
        },
        { SOCKET_MAX_PER_USER: "2" },
      ));

    if (transports[0] === "websocket")
      it("a connection dropped while its handshake is checked gives back everything it held", () =>
        withServer(
          async (srv) => {
            const a = await srv.register();
            // Dropped at once, and a moment later: while the token and membership are being
            // checked, right after, and once connected.
            for (let i = 0; i < 100; i++) await Promise.all([0, 1, 2, 3].map((ms) => abandonHandshake(srv, a.token, ms)));
            // Every slot and the gauge come back: the user still gets all of their sockets.
            // The client's side of a dropped handshake ends before the server's: a check still
            // running holds its slot until it ends, so a connection may be refused for a while
            // (too_many_sockets), never for good.
            await until(async () => (await connectedGauge(srv)) === 0, "the gauge back at 0");
            const held = [];
            for (let i = 0; i < 3; i++)
              held.push(await eventually(() => srv.connect({ transports, auth: { token: a.token } }), `socket ${i + 1} of 3`));
            await until(async () => (await connectedGauge(srv)) === 3, "the gauge at 3");
            await srv.ok("POST", "/api/campaigns", a.token, { name: "after" });
            for (const r of held) await r.waitSeq(1);
            for (const r of held) r.close();
          },
          { SOCKET_MAX_PER_USER: "3" },
        ));

    it("subscribing beyond SOCKET_MAX_ROOMS gets too_many_rooms and joins nothing", () =>
      withServer(
        async (srv) => {
          const s = await srv.register();
          const rec = await srv.connect({ transports, auth: { token: s.token } });
          const first = await rec.request("subscribe", { rooms: ["campaigns", "leads"] });
          assert.equal(first.ok, true);
          assert.deepEqual([...first.rooms].sort(), ["campaigns", "leads", "workspace"]);
          const ack = await rec.request("subscribe", { rooms: ["dashboard"] });
          assert.equal(ack.ok, false);
          assert.equal(ack.error.code, "too_many_rooms");
          assert.equal(typeof ack.error.message, "string");
          // Already-held rooms cost nothing; the rejected one was not joined.
          const again = await rec.request("subscribe", { rooms: ["leads"] });
          assert.equal(again.ok, true);
          assert.deepEqual([...again.rooms].sort(), ["campaigns", "leads", "workspace"]);
          // After leaving one there is room again.
          await rec.request("unsubscribe", { rooms: ["leads"] });
          assert.equal((await rec.request("subscribe", { rooms: ["dashboard"] })).ok, true);
          // Too many in auth.subscribe refuses the connection.
          await assert.rejects(
            srv.connect({ transports, auth: { token: s.token, subscribe: ["workspace", "campaigns", "leads", "dashboard"] } }),
            (err) => {
              assert.equal(err.message, "too_many_rooms");
              return true;
            },
          );
          assert.ok(rec.socket.connected);
          await srv.ok("POST", "/api/campaigns", s.token, { name: "still flowing" });
          await rec.waitSeq(1);
          rec.close();
        },
        { SOCKET_MAX_ROOMS: "3" },
      ));

    it("subscribe and sync beyond SOCKET_REQUESTS_PER_SECOND get rate_limited; the socket and others go on", () =>
      withServer(
        async (srv) => {
          const s = await srv.register();
          const busy = await srv.connect({ transports, auth: { token: s.token } });
          const calm = await srv.connect({ transports, auth: { token: s.token } });
          // Sent at once: the budget of 3 is spent long before a second has passed.
          const acks = await Promise.all(
            Array.from({ length: 12 }, (_, i) =>
              i % 2 ? busy.request("sync", { since: 0 }) : busy.request("subscribe", { rooms: ["campaigns"] }),
            ),
          );
          const limited = acks.filter((a) => !a.ok);
          assert.ok(acks.filter((a) => a.ok).length >= 3, JSON.stringify(acks));
          assert.ok(limited.length >= 1, JSON.stringify(acks));
          for (const a of limited) assert.equal(a.error.code, "rate_limited", JSON.stringify(a));
          assert.ok(busy.socket.connected, "a throttled socket stays connected");
          // Another socket has its own budget.
          assert.equal((await calm.request("sync", { since: 0 })).ok, true);
          // Live events still arrive, and the budget refills.
          await srv.ok("POST", "/api/campaigns", s.token, { name: "still flowing" });
          await busy.waitSeq(1);
          const later = await eventually(async () => {
            const a = await busy.request("sync", { since: 0 });
            if (!a.ok) throw new Error(a.error.code);
            return a;
          }, "budget refilled");
          assert.deepEqual(later.events.map((e) => e.seq), [1]);
          busy.close();
          calm.close();
        },
        { SOCKET_REQUESTS_PER_SECOND: "3" },
      ));
  });
}
