// The dashboard at /app in headless Chromium, against the binary that embeds it: the owner
// and an invited member signed in through the form in two browser contexts.
// A campaign, a lead's status and a sequence changed in one appear in the other without a reload.
// The owner's dashboard metrics, status chart and activity feed (naming the person and the lead) follow.
// An edit over someone else's change reads as a conflict, keeps the input and saves only the edited fields.
// An import reports what it created, skipped and refused.
// Switching workspace shows that workspace's data, live; sign-out returns to the form.
// Live view off holds the member's dashboard still, on again catches up; five seconds offline
// converge within a second of the network returning; a transport killed under the page (a
// relay cut) converges; a token near expiry is refreshed without a sign-out, and the page
// stays live and its calls succeed past the first token's expiry.
// The team: the owner invites (the page shows the link to hand over), withdraws an invitation;
// the invitee opens the link in the other context, joins, and appears in the owner's list live;
// a viewer is offered no changes; a role changed by the owner shows live, with what the page
// offers; a member is removed.
// No page error, no refused request (favicon included), no CSP violation; each page fits 390 px.
// Screenshots (desktop and 390 px) go to $KANDID_ARTIFACTS/app (else test-artifacts/ in cargo's target directory).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { chromium } from "playwright-core";
import { ARTIFACTS, TIMEOUT, relay, withServer } from "../lib/harness.js";

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
  // A refused request (a missing favicon, say) is a fault of the page; 412 is the conflicts' own.
  page.on("response", (r) => r.status() >= 400 && r.status() !== 412 && errors.push(`${r.status()} ${r.url()}`));
  await page.goto(`${url}/app/`);
  const form = page.locator("[data-test=auth-form]");
  await form.waitFor({ timeout: TIMEOUT });
  // Signing in asks for e-mail and password only.
  assert.equal(await form.locator("input:visible").count(), 2);
  await form.locator("input[name=email]").fill(email);
  await form.locator("input[name=password]").fill(password);
  await page.click("[data-test=auth-submit]");
  await page.waitForSelector("[data-test=conn][data-status=live]", { timeout: TIMEOUT });
  return { page, errors, close: () => context.close() };
}

/** The owner of a workspace with a campaign of three leads, and a member who joined by invitation. */
async function team(server, password) {
  const owner = await server.ok("POST", "/api/auth/register", null, { name: "Olivia Owner", email: "olivia@example.com", password, workspace_name: "Outreach" });
  const campaign = await server.ok("POST", "/api/campaigns", owner.token, { name: "Launch", status: "active" });
  const leads = [];
  for (const name of ["Grace Hopper", "Alan Turing", "Ada Lovelace"]) leads.push(await server.ok("POST", "/api/leads", owner.token, { campaign_id: campaign.id, name }));
  const invite = await server.ok("POST", "/api/workspace/invitations", owner.token, { email: "max@example.com", role: "member" });
  const member = await server.ok("POST", "/api/auth/register", null, { name: "Max Member", email: "max@example.com", password, invitation: invite.token });
  return { owner, member, campaign, leads };
}

/** Offline this long before the network returns, as the scenario has it. */
const OFFLINE_MS = 5_000;
/** How soon after the network returns the page must show the server's state. */
const CONVERGE_MS = 1_000;

const leadRow = (page, name) => page.locator(`tr[data-test=lead][data-name="${name}"]`);
const campaignRow = (page, name) => page.locator(`tr[data-test=campaign][data-name="${name}"]`);

/** Waits until the element at `selector` reads `want`. */
function textIs(page, selector, want) {
  return page.waitForFunction(([s, w]) => document.querySelector(s)?.textContent?.trim() === w, [selector, want], { timeout: TIMEOUT });
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

  it("two people see each other's changes live; conflicts keep the input; imports report; fits 390 px", async () => {
    await withServer(async (server) => {
      const password = "correct horse";
      const owner = await server.ok("POST", "/api/auth/register", null, { name: "Olivia Owner", email: "olivia@example.com", password, workspace_name: "Outreach" });
      const t = owner.token;
      const campaign = await server.ok("POST", "/api/campaigns", t, { name: "Launch", status: "active", sequence: [{ kind: "connection_request", delay_hours: 0 }] });
      const leads = {};
      for (const [name, company] of [["Grace Hopper", "Navy"], ["Alan Turing", "Bletchley"], ["Ada Lovelace", "Analytical"]]) {
        leads[name] = await server.ok("POST", "/api/leads", t, { campaign_id: campaign.id, name, company });
      }
      const invite = await server.ok("POST", "/api/workspace/invitations", t, { email: "max@example.com", role: "member" });
      const max = await server.ok("POST", "/api/auth/register", null, { name: "Max Member", email: "max@example.com", password, invitation: invite.token });
      // Max also belongs to a second workspace, to switch to.
      const zed = await server.ok("POST", "/api/auth/register", null, { name: "Zed", email: "zed@example.com", password, workspace_name: "Side project" });
      const invite2 = await server.ok("POST", "/api/workspace/invitations", zed.token, { email: "max@example.com", role: "member" });
      await server.ok("POST", "/api/invitations/accept", max.token, { token: invite2.token }, 200);
      const shots = resolve(ARTIFACTS, "app");
      mkdirSync(shots, { recursive: true });

      const a = await signIn(browser, server.url, "olivia@example.com", password);
      const b = await signIn(browser, server.url, "max@example.com", password);
      try {
        await textIs(b.page, "[data-test=metric-leads] b", "3");

        // A campaign created in one browser appears in the other's list.
        await a.page.goto(`${server.url}/app/#/campaigns`);
        await b.page.goto(`${server.url}/app/#/campaigns`);
        await campaignRow(b.page, "Launch").waitFor({ timeout: TIMEOUT });
        await a.page.fill("[data-test=new-campaign]", "Summer");
        await a.page.click("button:has-text('Create')");
        await campaignRow(b.page, "Summer").waitFor({ timeout: TIMEOUT });

        // A lead's status changed by the member moves the owner's dashboard, chart and feed.
        await a.page.goto(`${server.url}/app/#/dashboard`);
        await textIs(a.page, "[data-test=metric-converted] b", "0");
        await campaignRow(b.page, "Launch").locator("a").click();
        await leadRow(b.page, "Grace Hopper").locator("[data-test=lead-status]").selectOption("converted");
        await textIs(a.page, "[data-test=metric-converted] b", "1");
        await a.page.waitForSelector("[data-test=chart-status] [data-test=status-converted][data-count='1']", { timeout: TIMEOUT });
        await a.page.locator("[data-test=activity-item]", { hasText: "Max Member moved lead Grace Hopper from pending to converted in Launch" }).waitFor({ timeout: TIMEOUT });

        // A sequence saved by the owner shows in the member's (untouched) editor.
        await a.page.goto(`${server.url}/app/#/campaigns/${campaign.id}`);
        await a.page.click("[data-test=add-step]");
        await a.page.fill("[data-test=step]:nth-child(2) textarea", "Thanks for connecting, {{first_name}}!");
        await a.page.click("[data-test=save-campaign]");
        await b.page.waitForFunction(() => document.querySelectorAll("[data-test=step]").length === 2, null, { timeout: TIMEOUT });

        // An edit over someone else's change: a readable message, the input kept; saving again writes it.
        await leadRow(b.page, "Alan Turing").locator("[data-test=lead-edit]").click();
        const editor = b.page.locator("[data-test=lead-editor]");
        await editor.locator("input[name=name]").fill("Alan M. Turing");
        await server.ok("PATCH", `/api/leads/${leads["Alan Turing"].id}`, t, { status: "responded" });
        // The owner's change reaches the member's page (the campaign's progress), not the form.
        await textIs(b.page, "[data-test=campaign-progress] b", "67%");
        await editor.locator("[data-test=save-lead]").click();
        const conflict = editor.locator("[data-test=conflict]");
        await conflict.waitFor({ timeout: TIMEOUT });
        assert.equal(
          await conflict.innerText(),
          "Someone else changed this lead in the meantime, so your change was not saved. The form now shows their version (Alan Turing, responded, not connected) with your edits kept: save again to apply your edits to it.",
        );
        // The person's edit is kept; the field they did not touch shows the other's change.
        assert.equal(await editor.locator("input[name=name]").inputValue(), "Alan M. Turing");
        assert.equal(await editor.locator("select[name=status]").inputValue(), "responded");
        await b.page.screenshot({ path: resolve(shots, "conflict-desktop.png"), fullPage: true });
        await editor.locator("[data-test=save-lead]").click();
        await leadRow(a.page, "Alan M. Turing").waitFor({ timeout: TIMEOUT });
        assert.equal(await leadRow(a.page, "Alan M. Turing").locator("[data-test=lead-status]").inputValue(), "responded");

        // The same for a campaign's settings.
        await b.page.fill("[data-test=campaign-editor] textarea[name=description]", "Mine");
        await server.ok("PATCH", `/api/campaigns/${campaign.id}`, t, { daily_limit: 20 });
        await b.page.click("[data-test=save-campaign]");
        await b.page.locator("[data-test=campaign-editor] [data-test=conflict]", { hasText: "Someone else changed this campaign while you were editing" }).waitFor({ timeout: TIMEOUT });
        assert.equal(await b.page.inputValue("[data-test=campaign-editor] textarea[name=description]"), "Mine");
        assert.equal(await b.page.inputValue("[data-test=campaign-editor] input[name=daily_limit]"), "20");
        await b.page.click("[data-test=save-campaign]");
        await b.page.locator("[data-test=campaign-editor] [role=status]", { hasText: "Saved." }).waitFor({ timeout: TIMEOUT });
        const saved = await server.ok("GET", `/api/campaigns/${campaign.id}`, t);
        assert.deepEqual([saved.description, saved.daily_limit, saved.sequence.length], ["Mine", 20, 2]);

        // A member may change a campaign but not delete it, so the page offers no delete.
        assert.equal(await b.page.locator(".title-row button.danger").count(), 0);

        // An import: two created, one duplicate skipped, one bad row reported.
        await b.page.click("[data-test=import] summary");
        await b.page.fill("[data-test=import-text]", "name,email,company\nDee,dee@example.com,Initech\nEve,not an e-mail,Hooli\nDee again,dee@example.com,Initech\nFay,,Acme\n");
        // Whether the progress indication showed, however briefly.
        await b.page.evaluate(() => {
          window.sawProgress = false;
          new MutationObserver(() => (window.sawProgress ||= !!document.querySelector("[data-test=import-progress]"))).observe(document.body, { subtree: true, childList: true });
        });
        await b.page.click("[data-test=import-submit]");
        const report = b.page.locator("[data-test=import-report]");
        await report.waitFor({ timeout: TIMEOUT });
        assert.equal(await report.locator("[data-test=import-created]").innerText(), "2");
        assert.equal(await report.locator("[data-test=import-skipped]").innerText(), "1");
        const bad = await report.locator("[data-test=import-error]").allInnerTexts();
        assert.equal(bad.length, 1);
        assert.match(bad[0], /^2\temail\t/);
        assert.ok(await b.page.evaluate(() => window.sawProgress), "the import showed its progress");
        await b.page.screenshot({ path: resolve(shots, "import-desktop.png"), fullPage: true });
        await textIs(a.page, "[data-test=campaign-total] b", "5");

        // Screenshots, desktop and 390 px; at 390 px the page itself never scrolls sideways.
        for (const [name, hash] of [["dashboard", "#/dashboard"], ["campaigns", "#/campaigns"], ["campaign", `#/campaigns/${campaign.id}`], ["leads", "#/leads"]]) {
          await a.page.setViewportSize({ width: 1280, height: 900 });
          await a.page.goto(`${server.url}/app/${hash}`);
          await a.page.waitForSelector("[data-test=conn][data-status=live]", { timeout: TIMEOUT });
          await a.page.waitForLoadState("networkidle").catch(() => {});
          await a.page.screenshot({ path: resolve(shots, `${name}-desktop.png`), fullPage: true });
          await a.page.setViewportSize({ width: 390, height: 844 });
          // The resize has reached the page and been laid out (two frames later).
          await a.page.waitForFunction(() => window.innerWidth === 390);
          await a.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
          await a.page.screenshot({ path: resolve(shots, `${name}-390.png`), fullPage: true });
          assert.ok(await a.page.evaluate(() => document.documentElement.scrollWidth <= 390), `${name} fits 390 px`);
        }

        // Switching workspace shows the other workspace's data only.
        await b.page.goto(`${server.url}/app/#/dashboard`);
        await textIs(b.page, "[data-test=metric-campaigns] b", "2");
        await b.page.selectOption("select[data-test=workspace]", { label: "Side project" });
        await textIs(b.page, "[data-test=metric-campaigns] b", "0");
        await b.page.waitForSelector("[data-test=conn][data-status=live]", { timeout: TIMEOUT });
        await server.ok("POST", "/api/campaigns", zed.token, { name: "Zed's" });
        await textIs(b.page, "[data-test=metric-campaigns] b", "1");

        // Sign-out shows the sign-in form again.
        await b.page.click("[data-test=signout]");
        await b.page.locator("[data-test=auth-form]").waitFor({ timeout: TIMEOUT });

        assert.deepEqual([...a.errors, ...b.errors], []);
        // Everything above ran under the page's Content-Security-Policy, with nothing blocked.
        for (const tab of [a, b]) assert.deepEqual(await tab.page.evaluate(() => window.cspViolations), []);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });

  it("live view off and on catches up; offline for 5 s converges within 1 s of the network returning; a killed transport converges", async (t) => {
    // The member reaches the server through a relay the test can cut: a proxy in front of it,
    // so the server is told the relay's origin as its public one.
    let up;
    const cable = await relay(() => up.url);
    let a, b;
    try {
      await withServer(async (server) => {
        up = server;
        const password = "correct horse";
        const { owner, campaign, leads } = await team(server, password);
        const token = owner.token;
        a = await signIn(browser, server.url, "olivia@example.com", password);
        b = await signIn(browser, cable.url, "max@example.com", password);
        const metric = (page, name) => page.locator(`[data-test=metric-${name}] b`);
        await textIs(b.page, "[data-test=metric-leads] b", "3");

        // Live view off: the member's dashboard holds still while the owner's moves.
        await b.page.uncheck("[data-test=live]");
        await b.page.waitForSelector("[data-test=conn][data-status=paused]", { timeout: TIMEOUT });
        await server.ok("POST", "/api/leads", token, { campaign_id: campaign.id, name: "Dee" });
        await textIs(a.page, "[data-test=metric-leads] b", "4");
        assert.equal(await metric(b.page, "leads").innerText(), "3", "nothing moved while live view was off");
        assert.equal(await b.page.isChecked("[data-test=live]"), false);
        // On again: it catches up on what it missed.
        await b.page.check("[data-test=live]");
        await b.page.waitForSelector("[data-test=conn][data-status=live]", { timeout: TIMEOUT });
        await textIs(b.page, "[data-test=metric-leads] b", "4");

        // Offline for 5 s while the owner adds a lead and converts another; within 1 s of the
        // network returning the member's page shows the server's state.
        await b.page.context().setOffline(true);
        await server.ok("POST", "/api/leads", token, { campaign_id: campaign.id, name: "Eve" });
        await server.ok("PATCH", `/api/leads/${leads[0].id}`, token, { status: "converted" });
        await textIs(a.page, "[data-test=metric-converted] b", "1");
        await b.page.waitForTimeout(OFFLINE_MS); // the outage itself, not a wait for anything
        assert.deepEqual([await metric(b.page, "leads").innerText(), await metric(b.page, "converted").innerText()], ["4", "0"], "offline, the page heard nothing");
        const back = Date.now();
        await b.page.context().setOffline(false);
        await b.page.waitForFunction(
          () => ["leads", "converted"].map((m) => document.querySelector(`[data-test=metric-${m}] b`)?.textContent).join() === "5,1",
          null,
          { timeout: TIMEOUT },
        );
        const took = Date.now() - back;
        t.diagnostic(`converged ${took} ms after the network returned`);
        assert.ok(took <= CONVERGE_MS, `converged ${took} ms after the network returned (at most ${CONVERGE_MS} ms)`);
        await b.page.waitForSelector("[data-test=conn][data-status=live]", { timeout: TIMEOUT });

        // A killed transport: the page says it is offline, reconnects by itself and catches up
        // on a change made meanwhile.
        cable.cut();
        await b.page.waitForSelector("[data-test=conn][data-status=offline]", { timeout: TIMEOUT });
        await server.ok("POST", "/api/leads", token, { campaign_id: campaign.id, name: "Fay" });
        await textIs(b.page, "[data-test=metric-leads] b", "6");
        await b.page.waitForSelector("[data-test=conn][data-status=live]", { timeout: TIMEOUT });
        // And it is live again: the next change arrives as it happens.
        await server.ok("PATCH", `/api/leads/${leads[1].id}`, token, { status: "converted" });
        await textIs(b.page, "[data-test=metric-converted] b", "2");

        // The cut and the outage failed requests, but nothing was refused.
        assert.deepEqual([...a.errors, ...b.errors], []);
      }, { PUBLIC_ORIGIN: cable.url });
    } finally {
      await a?.close();
      await b?.close();
      cable.close();
    }
  });

  it("a session near expiry is refreshed without a sign-out; the page stays live and its calls succeed past the first token's expiry", async () => {
    await withServer(
      async (server) => {
        const password = "correct horse";
        await server.ok("POST", "/api/auth/register", null, { name: "Sam Short", email: "sam@example.com", password, workspace_name: "Brief" });
        const a = await signIn(browser, server.url, "sam@example.com", password);
        try {
          const first = await a.page.evaluate(() => localStorage.getItem("kandid.token"));
          const { exp } = JSON.parse(Buffer.from(first.split(".")[1], "base64url").toString());
          // A new token before the first one expires.
          await a.page.waitForFunction((t) => localStorage.getItem("kandid.token") !== t, first, { timeout: TIMEOUT });
          assert.ok(Date.now() < exp * 1000, "refreshed before expiry");
          // Past the first token's expiry (by the server's clock and its leeway too).
          await a.page.waitForFunction((ms) => Date.now() > ms, exp * 1000 + 2_000, { timeout: TIMEOUT });
          assert.equal(await a.page.locator("[data-test=auth-form]").count(), 0, "still signed in");
          await a.page.waitForSelector("[data-test=conn][data-status=live]", { timeout: TIMEOUT });
          // The page's own call succeeds (with its new token) ...
          await a.page.goto(`${server.url}/app/#/campaigns`);
          await a.page.fill("[data-test=new-campaign]", "After expiry");
          await a.page.click("button:has-text('Create')");
          await campaignRow(a.page, "After expiry").waitFor({ timeout: TIMEOUT });
          // ... and someone else's change still arrives live.
          const fresh = await a.page.evaluate(() => localStorage.getItem("kandid.token"));
          await server.ok("POST", "/api/campaigns", fresh, { name: "From elsewhere" });
          await campaignRow(a.page, "From elsewhere").waitFor({ timeout: TIMEOUT });
          assert.equal(await a.page.locator("[data-test=auth-form]").count(), 0, "never signed out");
          // Reconnecting with the new token closes the old Engine.IO session while a request of
          // its own may still be on the wire; the server answers that one 400 (unknown session),
          // as any Engine.IO server does. Every other refused call counts.
          const staleSession = /^400 .*\/socket\.io\/\?.*\bsid=/;
          assert.deepEqual(a.errors.filter((e) => !staleSession.test(e)), [], "no refused call (a 401 would be one)");
        } finally {
          await a.close();
        }
      },
      { JWT_TTL: "6s" },
    );
  });

  it("the team: an owner invites, the invitee joins by the link and appears live; roles change live, also what the page offers; members are removed, invitations withdrawn", async () => {
    await withServer(async (server) => {
      const password = "correct horse";
      await team(server, password);
      await server.ok("POST", "/api/auth/register", null, { name: "Pia Person", email: "pia@example.com", password, workspace_name: "Pia's" });
      const a = await signIn(browser, server.url, "olivia@example.com", password);
      const b = await signIn(browser, server.url, "pia@example.com", password);
      const member = (page, email) => page.locator(`tr[data-test=member][data-email="${email}"]`);
      const invitation = (page, email) => page.locator(`[data-test=invitation][data-email="${email}"]`);
      try {
        await a.page.goto(`${server.url}/app/#/team`);
        await member(a.page, "olivia@example.com").locator("[data-test=member-role-text]", { hasText: "owner" }).waitFor({ timeout: TIMEOUT });
        assert.equal(await member(a.page, "max@example.com").getAttribute("data-role"), "member");

        // An invitation withdrawn leaves the list (and the server).
        await a.page.fill("[data-test=invite-email]", "nobody@example.com");
        await a.page.click("[data-test=invite-submit]");
        await invitation(a.page, "nobody@example.com").locator("[data-test=invitation-withdraw]").click();
        await invitation(a.page, "nobody@example.com").waitFor({ state: "detached", timeout: TIMEOUT });

        // The owner invites Pia as a viewer: the page shows the link to hand over, and the code.
        await a.page.fill("[data-test=invite-email]", "pia@example.com");
        await a.page.selectOption("[data-test=invite-role]", "viewer");
        await a.page.click("[data-test=invite-submit]");
        const link = await a.page.locator("[data-test=invite-link]").inputValue();
        const code = await a.page.locator("[data-test=invite-token]").innerText();
        assert.equal(link, `${server.url}/app/#/join/${encodeURIComponent(code)}`);
        await invitation(a.page, "pia@example.com").waitFor({ timeout: TIMEOUT });
        const open = await server.ok("GET", "/api/workspace/invitations", (await a.page.evaluate(() => localStorage.getItem("kandid.token"))));
        assert.deepEqual(open.data.map((i) => [i.email, i.role]), [["pia@example.com", "viewer"]]);

        // Pia, signed in to her own workspace, opens the link and joins: she is switched to it.
        await b.page.goto(link);
        assert.equal(await b.page.inputValue("[data-test=join-token]"), code);
        await b.page.click("[data-test=join-submit]");
        await b.page.waitForFunction(() => document.querySelector("select[data-test=workspace]")?.selectedOptions[0]?.textContent === "Outreach", null, { timeout: TIMEOUT });
        await b.page.waitForSelector("[data-test=conn][data-status=live]", { timeout: TIMEOUT });
        await textIs(b.page, "[data-test=metric-leads] b", "3");

        // She appears in the owner's list without a reload, and her invitation is no longer open.
        await member(a.page, "pia@example.com").and(a.page.locator("[data-role=viewer]")).waitFor({ timeout: TIMEOUT });
        await invitation(a.page, "pia@example.com").waitFor({ state: "detached", timeout: TIMEOUT });

        // A viewer sees the team but is offered nothing to change, and no invitations.
        await b.page.goto(`${server.url}/app/#/team`);
        await member(b.page, "pia@example.com").waitFor({ timeout: TIMEOUT });
        assert.equal(await b.page.locator("[data-test=members] tr[data-test=member]").count(), 3);
        assert.deepEqual(
          await Promise.all(["[data-test=member-role]", "[data-test=member-remove]", "[data-test=invite-form]", "[data-test=invitations]"].map((s) => b.page.locator(s).count())),
          [0, 0, 0, 0],
        );

        // The owner makes her a member: her own list says so, live, and her pages now offer writes.
        await member(a.page, "pia@example.com").locator("[data-test=member-role]").selectOption("member");
        await member(b.page, "pia@example.com").and(b.page.locator("[data-role=member]")).waitFor({ timeout: TIMEOUT });
        await b.page.goto(`${server.url}/app/#/campaigns`);
        await b.page.locator("[data-test=new-campaign]").waitFor({ timeout: TIMEOUT });
        const roles = await server.ok("GET", "/api/workspace/members", (await b.page.evaluate(() => localStorage.getItem("kandid.token"))));
        assert.deepEqual(roles.data.map((m) => [m.email, m.role]), [["olivia@example.com", "owner"], ["max@example.com", "member"], ["pia@example.com", "member"]]);

        // The owner removes Max; an owner's own row offers no removal.
        assert.equal(await member(a.page, "olivia@example.com").locator("[data-test=member-remove]").count(), 0);
        await member(a.page, "max@example.com").locator("[data-test=member-remove]").click();
        await member(a.page, "max@example.com").locator("[data-test=member-remove-confirm]").click();
        await member(a.page, "max@example.com").waitFor({ state: "detached", timeout: TIMEOUT });

        const shots = resolve(ARTIFACTS, "app");
        mkdirSync(shots, { recursive: true });
        await a.page.screenshot({ path: resolve(shots, "team-desktop.png"), fullPage: true });
        await a.page.setViewportSize({ width: 390, height: 844 });
        await a.page.screenshot({ path: resolve(shots, "team-390.png"), fullPage: true });
        assert.ok(await a.page.evaluate(() => document.documentElement.scrollWidth <= 390), "the team page fits 390 px");

        assert.deepEqual([...a.errors, ...b.errors], []);
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
