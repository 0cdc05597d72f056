// Browser: the stock socket.io-client browser bundle in headless Chromium (Debian's
// `chromium` package, driven by playwright-core), served from a page origin of its own.
// From an origin in CORS_ORIGINS it connects over polling, upgrades to websocket and
// receives events; from any other origin the server refuses the handshake (403), which
// also guards the websocket transport that CORS does not cover.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { TIMEOUT, withServer } from "../lib/harness.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const here = dirname(fileURLToPath(import.meta.url));
const BUNDLE = resolve(here, "../node_modules/socket.io-client/dist/socket.io.min.js");
const PAGE = '<!doctype html><html><head><meta charset="utf-8"><title>kandid</title><script src="/socket.io.min.js"></script></head><body></body></html>';
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Serves the page and the socket.io-client bundle on 127.0.0.1 (a port of its own = an origin of its own). */
async function startPageServer() {
  const bundle = readFileSync(BUNDLE);
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
    } else if (path === "/socket.io.min.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(bundle);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((res, rej) => {
    server.once("error", rej);
    server.listen(0, "127.0.0.1", res);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((res) => {
        server.closeAllConnections();
        server.close(() => res());
      }),
  };
}

/**
 * Runs in the page: connects with `opts` and records what happens in `window.rt`
 * (connected, engine transport at open, upgrade, connect_error messages, events).
 */
function connectInPage({ url, opts }) {
  const rt = { opened: null, connected: false, upgraded: null, errors: [], events: [] };
  window.rt = rt;
  const socket = io(url, { reconnection: false, forceNew: true, ...opts });
  window.socket = socket;
  socket.io.engine.on("open", () => {
    rt.opened = socket.io.engine.transport.name;
  });
  socket.io.engine.on("upgrade", (transport) => {
    rt.upgraded = transport.name;
  });
  socket.on("connect", () => {
    rt.connected = true;
  });
  socket.on("connect_error", (err) => {
    rt.errors.push(err.message);
  });
  socket.on("campaigns_updated", (payload) => {
    rt.events.push(payload);
  });
}

describe("browser (headless Chromium, socket.io-client bundle)", () => {
  let browser;
  let allowed;
  let foreign;

  before(async () => {
    // A missing browser fails every test here (never a skip); see needChromium.
    if (!existsSync(CHROMIUM)) return;
    allowed = await startPageServer();
    foreign = await startPageServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60_000 });
  });

  after(async () => {
    await browser?.close();
    await allowed?.close();
    await foreign?.close();
  });

  function needChromium() {
    assert.ok(
      existsSync(CHROMIUM),
      `no Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }

  /** A fresh page of `site` with the bundle loaded; collects page errors for failure messages. */
  async function open(site) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const log = [];
    page.on("pageerror", (e) => log.push(`pageerror: ${e.message}`));
    page.on("console", (m) => log.push(`console.${m.type()}: ${m.text()}`));
    await page.goto(`${site.origin}/`, { timeout: TIMEOUT });
    assert.equal(await page.evaluate(() => typeof io), "function", "socket.io bundle not loaded");
    return { page, log, close: () => context.close() };
  }

  /** Waits for `fn` (run in the page) to be truthy; the failure names `what` and shows window.rt. */
  async function waitIn(tab, what, fn, arg) {
    try {
      await tab.page.waitForFunction(fn, arg, { timeout: TIMEOUT, polling: 50 });
    } catch (e) {
      const rt = await tab.page.evaluate(() => window.rt).catch(() => null);
      throw new Error(`timed out waiting for ${what}; rt=${JSON.stringify(rt)}; page log:\n${tab.log.join("\n")}\n${e.message}`);
    }
  }

  it("from an allowed origin: polling handshake, upgrade to websocket, receives campaigns_updated", async () => {
    needChromium();
    await withServer(
      async (srv) => {
        const s = await srv.register();
        const tab = await open(allowed);
        try {
          const sockets = [];
          tab.page.on("websocket", (ws) => sockets.push(ws.url()));
          await tab.page.evaluate(connectInPage, {
            url: srv.url,
            opts: { auth: { token: s.token }, transports: ["polling", "websocket"] },
          });
          await waitIn(tab, "connect and upgrade", () => window.rt.connected && window.rt.upgraded === "websocket");
          const rt = await tab.page.evaluate(() => window.rt);
          assert.equal(rt.opened, "polling", "the first transport is polling");
          assert.deepEqual(rt.errors, []);
          assert.equal(await tab.page.evaluate(() => window.socket.io.engine.transport.name), "websocket");
          assert.ok(
            sockets.some((u) => u.startsWith(srv.url.replace("http:", "ws:")) && u.includes("transport=websocket") && u.includes("sid=")),
            `upgrade websocket opened: ${JSON.stringify(sockets)}`,
          );

          const c = await srv.ok("POST", "/api/campaigns", s.token, { name: "From the browser's point of view" });
          await waitIn(tab, `campaigns_updated created ${c.id}`, (id) => window.rt.events.some((e) => e.id === id), c.id);
          const ev = (await tab.page.evaluate(() => window.rt.events)).find((e) => e.id === c.id);
          assert.equal(ev.type, "campaigns_updated");
          assert.equal(ev.action, "created");
          assert.equal(ev.campaign_id, c.id);
          assert.equal(ev.data.name, "From the browser's point of view");
          assert.ok(Number.isInteger(ev.seq) && ev.seq >= 1);
          await tab.page.evaluate(() => window.socket.close());
        } finally {
          await tab.close();
        }
      },
      { CORS_ORIGINS: allowed.origin },
    );
  });

  it("from an origin outside CORS_ORIGINS: the handshake is refused over polling and websocket", async () => {
    needChromium();
    await withServer(
      async (srv) => {
        const s = await srv.register();
        const handshake = `${srv.url}/socket.io/?EIO=4&transport=polling`;

        // Server side, without a browser: a foreign Origin gets 403, not a handshake.
        const evil = await fetch(handshake, { headers: { origin: "http://evil.example" } });
        const evilBody = await evil.text();
        assert.equal(evil.status, 403, `foreign origin: ${evil.status} ${evilBody}`);
        assert.match(evil.headers.get("content-type") ?? "", /^application\/problem\+json/);
        assert.equal(JSON.parse(evilBody).code, "forbidden");
        assert.equal(evil.headers.get("access-control-allow-origin"), null);
        const sameHost = await fetch(handshake, { headers: { origin: foreign.origin } });
        assert.equal(sameHost.status, 403, "another port is another origin");
        await sameHost.arrayBuffer();
        // The allowed origin and non-browser clients (no Origin) still get a handshake.
        const good = await fetch(handshake, { headers: { origin: allowed.origin } });
        assert.equal(good.status, 200);
        assert.equal(good.headers.get("access-control-allow-origin"), allowed.origin);
        assert.match(await good.text(), /^0\{"sid":/);
        const bare = await fetch(handshake);
        assert.equal(bare.status, 200);
        assert.match(await bare.text(), /^0\{"sid":/);

        // In the browser, from the foreign page: polling first, and websocket only (which CORS
        // would not stop). Both end in connect_error and never connect.
        for (const transports of [["polling", "websocket"], ["websocket"]]) {
          const tab = await open(foreign);
          try {
            // What the browser attempted towards kandid (the 403 itself is hidden from the page).
            const attempts = [];
            tab.page.on("request", (r) => {
              if (r.url().startsWith(`${srv.url}/socket.io/`)) attempts.push(new URL(r.url()).searchParams.get("transport"));
            });
            tab.page.on("websocket", (ws) => {
              if (ws.url().includes("/socket.io/")) attempts.push("websocket");
            });
            await tab.page.evaluate(connectInPage, { url: srv.url, opts: { auth: { token: s.token }, transports } });
            await waitIn(tab, `connect_error over ${transports}`, () => window.rt.errors.length > 0);
            const rt = await tab.page.evaluate(() => window.rt);
            assert.equal(rt.connected, false, `${transports}: must not connect`);
            assert.equal(rt.opened, null, `${transports}: no Engine.IO session opened`);
            assert.equal(await tab.page.evaluate(() => window.socket.connected), false);
            assert.equal(attempts[0], transports[0], `${transports}: attempts ${JSON.stringify(attempts)}`);
            assert.ok(!attempts.includes("websocket") || transports[0] === "websocket", "no upgrade without a session");
            assert.deepEqual(rt.errors, [transports[0] === "polling" ? "xhr poll error" : "websocket error"]);
          } finally {
            await tab.close();
          }
        }
      },
      { CORS_ORIGINS: allowed.origin },
    );
  });
});
