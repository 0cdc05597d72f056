// The live dashboard at /app in headless Chromium: two people of one workspace signed in
// in two browser contexts; a change made in one, and one made over REST, show in the other
// without a reload; with live view off nothing arrives until it is on again. Screenshots
// go to test-artifacts/ in cargo's target directory.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { chromium } from "playwright-core";
import { ARTIFACTS, TIMEOUT, withServer } from "../lib/harness.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Records the page's Content-Security-Policy violations in `window.cspViolations`. */
const recordCspViolations = () => {
  window.cspViolations = [];
  document.addEventListener("securitypolicyviolation", (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
};

/** Signs in through the page's form and waits for the live connection. */
async function signIn(browser, url, email, password) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(recordCspViolations);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${url}/app/`);
  await page.fill('[data-test=auth-form] input[name=email]', email);
  await page.fill('[data-test=auth-form] input[name=password]', password);
  await page.click("#auth-submit");
  await page.waitForSelector('[data-test=conn][data-status=live]', { timeout: TIMEOUT });
  return { page, errors, close: () => context.close() };
}

const leadRow = (page, name) => page.locator("tr[data-test=lead]", { hasText: name });

/** Waits until the lead's status select shows `status`. */
function leadStatus(page, name, status) {
  return page.waitForFunction(
    ([n, s]) => [...document.querySelectorAll("tr[data-test=lead]")].some((r) => r.querySelector("[data-test=lead-name]")?.textContent === n && r.querySelector("select")?.value === s),
    [name, status],
    { timeout: TIMEOUT },
  );
}

const text = (page, selector) => page.locator(selector).innerText();

/** Waits until the leads table lists exactly `names` (sorted by name, as the page asks). */
async function leadNames(page, names) {
  try {
    await page.waitForFunction((want) => JSON.stringify([...document.querySelectorAll("tr[data-test=lead] [data-test=lead-name]")].map((e) => e.textContent)) === JSON.stringify(want), names, { timeout: TIMEOUT });
  } catch (e) {
    const shown = await page.locator("tr[data-test=lead] [data-test=lead-name]").allInnerTexts();
    throw new Error(`leads shown ${JSON.stringify(shown)}, expected ${JSON.stringify(names)}: ${e.message}`);
  }
}

describe("/app in a browser", () => {
  let browser;
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60_000 });
  });
  after(async () => {
    await browser?.close();
  });

  it("is served, and can be turned off", async () => {
    await withServer(async (server) => {
      const page = await server.api("GET", "/app/");
      assert.equal(page.status, 200);
      assert.match(page.headers.get("content-type"), /text\/html/);
      const script = await server.api("GET", "/app/app.js");
      assert.match(script.headers.get("content-type"), /javascript/);
    });
    await withServer(async (server) => {
      assert.equal((await server.api("GET", "/app/")).status, 404);
    }, { SERVE_APP: "false" });
  });

  it("two people see each other's and REST's changes live; live view off holds them back", async () => {
    await withServer(async (server) => {
      const password = "correct horse";
      const owner = await server.ok("POST", "/api/auth/register", null, { name: "Olivia Owner", email: "olivia@example.com", password, workspace_name: "Outreach" });
      const t = owner.token;
      const campaign = await server.ok("POST", "/api/campaigns", t, { name: "Launch", status: "active" });
      for (const [name, company] of [["Grace Hopper", "Navy"], ["Alan Turing", "Bletchley"], ["Ada Lovelace", "Analytical"]]) {
        await server.ok("POST", "/api/leads", t, { campaign_id: campaign.id, name, company });
      }
      const invite = await server.ok("POST", "/api/workspace/invitations", t, { email: "max@example.com", role: "member" });
      await server.ok("POST", "/api/auth/register", null, { name: "Max Member", email: "max@example.com", password, invitation: invite.token });

      const a = await signIn(browser, server.url, "olivia@example.com", password);
      const b = await signIn(browser, server.url, "max@example.com", password);
      try {
        for (const tab of [a, b]) {
          await tab.page.click("tr[data-test=campaign] >> text=Launch");
          await leadRow(tab.page, "Grace Hopper").waitFor({ timeout: TIMEOUT });
        }
        assert.equal(await text(b.page, "[data-test=metric-leads] b"), "3");

        // A change in one browser shows in the other.
        await leadRow(a.page, "Grace Hopper").locator("select").selectOption("converted");
        await leadStatus(b.page, "Grace Hopper", "converted");
        await b.page.waitForFunction(() => document.querySelector("[data-test=metric-converted] b")?.textContent === "1", null, { timeout: TIMEOUT });

        // A change over REST shows in both.
        await server.ok("POST", "/api/leads", t, { campaign_id: campaign.id, name: "Linus Torvalds", company: "Transmeta" });
        for (const tab of [a, b]) {
          await leadRow(tab.page, "Linus Torvalds").waitFor({ timeout: TIMEOUT });
          await tab.page.waitForFunction(() => document.querySelector("[data-test=campaign-leads]")?.textContent === "4", null, { timeout: TIMEOUT });
        }

        // Filter and search.
        const all = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Linus Torvalds"];
        await leadNames(b.page, all);
        await b.page.fill("[data-test=lead-search]", "turing");
        await leadNames(b.page, ["Alan Turing"]);
        await b.page.fill("[data-test=lead-search]", "");
        await leadNames(b.page, all);
        await b.page.selectOption("[data-test=lead-filter]", "converted");
        await leadNames(b.page, ["Grace Hopper"]);
        await b.page.selectOption("[data-test=lead-filter]", "");
        await leadNames(b.page, all);

        // Live view off in B: changes reach A (live) but not B, until B turns it on.
        await b.page.uncheck("[data-test=live]");
        await b.page.waitForSelector("[data-test=conn][data-status=paused]", { timeout: TIMEOUT });
        await leadRow(a.page, "Alan Turing").locator("select").selectOption("responded");
        await server.ok("POST", "/api/campaigns", t, { name: "Quiet period" });
        await leadStatus(a.page, "Alan Turing", "responded");
        await a.page.locator("tr[data-test=campaign]", { hasText: "Quiet period" }).waitFor({ timeout: TIMEOUT });
        // A got both over the same broadcast B's socket would have had; B shows neither.
        assert.equal(await b.page.locator("tr[data-test=campaign]", { hasText: "Quiet period" }).count(), 0);
        assert.equal(await leadRow(b.page, "Alan Turing").locator("select").inputValue(), "pending");
        await b.page.screenshot({ path: resolve(ARTIFACTS, "app-live-off.png"), fullPage: true });

        await b.page.check("[data-test=live]");
        await b.page.waitForSelector("[data-test=conn][data-status=live]", { timeout: TIMEOUT });
        await leadStatus(b.page, "Alan Turing", "responded");
        await b.page.locator("tr[data-test=campaign]", { hasText: "Quiet period" }).waitFor({ timeout: TIMEOUT });
        await b.page.waitForFunction(() => document.querySelector("[data-test=metric-campaigns] b")?.textContent === "2", null, { timeout: TIMEOUT });
        assert.ok((await text(b.page, "[data-test=activity]")).includes("campaign created"));

        await a.page.screenshot({ path: resolve(ARTIFACTS, "app-a.png"), fullPage: true });
        await b.page.screenshot({ path: resolve(ARTIFACTS, "app-b.png"), fullPage: true });
        assert.deepEqual([...a.errors, ...b.errors], []);
        // Everything above ran under the page's Content-Security-Policy, with nothing blocked.
        for (const tab of [a, b]) assert.deepEqual(await tab.page.evaluate(() => window.cspViolations), []);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });

  it("the API reference at /docs renders and can call the API under its Content-Security-Policy", async () => {
    await withServer(async (server) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const page = await context.newPage();
        await page.addInitScript(recordCspViolations);
        const errors = [];
        page.on("pageerror", (e) => errors.push(e.message));
        const res = await page.goto(`${server.url}/docs/`);
        assert.match(res.headers()["content-security-policy"], /frame-ancestors 'none'/);
        // Rendered from /api/openapi.json: the title and an operation of it.
        await page.locator(".swagger-ui .info .title", { hasText: "kandid" }).waitFor({ timeout: TIMEOUT });
        const op = page.locator("#operations-operations-healthz");
        await op.locator(".opblock-summary").click();
        await op.locator("button.try-out__btn").click();
        await op.locator("button.execute").click();
        await op.locator(".responses-table .response-col_status", { hasText: "200" }).first().waitFor({ timeout: TIMEOUT });
        await page.screenshot({ path: resolve(ARTIFACTS, "docs.png"), fullPage: true });
        assert.deepEqual(errors, []);
        assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
      } finally {
        await context.close();
      }
    });
  });
});
