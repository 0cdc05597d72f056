// What the server logs never holds a client's token, even with RUST_LOG=trace: the socket
// libraries log connect packets, handshake requests and websocket frames at debug and trace.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { withServer } from "../lib/harness.js";

describe("logs", () => {
  it("hold no token at RUST_LOG=trace, whichever way the socket sends it", async () => {
    let log = "";
    let token;
    await withServer(
      async (server) => {
        // Everything from here on, untruncated (the harness keeps only a tail).
        server.child.stderr.on("data", (d) => (log += d));
        ({ token } = await server.register());
        const ways = [
          { transports: ["websocket"], auth: { token } },
          { transports: ["polling"], auth: { token } },
          { transports: ["polling", "websocket"], auth: { token } },
          { transports: ["polling"], query: { token } },
          { transports: ["websocket"], extraHeaders: { authorization: `Bearer ${token}` } },
        ];
        for (const opts of ways) {
          const s = await server.connect(opts);
          // A request after the handshake: its frames are logged too.
          assert.equal((await s.request("sync", { since: 0 })).ok, true);
          s.close();
        }
        // REST with the token, for good measure.
        await server.ok("GET", "/api/auth/me", token, undefined, 200);
      },
      { RUST_LOG: "trace" },
    );
    // The log is the verbose one the attacker asked for: the connections are in it...
    assert.ok((log.match(/socket connected/g) ?? []).length >= 5, `connections logged:\n${log.slice(-2000)}`);
    assert.match(log, /"level":"TRACE"/);
    // ...but not the token, nor its signature or claims on their own.
    const [, claims, signature] = token.split(".");
    for (const [what, secret] of [["token", token], ["claims", claims], ["signature", signature]]) {
      const at = log.indexOf(secret);
      assert.equal(at, -1, `the ${what} is in the log: ...${log.slice(Math.max(0, at - 300), at + 100)}...`);
    }
  });
});
