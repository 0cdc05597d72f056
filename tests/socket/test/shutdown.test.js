// SIGTERM as an operator sends it: the listener closes first, a request in flight across
// the signal completes, its event reaches a connected websocket client before the sockets
// close and is in the log, and the process exits 0 with a final log line, without a panic.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { TIMEOUT, TRANSPORTS, until, withServer } from "../lib/harness.js";

const ROWS = 20_000;

function csv(rows) {
  const lines = ["name,email,company"];
  for (let i = 0; i < rows; i++) lines.push(`Lead ${i},lead${i}@example.com,Company ${i % 97}`);
  return `${lines.join("\n")}\n`;
}

/**
 * Starts an import whose body is held back: with `Expect: 100-continue` the server answers
 * `100 Continue` only once the handler reads the body, so when `started` resolves the
 * request is certainly in flight. `send()` then writes the body; `response` resolves with
 * the status and the parsed body.
 */
function heldImport(url, token, campaignId, body) {
  const req = http.request(`${url}/api/campaigns/${campaignId}/leads/import`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "text/csv",
      "content-length": Buffer.byteLength(body),
      expect: "100-continue",
    },
  });
  const started = new Promise((res, rej) => {
    req.once("continue", res);
    req.once("error", rej);
  });
  const response = new Promise((res, rej) => {
    req.once("response", (r) => {
      let text = "";
      r.setEncoding("utf8");
      r.on("data", (d) => (text += d));
      r.on("end", () => res({ status: r.statusCode, body: JSON.parse(text) }));
      r.on("error", rej);
    });
    req.once("error", rej);
  });
  req.flushHeaders();
  return { started, response, send: () => req.end(body) };
}

/** What a TCP connection to `port` meets: "accepted", or the error's code. */
function probe(port) {
  return new Promise((res) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      res("accepted");
    });
    s.once("error", (e) => res(e.code));
  });
}

/** Resolves once a TCP connection to `port` is refused; rejects if it never is. */
function refused(port, timeout = TIMEOUT) {
  return until(async () => (await probe(port)) === "ECONNREFUSED", "connections to be refused after SIGTERM", timeout, 0);
}

describe("shutdown on SIGTERM", () => {
  for (const transports of TRANSPORTS) {
    it(`finishes an import in flight; its event reaches websockets before the close and stays in the log (${transports})`, () =>
      withServer(
        async (srv) => {
          const s = await srv.register();
          const campaign = await srv.ok("POST", "/api/campaigns", s.token, { name: "Import target" });
          const rec = await srv.connect({ transports, auth: { token: s.token } });

          const port = Number(new URL(srv.url).port);
          const upload = heldImport(srv.url, s.token, campaign.id, csv(ROWS));
          await upload.started;

          srv.child.kill("SIGTERM");
          // The listener goes first, while the import still waits for its body.
          await refused(port);
          assert.ok(rec.socket.connected, "sockets stay up while requests are in flight");

          upload.send();
          const res = await upload.response;
          assert.equal(res.status, 200, JSON.stringify(res.body));
          assert.equal(res.body.created, ROWS);

          if (transports[0] === "websocket") {
            // Live, and before the disconnect.
            const imported = await rec.waitFor((n, p) => n === "leads_updated" && p.action === "imported", "the import's event");
            assert.deepEqual([imported.seq, imported.count, imported.campaign_id], [2, ROWS, campaign.id]);
            await rec.waitFor((n) => n === "disconnect", "disconnect");
            const names = rec.events.map((e) => e.name);
            assert.ok(names.indexOf("leads_updated") < names.indexOf("disconnect"), names.join(","));
          }
          // A polling client gets only what its poll in progress carries: the listener is
          // closed, so it cannot ask again. What it missed is in the log.

          const { code, signal } = await srv.exited;
          assert.deepEqual([code, signal], [0, null]);
          assert.doesNotMatch(srv.stderr, /panicked/);
          const last = srv.stderr.trim().split("\n").at(-1);
          assert.match(last, /kandid stopped/, srv.stderr.slice(-2000));

          // Committed means durable: the next server on the same database has the event.
          await srv.launch();
          const log = await srv.ok("GET", "/api/events?since=1", s.token);
          assert.deepEqual(
            log.data.map((e) => [e.seq, e.type, e.action, e.count]),
            [[2, "leads_updated", "imported", ROWS]],
          );
          rec.close();
        },
        { RUST_LOG: "info", SHUTDOWN_GRACE: "60s" },
      ));
  }
});
