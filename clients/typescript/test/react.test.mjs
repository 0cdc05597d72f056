// The React bindings against the real server, one test per hook: each renders its hook under
// <StrictMode><KandidProvider> in a DOM shim (happy-dom) and drives the server over REST as
// a second person would. No act(): the tests wait for what a user would see.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Window } from "happy-dom";
import { createElement as h, StrictMode } from "react";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { QueryClient } from "@tanstack/react-query";
import { Server, until } from "../../../tests/socket/lib/harness.js";
import { createApi, KandidError } from "../dist/index.js";
import {
  KandidClient, KandidProvider, ConflictError, kandidKeys, useKandidEvent, useSession, useConnection, useCampaigns, useCampaign,
  useLead, useLeads, useDashboard, useActivity, useMembers, useUpdateLead, useDeleteLead, useCreateLead, useCreateCampaign,
  useUpdateCampaign, useDeleteCampaign, useInvitations, useCreateInvitation, useDeleteInvitation, useUpdateMember, useRemoveMember,
  useWorkspaces,
} from "../dist/react/index.js";

const win = new Window({ url: "http://localhost:3000/" });
globalThis.window = win;
globalThis.document = win.document;

let server;
before(async () => (server = await Server.start()));
after(async () => server?.close());

/** Every request the client makes: method, path and headers (to see If-Match and refetches). */
function recordingFetch(log, delay = () => 0) {
  return async (url, init = {}) => {
    const u = new URL(url);
    log.push({ method: init.method ?? "GET", path: u.pathname, search: u.search, headers: init.headers ?? {} });
    const ms = delay(init.method ?? "GET", u.pathname);
    if (ms) await new Promise((r) => setTimeout(r, ms));
    return fetch(url, init);
  };
}

/** Renders `hook` under the provider; `result.current` is its latest value. */
function render(hook, { token = null, fetchLog = [], delay, client: options = {} } = {}) {
  // "all": the probe reads nothing while rendering, so React Query's tracked properties
  // would otherwise re-render only for what the test happened to read before a change.
  const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false, notifyOnChangeProps: "all" } } });
  const client = new KandidClient({ baseUrl: server.url, token, storage: null, queryClient, fetch: recordingFetch(fetchLog, delay), ...options });
  const result = { current: undefined, renders: 0 };
  function Probe() {
    result.current = hook();
    result.renders++;
    return null;
  }
  const root = createRoot(document.createElement("div"));
  flushSync(() => root.render(h(StrictMode, null, h(KandidProvider, { client, queryClient }, h(Probe)))));
  return { result, client, queryClient, unmount: () => root.unmount() };
}

async function signUp(env = server) {
  const email = `r-${randomUUID()}@example.com`;
  const s = await env.ok("POST", "/api/auth/register", null, { name: "React Tester", email, password: "correct horse" });
  return { ...s, email, api: createApi({ baseUrl: env.url, token: s.token }) };
}

describe("@kandid/client/react", () => {
  it("useSession: a wrong password reads as such; sign-in opens one live socket; sign-out closes it and empties the cache", async () => {
    const me = await signUp();
    const r = render(() => useSession());
    try {
      assert.equal(r.result.current.signedIn, false);
      await assert.rejects(r.result.current.signIn({ email: me.email, password: "wrong password" }), (e) => e instanceof KandidError && e.status === 401 && e.message === "wrong e-mail or password");
      await r.result.current.signIn({ email: me.email, password: "correct horse" });
      await until(() => r.result.current.signedIn && r.result.current.user?.email === me.email, "signed in");
      assert.equal(r.result.current.workspace.id, me.workspace.id);
      await until(() => r.client.status === "live", "the socket live");
      const socket = r.client.socket;
      const token = r.client.token;
      r.queryClient.setQueryData(kandidKeys.campaign("x"), { id: "x" });
      await r.result.current.signOut();
      await until(() => !r.result.current.signedIn, "signed out");
      assert.equal(socket.connected, false);
      assert.equal(r.client.socket, null);
      assert.equal(r.queryClient.getQueryData(kandidKeys.campaign("x")), undefined);
      // The server ended the session: a copy of the token is refused.
      await assert.rejects(createApi({ baseUrl: server.url, token }).me(), (e) => e instanceof KandidError && e.status === 401);
    } finally {
      r.unmount();
    }
  });

  it("signOut signs out here even when the server cannot be told", async () => {
    const me = await signUp();
    const unreachable = async () => {
      throw new TypeError("fetch failed");
    };
    const r = render(() => useSession(), { token: me.token, client: { fetch: unreachable } });
    try {
      await r.result.current.signOut();
      await until(() => !r.result.current.signedIn, "signed out");
      assert.equal(r.client.token, null);
      assert.equal(r.client.status, "signed_out");
      // Nothing reached the server: the token itself still works there until it expires.
      assert.equal((await me.api.me()).user.email, me.email);
    } finally {
      r.unmount();
    }
  });

  it("useConnection: connecting → live; the live-view toggle pauses and catches up; unmount closes the socket", async () => {
    const me = await signUp();
    const r = render(() => useConnection(), { token: me.token });
    await until(() => r.result.current.status === "live", "live");
    const socket = r.client.socket;
    await r.result.current.setLive(false);
    await until(() => r.result.current.status === "paused" && r.result.current.live === false, "paused");
    await me.api.createCampaign({ name: "while paused" });
    await r.result.current.setLive(true);
    await until(() => r.result.current.status === "live" && r.client.seq === 1, "caught up");
    r.unmount();
    assert.equal(socket.connected, false, "StrictMode's double mount leaves no socket behind");
  });

  it("useCampaigns: another person's campaign appears, and its stats move with leads_updated", async () => {
    const me = await signUp();
    const r = render(() => useCampaigns(), { token: me.token });
    try {
      await until(() => r.result.current.isSuccess && r.client.status === "live", "loaded and live");
      const c = await me.api.createCampaign({ name: "Seen live" });
      await until(() => r.result.current.data?.data.some((x) => x.id === c.id), "the new campaign");
      await me.api.createLead({ campaign_id: c.id, name: "One" });
      await until(() => r.result.current.data.data.find((x) => x.id === c.id)?.stats.total_leads === 1, "stats after a lead");
    } finally {
      r.unmount();
    }
  });

  it("useCampaign: one campaign follows its changes", async () => {
    const me = await signUp();
    const c = await me.api.createCampaign({ name: "Before" });
    const r = render(() => useCampaign(c.id), { token: me.token });
    try {
      await until(() => r.result.current.data?.name === "Before" && r.client.status === "live", "loaded");
      await me.api.updateCampaign(c.id, { name: "After" });
      await until(() => r.result.current.data?.name === "After", "the change");
    } finally {
      r.unmount();
    }
  });

  it("useLead: one lead follows its changes", async () => {
    const me = await signUp();
    const c = await me.api.createCampaign({ name: "C" });
    const lead = await me.api.createLead({ campaign_id: c.id, name: "L" });
    const r = render(() => useLead(lead.id), { token: me.token });
    try {
      await until(() => r.result.current.data?.status === "pending" && r.client.status === "live", "loaded");
      await me.api.updateLead(lead.id, { status: "contacted" });
      await until(() => r.result.current.data?.status === "contacted", "the change");
    } finally {
      r.unmount();
    }
  });

  it("useLeads: pages along the keyset cursor, with filters and q, and takes new leads", async () => {
    const me = await signUp();
    const c = await me.api.createCampaign({ name: "Paged" });
    for (let i = 0; i < 5; i++) await me.api.createLead({ campaign_id: c.id, name: `Person ${i}`, company: i % 2 ? "Acme" : "Globex" });
    const r = render(() => useLeads({ campaign_id: c.id, limit: 2, sort: "name" }), { token: me.token });
    const q = render(() => useLeads({ q: "acme" }), { token: me.token });
    try {
      await until(() => r.result.current.leads.length === 2, "the first page");
      assert.equal(r.result.current.total, 5);
      assert.equal(r.result.current.hasNextPage, true);
      // Each call loads one more page, whatever going live refetches meanwhile.
      await r.result.current.fetchNextPage();
      await until(() => r.result.current.leads.length === 4, "the second page");
      await r.result.current.fetchNextPage();
      await until(() => r.result.current.leads.length === 5 && !r.result.current.hasNextPage, "the last page");
      assert.deepEqual(r.result.current.leads.map((l) => l.name), [0, 1, 2, 3, 4].map((i) => `Person ${i}`));
      await until(() => q.result.current.isSuccess, "the search");
      assert.deepEqual(q.result.current.leads.map((l) => l.company), ["Acme", "Acme"]);
      await until(() => q.client.status === "live" && r.client.status === "live", "live");
      assert.notEqual(q.client.socket, r.client.socket, "two clients of one server, two sockets");
      await me.api.createLead({ campaign_id: c.id, name: "Late", company: "ACME Corp" });
      await until(() => q.result.current.leads.length === 3, "the new lead in the search");
    } finally {
      r.unmount();
      q.unmount();
    }
  });

  it("useLeads: a next page asked for while going live, or during the refetch that going live starts, is loaded on top of the newer data", async () => {
    const me = await signUp();
    const c = await me.api.createCampaign({ name: "Overtaken" });
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await me.api.createLead({ campaign_id: c.id, name: `Person ${i}` }));
    const log = [];
    let slow = () => false;
    // The socket connects when the test says so; the requests `slow` picks take 400 ms.
    const r = render(() => useLeads({ campaign_id: c.id, limit: 2, sort: "name" }), {
      token: me.token,
      fetchLog: log,
      delay: (m, path) => (path === "/api/leads" && slow(log.at(-1).search) ? 400 : 0),
      client: { socket: { autoConnect: false } },
    });
    const settled = () => until(() => r.client.status === "live" && r.queryClient.isFetching() === 0 && !r.result.current.isFetching, "live and settled");
    try {
      await until(() => r.result.current.leads.length === 2 && r.queryClient.isFetching() === 0, "the first page, before going live");
      assert.equal(r.client.status, "connecting");

      // 1. The next page is on its way when going live invalidates the list (and refetches it).
      await me.api.updateLead(people[0].id, { company: "Newer" });
      slow = (search) => search.includes("cursor=");
      const more = r.result.current.fetchNextPage();
      await until(() => r.result.current.isFetchingNextPage, "the next page on its way");
      r.client.socket.connect();
      await more;
      await settled();
      assert.deepEqual(r.result.current.leads.map((l) => l.name), ["Person 0", "Person 1", "Person 2", "Person 3"], "the page asked for is shown");
      assert.equal(r.result.current.leads[0].company, "Newer", "with the newer data");

      // 2. The next page is asked for while a refetch (a live change) is on its way.
      slow = (search) => !search.includes("cursor=");
      const refetched = log.length;
      await me.api.updateLead(people[1].id, { company: "Newest" });
      await until(() => r.result.current.isFetching && log.length > refetched, "the refetch on its way");
      await r.result.current.fetchNextPage();
      await settled();
      assert.deepEqual(r.result.current.leads.map((l) => l.name), people.map((p) => p.name), "the page asked for is shown");
      assert.equal(r.result.current.leads[1].company, "Newest", "with the newer data");
      assert.equal(r.result.current.hasNextPage, false);
    } finally {
      r.unmount();
    }
  });

  it("useDashboard: dashboard_updated is applied as it comes, without refetching /api/dashboard", async () => {
    const me = await signUp();
    const c = await me.api.createCampaign({ name: "D" });
    const log = [];
    const r = render(() => useDashboard(), { token: me.token, fetchLog: log });
    try {
      await until(() => r.result.current.isSuccess && r.client.status === "live" && r.queryClient.isFetching() === 0, "loaded");
      const fetches = () => log.filter((x) => x.path === "/api/dashboard").length;
      const before = fetches();
      await me.api.createLead({ campaign_id: c.id, name: "Counted" });
      const want = (await me.api.dashboard()).seq;
      await until(() => r.result.current.data?.seq === want, "the new metrics");
      assert.deepEqual(r.result.current.data, await me.api.dashboard());
      assert.equal(fetches(), before, "no refetch");
    } finally {
      r.unmount();
    }
  });

  it("useActivity: the feed takes new activity", async () => {
    const me = await signUp();
    const r = render(() => useActivity({ limit: 10 }), { token: me.token });
    try {
      await until(() => r.result.current.isSuccess && r.client.status === "live", "loaded");
      const n = r.result.current.data.data.length;
      await me.api.createCampaign({ name: "Active" });
      await until(() => r.result.current.data.data.length === n + 1, "a new item");
    } finally {
      r.unmount();
    }
  });

  it("useMembers: lists the workspace's members", async () => {
    const me = await signUp();
    const r = render(() => useMembers(), { token: me.token });
    try {
      await until(() => r.result.current.isSuccess, "loaded");
      const members = r.result.current.data.data ?? r.result.current.data;
      assert.ok(members.some((m) => m.email === me.email && m.role === "owner"), JSON.stringify(members));
    } finally {
      r.unmount();
    }
  });

  it("useInvitations, useCreateInvitation, useDeleteInvitation, useUpdateMember, useRemoveMember: the team follows, live", async () => {
    const owner = await signUp();
    const r = render(() => ({ members: useMembers(), open: useInvitations(), invite: useCreateInvitation(), withdraw: useDeleteInvitation(), role: useUpdateMember(), remove: useRemoveMember() }), { token: owner.token });
    try {
      await until(() => r.result.current.members.isSuccess && r.result.current.open.isSuccess && r.client.status === "live", "loaded and live");
      const gone = await r.result.current.invite.mutateAsync({ email: `gone-${randomUUID()}@example.com`, role: "member" });
      await until(() => r.result.current.open.data.data.some((i) => i.id === gone.id), "the new invitation listed");
      await r.result.current.withdraw.mutateAsync({ id: gone.id });
      await until(() => r.result.current.open.data.data.length === 0, "withdrawn");

      // Someone joins by their invitation: the members list takes them and the invitation closes.
      const email = `j-${randomUUID()}@example.com`;
      const inv = await r.result.current.invite.mutateAsync({ email, role: "viewer" });
      assert.ok(inv.token, "the token to hand over");
      await until(() => r.result.current.open.data.data.length === 1, "open");
      const joined = await server.ok("POST", "/api/auth/register", null, { name: "Joiner", email, password: "correct horse", invitation: inv.token });
      await until(() => r.result.current.members.data.data.some((m) => m.user_id === joined.user.id && m.role === "viewer"), "the new member, live");
      await until(() => r.result.current.open.data.data.length === 0, "the accepted invitation closed");

      await r.result.current.role.mutateAsync({ userId: joined.user.id, role: "admin" });
      await until(() => r.result.current.members.data.data.find((m) => m.user_id === joined.user.id).role === "admin", "the new role");
      await assert.rejects(r.result.current.role.mutateAsync({ userId: owner.user.id, role: "member" }), (e) => e instanceof KandidError && e.status === 409);
      await r.result.current.remove.mutateAsync({ userId: joined.user.id });
      await until(() => !r.result.current.members.data.data.some((m) => m.user_id === joined.user.id), "removed");
    } finally {
      r.unmount();
    }
  });

  it("useSession().acceptInvitation and useWorkspaces: joining switches workspace; a role changed by an admin reaches the session", async () => {
    const owner = await signUp();
    const other = await signUp();
    const r = render(() => ({ session: useSession(), workspaces: useWorkspaces() }), { token: other.token });
    try {
      await until(() => r.result.current.workspaces.data?.data.length === 1 && r.client.status === "live", "one workspace, live");
      const inv = await server.ok("POST", "/api/workspace/invitations", owner.token, { email: other.email, role: "viewer" });
      await r.result.current.session.acceptInvitation(inv.token);
      await until(() => r.result.current.session.workspace?.id === owner.workspace.id && r.result.current.session.user?.role === "viewer", "switched");
      await until(() => r.result.current.workspaces.data?.data.length === 2 && r.client.status === "live", "two workspaces, live in the new one");
      await server.ok("PATCH", `/api/workspace/members/${other.user.id}`, owner.token, { role: "member" }, 200);
      await until(() => r.result.current.session.user?.role === "member", "the new role in the session");
      await r.result.current.session.switchWorkspace(other.workspace.id);
      await until(() => r.result.current.session.workspace?.id === other.workspace.id && r.result.current.session.user?.role === "owner", "back");
    } finally {
      r.unmount();
    }
  });

  it("useUpdateLead: optimistic at once, If-Match from the cached version; a 412 rolls back to the current lead as ConflictError", async () => {
    const me = await signUp();
    const c = await me.api.createCampaign({ name: "Opt" });
    const lead = await me.api.createLead({ campaign_id: c.id, name: "Optimist" });
    const log = [];
    const r = render(() => ({ lead: useLead(lead.id), list: useLeads({ campaign_id: c.id }), update: useUpdateLead() }), {
      token: me.token,
      fetchLog: log,
      delay: (m) => (m === "PATCH" ? 300 : 0),
    });
    try {
      await until(() => r.result.current.lead.isSuccess && r.result.current.list.isSuccess && r.client.status === "live", "loaded");
      const saving = r.result.current.update.mutateAsync({ id: lead.id, patch: { status: "contacted" } });
      await until(() => r.result.current.lead.data.status === "contacted" && r.result.current.list.leads[0].status === "contacted", "shown before the server answers");
      const saved = await saving;
      assert.equal(saved.version, lead.version + 1);
      assert.equal(log.find((x) => x.method === "PATCH").headers["if-match"], `"${lead.version}"`);

      // Someone else changes it; this cache has not heard yet (live view off).
      await r.client.setLive(false);
      await until(() => r.queryClient.getQueryData(kandidKeys.lead(lead.id)).version === saved.version, "settled");
      const theirs = await me.api.updateLead(lead.id, { notes: "theirs" });
      await assert.rejects(
        r.result.current.update.mutateAsync({ id: lead.id, patch: { status: "responded" } }),
        (e) => e instanceof ConflictError && e.status === 412 && e.current?.notes === "theirs" && /someone else changed/.test(e.message),
      );
      await until(() => r.result.current.lead.data.version === theirs.version && r.result.current.lead.data.status === "contacted", "rolled back to theirs");
      assert.deepEqual(r.result.current.list.leads[0], theirs, "the list shows theirs too");
    } finally {
      r.unmount();
    }
  });

  it("useCreateLead, useDeleteLead: created shows in the list; deleted leaves it at once", async () => {
    const me = await signUp();
    const c = await me.api.createCampaign({ name: "CD" });
    const r = render(() => ({ list: useLeads({ campaign_id: c.id }), create: useCreateLead(), remove: useDeleteLead() }), {
      token: me.token,
      delay: (m) => (m === "DELETE" ? 300 : 0),
    });
    try {
      await until(() => r.result.current.list.isSuccess, "loaded");
      const lead = await r.result.current.create.mutateAsync({ campaign_id: c.id, name: "Short-lived" });
      await until(() => r.result.current.list.leads.some((l) => l.id === lead.id), "created");
      const removing = r.result.current.remove.mutateAsync({ id: lead.id });
      await until(() => r.result.current.list.leads.length === 0, "gone before the server answers");
      await removing;
      await assert.rejects(me.api.getLead(lead.id), (e) => e.status === 404);
    } finally {
      r.unmount();
    }
  });

  it("useCreateCampaign, useUpdateCampaign, useDeleteCampaign: the list follows", async () => {
    const me = await signUp();
    const r = render(() => ({ list: useCampaigns(), create: useCreateCampaign(), update: useUpdateCampaign(), remove: useDeleteCampaign() }), { token: me.token });
    try {
      await until(() => r.result.current.list.isSuccess, "loaded");
      const c = await r.result.current.create.mutateAsync({ name: "Made" });
      await until(() => r.result.current.list.data.data.some((x) => x.id === c.id), "created");
      r.queryClient.setQueryData(kandidKeys.campaign(c.id), c);
      await r.result.current.update.mutateAsync({ id: c.id, patch: { status: "active" } });
      await until(() => r.result.current.list.data.data.find((x) => x.id === c.id)?.status === "active", "updated");
      await r.result.current.remove.mutateAsync({ id: c.id });
      await until(() => r.result.current.list.data.data.length === 0, "deleted");
    } finally {
      r.unmount();
    }
  });

  it("useKandidEvent: a removed member's app hears session_revoked and is signed out", async () => {
    const owner = await signUp();
    const email = `m-${randomUUID()}@example.com`;
    const inv = await server.ok("POST", "/api/workspace/invitations", owner.token, { email, role: "member" });
    const member = await server.ok("POST", "/api/auth/register", null, { name: "Member", email, password: "correct horse", invitation: inv.token });
    const heard = [];
    const r = render(() => {
      useKandidEvent("session_revoked", (e) => heard.push(e.reason));
      return useSession();
    }, { token: member.token });
    try {
      await until(() => r.client.status === "live", "live");
      await server.ok("DELETE", `/api/workspace/members/${member.user.id}`, owner.token, undefined, 204);
      await until(() => heard.length === 1 && !r.result.current.signedIn, "revoked and signed out");
    } finally {
      r.unmount();
    }
  });
});

describe("sessions", () => {
  it("a token is refreshed before it expires and the socket stays live past the first token's expiry; a refused refresh is session_expired", async () => {
    const short = await Server.start({ JWT_TTL: "4s" });
    try {
      const me = await signUp(short);
      const saved = server;
      server = short;
      const r = render(() => useConnection(), { token: me.token });
      const expired = [];
      // The server accepts a refresh a little past expiry (clock leeway); this one is refused.
      const refuse = (url, init) =>
        new URL(url).pathname === "/api/auth/refresh"
          ? Promise.resolve(new Response(JSON.stringify({ type: "about:blank", title: "Unauthorized", status: 401, code: "unauthorized", detail: "a valid bearer token is required" }), { status: 401 }))
          : fetch(url, init);
      const late = render(() => useConnection(), { token: me.token, client: { fetch: refuse } });
      late.client.on("session_expired", (e) => expired.push(e));
      server = saved;
      try {
        await until(() => r.client.status === "live", "live");
        await until(() => r.client.token !== me.token, "a refreshed token", 5_000);
        await new Promise((res) => setTimeout(res, 4_500)); // past the first token's expiry
        assert.equal(r.client.status, "live");
        assert.ok(r.client.token);
        await me.api.createCampaign({ name: "still here" }).catch(() => {});
        await until(() => expired.length === 1 && late.client.token === null && late.client.status === "signed_out", "the late one expired");
      } finally {
        r.unmount();
        late.unmount();
      }
    } finally {
      await short.close();
    }
  });
});
