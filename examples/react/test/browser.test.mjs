// examples/react as built (dist/), in headless Chromium (Debian's `chromium`, driven by
// playwright-core) against the real server: two people in two browser contexts, the
// workspace's owner (signed in through the form) and an invited member. What one does
// appears in the other's page without a reload; live view off and on catches up; five
// seconds offline converge within a second of the network returning; a cut transport
// converges; an edit conflict reads as one; a token near expiry is refreshed without a
// sign-out. Screenshots (desktop and 390 px) go to the artifacts directory.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import { chromium } from "playwright-core";
import { Server, ARTIFACTS, relay } from "../../../tests/socket/lib/harness.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const DIST = resolve(dirname(fileURLToPath(import.meta.url)), "../dist");
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8" };
const SHOTS = join(ARTIFACTS, "examples-react");

/** Serves dist/ on 127.0.0.1 (an origin of its own; the server allows it by CORS_ORIGINS). */
async function serveDist() {
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const file = join(DIST, path === "/" ? "index.html" : path);
    if (!file.startsWith(DIST) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => (server.closeAllConnections(), server.close()) };
}

const skip = !existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM}` : !existsSync(join(DIST, "index.html")) ? "examples/react is not built (npm run build)" : false;

describe("a session near expiry", { skip }, () => {
  it("is refreshed without a sign-out, and the page stays live past the first token's expiry", async () => {
    const web = await serveDist();
    const server = await Server.start({ CORS_ORIGINS: web.origin, JWT_TTL: "6s" });
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60_000 });
    try {
      const me = await server.ok("POST", "/api/auth/register", null, { name: "Short", email: `s-${randomUUID()}@example.com`, password: "correct horse" });
      const ctx = await browser.newContext();
      await ctx.addInitScript((token) => {
        if (!sessionStorage.getItem("seeded")) localStorage.setItem("kandid.token", token), sessionStorage.setItem("seeded", "1");
      }, me.token);
      const page = await ctx.newPage();
      await page.goto(`${web.origin}/?server=${encodeURIComponent(server.url)}#/dashboard`);
      await page.locator('[data-testid="connection"][data-status="live"]').waitFor();
      // Past the first token's expiry, by the server's clock and its leeway too.
      const exp = JSON.parse(Buffer.from(me.token.split(".")[1], "base64url")).exp;
      await page.waitForFunction((ms) => Date.now() > ms, exp * 1000 + 2_000, { timeout: 15_000 });
      const fresh = await page.evaluate(() => localStorage.getItem("kandid.token"));
      assert.ok(fresh && fresh !== me.token, "a new token");
      await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 2_000 });
      // Still signed in and still live: a change arrives (made with the page's own new token).
      await server.ok("POST", "/api/campaigns", fresh, { name: "After" });
      await page.locator('[data-testid="dash-campaigns"]').filter({ hasText: /^1$/ }).waitFor({ timeout: 5_000 });
    } finally {
      await browser.close();
      await server.close();
      web.close();
    }
  });
});

describe("examples/react in two browsers", { skip }, () => {
  let web, server, browser, owner, member, ownerPage, memberPage, campaign, cable;

  before(async () => {
    web = await serveDist();
    server = await Server.start({ CORS_ORIGINS: web.origin });
    cable = await relay(server.url); // the member reaches the server through it
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60_000 });
    const email = `owner-${randomUUID()}@example.com`;
    owner = { email, ...(await server.ok("POST", "/api/auth/register", null, { name: "Olga Owner", email, password: "correct horse", workspace_name: "Acme outreach" })) };
    const memberEmail = `member-${randomUUID()}@example.com`;
    const inv = await server.ok("POST", "/api/workspace/invitations", owner.token, { email: memberEmail, role: "member" });
    member = await server.ok("POST", "/api/auth/register", null, { name: "Max Member", email: memberEmail, password: "correct horse", invitation: inv.token });
    campaign = await server.ok("POST", "/api/campaigns", owner.token, { name: "Spring", status: "active", sequence: [{ kind: "connection_request", delay_hours: 0 }] });
    for (const [name, company] of [["Ada", "Acme"], ["Bo", "Globex"], ["Cy", "Acme"]]) await server.ok("POST", "/api/leads", owner.token, { campaign_id: campaign.id, name, company });
    mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    cable?.close();
    await server?.close();
    web?.close();
  });

  it("the owner signs in through the form; a wrong password reads as such", async () => {
    ownerPage = await (await browser.newContext()).newPage();
    await ownerPage.goto(`${web.origin}/?server=${encodeURIComponent(server.url)}#/campaigns`);
    await ownerPage.fill('input[name="email"]', owner.email);
    await ownerPage.fill('input[name="password"]', "not the password");
    await ownerPage.click("button:has-text('Sign in')");
    await ownerPage.getByRole("alert").filter({ hasText: "wrong e-mail or password" }).waitFor();
    await ownerPage.fill('input[name="password"]', "correct horse");
    await ownerPage.click("button:has-text('Sign in')");
    await ownerPage.locator('[data-testid="connection"][data-status="live"]').waitFor();
    await ownerPage.locator('[data-testid="campaign-Spring"]').waitFor();
  });

  it("the member (a stored token) sees the owner's new campaign and the owner sees the member's lead in the campaign's stats", async () => {
    const ctx = await browser.newContext();
    await ctx.addInitScript((token) => localStorage.setItem("kandid.token", token), member.token);
    memberPage = await ctx.newPage();
    await memberPage.goto(`${web.origin}/?server=${encodeURIComponent(cable.url)}#/campaigns`);
    await memberPage.locator('[data-testid="connection"][data-status="live"]').waitFor();
    await memberPage.locator('[data-testid="campaign-Spring"] [data-testid="total-leads"]').filter({ hasText: "3" }).waitFor();

    await ownerPage.fill('[data-testid="new-campaign"]', "Summer");
    await ownerPage.click("button:has-text('Create')");
    await memberPage.locator('[data-testid="campaign-Summer"]').waitFor({ timeout: 5_000 });

    await memberPage.click('a:has-text("Spring")');
    await memberPage.fill('input[name="name"]', "Dee");
    await memberPage.fill('input[name="company"]', "Initech");
    await memberPage.click("button:has-text('Add lead')");
    await ownerPage.locator('[data-testid="campaign-Spring"] [data-testid="total-leads"]').filter({ hasText: "4" }).waitFor({ timeout: 5_000 });
    await memberPage.locator('[data-testid="campaign-total"]').filter({ hasText: "4" }).waitFor();
  });

  it("a status changed on the leads page shows in the other's filtered search", async () => {
    await ownerPage.goto(`${web.origin}/#/leads`);
    await memberPage.goto(`${web.origin}/#/leads`);
    await memberPage.fill('[data-testid="lead-search"]', "acme");
    await memberPage.selectOption('[data-testid="lead-filter"]', "contacted");
    await memberPage.locator('[data-testid="lead-total"]').filter({ hasText: /^0 leads/ }).waitFor();
    await ownerPage.locator('[data-testid="lead-Ada"] [data-testid="lead-status"]').selectOption("contacted");
    await memberPage.locator('[data-testid="lead-Ada"]').waitFor({ timeout: 5_000 });
    await memberPage.locator('[data-testid="lead-total"]').filter({ hasText: /^1 leads/ }).waitFor();
  });

  it("live view off holds the dashboard still; on again catches up", async () => {
    await ownerPage.goto(`${web.origin}/#/dashboard`);
    await memberPage.goto(`${web.origin}/#/dashboard`);
    const leads = memberPage.locator('[data-testid="dash-leads"]');
    await leads.filter({ hasText: /^4$/ }).waitFor();
    await memberPage.uncheck('[data-testid="live-toggle"]');
    await memberPage.locator('[data-testid="connection"][data-status="paused"]').waitFor();
    await server.ok("POST", "/api/leads", owner.token, { campaign_id: campaign.id, name: "Eve" });
    await ownerPage.locator('[data-testid="dash-leads"]').filter({ hasText: /^5$/ }).waitFor({ timeout: 5_000 });
    assert.equal(await leads.textContent(), "4", "nothing moved while live view was off");
    await memberPage.check('[data-testid="live-toggle"]');
    await leads.filter({ hasText: /^5$/ }).waitFor({ timeout: 5_000 });
  });

  it("offline for 5 s, then online: converges within a second of the network returning", async () => {
    const ctx = memberPage.context();
    await ctx.setOffline(true);
    const wentOffline = await memberPage.locator('[data-testid="connection"][data-status="offline"]').waitFor({ timeout: 3_000 }).then(() => "offline", () => "still connected");
    await server.ok("POST", "/api/leads", owner.token, { campaign_id: campaign.id, name: "Fay" });
    await server.ok("PATCH", `/api/leads/${(await server.ok("GET", `/api/leads?q=Bo`, owner.token)).data[0].id}`, owner.token, { status: "converted" });
    await new Promise((r) => setTimeout(r, 5_000));
    assert.equal(await memberPage.locator('[data-testid="dash-leads"]').textContent(), "5");
    const back = Date.now();
    await ctx.setOffline(false);
    await memberPage.locator('[data-testid="dash-leads"]').filter({ hasText: /^6$/ }).waitFor({ timeout: 5_000 });
    await memberPage.locator('[data-testid="dash-status-converted"]').filter({ hasText: /^1$/ }).waitFor({ timeout: 5_000 });
    const took = Date.now() - back;
    console.log(`offline test: status while offline ${wentOffline}, converged in ${took} ms`);
    assert.ok(took < 1_000, `converged ${took} ms after the network returned`);
  });

  it("a killed transport converges", async () => {
    await memberPage.goto(`${web.origin}/#/dashboard`);
    const leads = memberPage.locator('[data-testid="dash-leads"]');
    await leads.filter({ hasText: /^6$/ }).waitFor();
    cable.cut();
    await memberPage.locator('[data-testid="connection"][data-status="offline"]').waitFor({ timeout: 2_000 });
    await server.ok("POST", "/api/leads", owner.token, { campaign_id: campaign.id, name: "Gus" });
    await leads.filter({ hasText: /^7$/ }).waitFor({ timeout: 5_000 });
    assert.equal(await memberPage.locator('[data-testid="connection"]').getAttribute("data-status"), "live");
  });

  it("an edit over someone else's change reads as a conflict and shows the lead as it now is", async () => {
    await memberPage.goto(`${web.origin}/#/leads`);
    await memberPage.locator('[data-testid="lead-Cy"]').waitFor();
    // This page does not hear of the owner's change (live view off), so it edits the old version.
    await memberPage.uncheck('[data-testid="live-toggle"]');
    await memberPage.locator('[data-testid="connection"][data-status="paused"]').waitFor();
    const cy = (await server.ok("GET", "/api/leads?q=Cy", owner.token)).data[0];
    await server.ok("PATCH", `/api/leads/${cy.id}`, owner.token, { status: "responded" });
    await memberPage.locator('[data-testid="lead-Cy"] [data-testid="lead-status"]').selectOption("converted");
    const alert = memberPage.locator('[data-testid="lead-Cy"] [role="alert"]');
    await alert.waitFor({ timeout: 5_000 });
    assert.equal(await alert.textContent(), "someone else changed this in the meantime; your changes were not saved (now: responded)");
    await memberPage.screenshot({ path: join(SHOTS, "conflict-desktop.png"), fullPage: true });
    assert.equal(await memberPage.locator('[data-testid="lead-Cy"] [data-testid="lead-status"]').inputValue(), "responded");
    await memberPage.check('[data-testid="live-toggle"]');
  });

  it("screenshots, desktop and 390 px", async () => {
    for (const [name, hash] of [["dashboard", "#/dashboard"], ["campaigns", "#/campaigns"], ["campaign", `#/campaigns/${campaign.id}`], ["leads", "#/leads"]]) {
      await ownerPage.goto(`${web.origin}/${hash}`);
      await ownerPage.locator('[data-testid="connection"][data-status="live"]').waitFor();
      await ownerPage.waitForLoadState("networkidle").catch(() => {});
      await ownerPage.setViewportSize({ width: 1280, height: 800 });
      await ownerPage.screenshot({ path: join(SHOTS, `${name}-desktop.png`), fullPage: true });
      await ownerPage.setViewportSize({ width: 390, height: 844 });
      await ownerPage.screenshot({ path: join(SHOTS, `${name}-390.png`), fullPage: true });
    }
  });
});
