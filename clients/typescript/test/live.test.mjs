// The kit against the real server: typed REST calls, and live sync that ends with exactly
// the server's state in a React Query cache, across a forced disconnect during writes,
// live view off and on, and a seq gap.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { withServer, TIMEOUT } from "../../../tests/socket/lib/harness.js";
import { createApi, connect, liveSync, kandidKeys, kandidQueries, KandidError } from "../dist/index.js";

/** Resolves once `cond()` holds, checked after every event the helper applies and on a short poll. */
async function until(cond, what) {
  const deadline = Date.now() + TIMEOUT;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Observers stand for mounted components: invalidated queries with one refetch. */
function mount(qc, options) {
  const obs = new QueryObserver(qc, options);
  const unsubscribe = obs.subscribe(() => {});
  return { obs, unsubscribe };
}

async function settled(qc) {
  await until(() => qc.isFetching() === 0, "refetches to finish");
}

/** The cache holds exactly what the server has: every lead, the campaign, the lists, the dashboard. */
async function assertCacheIsServer(qc, api, campaignId, knownLeadIds) {
  await settled(qc);
  const leads = await api.listLeads({ campaign_id: campaignId, limit: 200 });
  const onServer = new Map(leads.data.map((l) => [l.id, l]));
  for (const id of knownLeadIds) {
    const cached = qc.getQueryData(kandidKeys.lead(id));
    assert.deepEqual(cached, onServer.get(id), `lead ${id}`);
  }
  assert.deepEqual(qc.getQueryData(kandidKeys.leads({ campaign_id: campaignId, limit: 200 })), leads);
  assert.deepEqual(qc.getQueryData(kandidKeys.campaign(campaignId)), await api.getCampaign(campaignId));
  // The dashboard moves with `dashboard_updated`, coalesced: at most 1 s behind the last change.
  const dash = await api.dashboard();
  await until(() => qc.getQueryData(kandidKeys.dashboard())?.seq === dash.seq, "the dashboard's metrics");
  assert.deepEqual(qc.getQueryData(kandidKeys.dashboard()), dash);
}

describe("@kandid/client", () => {
  it("REST calls are typed and refusals are KandidError with the problem's code", async () => {
    await withServer(async (server) => {
      const { token } = await server.register();
      const api = createApi({ baseUrl: server.url, token });
      const c = await api.createCampaign({ name: "Typed" });
      assert.equal(c.status, "draft");
      const moved = await api.updateCampaign(c.id, { status: "active" }, c.version);
      assert.equal(moved.status, "active");
      await assert.rejects(api.updateCampaign(c.id, { name: "stale" }, c.version), (e) => e instanceof KandidError && e.status === 412 && e.code === "precondition_failed");
      await assert.rejects(api.createLead({ campaign_id: c.id, name: "" }), (e) => e instanceof KandidError && e.status === 422);
      assert.equal((await api.listCampaigns({ status: "active" })).total, 1);
    });
  });

  it("after a forced disconnect during writes the cache equals the server's state", async () => {
    await withServer(async (server) => {
      const { token } = await server.register();
      const api = createApi({ baseUrl: server.url, token });
      const campaign = await api.createCampaign({ name: "Live", status: "active" });
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push((await api.createLead({ campaign_id: campaign.id, name: `Lead ${i}` })).id);
      const base = [...ids];
      const doomed = (await api.createLead({ campaign_id: campaign.id, name: "Doomed" })).id;

      const qc = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
      const q = kandidQueries(api);
      const mounted = [mount(qc, q.campaign(campaign.id)), mount(qc, q.leads({ campaign_id: campaign.id, limit: 200 })), mount(qc, q.dashboard())];
      await settled(qc);
      const since = qc.getQueryData(kandidKeys.dashboard()).seq;
      for (const id of [...ids, doomed]) qc.setQueryData(kandidKeys.lead(id), await api.getLead(id));

      const socket = connect(server.url, token, { reconnectionDelay: 50, reconnectionDelayMax: 200 });
      const statuses = [];
      const sync = liveSync({ socket, queryClient: qc, since, onStatus: (s) => statuses.push(s) });
      try {
        await until(() => sync.status === "live", "live");
        let reconnected = false;
        socket.io.once("reconnect", () => (reconnected = true));
        const writes = [];
        for (let i = 0; i < 30; i++) {
          if (i === 10) socket.io.engine.close(); // the transport drops; socket.io-client reconnects
          const id = base[i % base.length];
          if (i % 3 === 0) writes.push(api.updateLead(id, { status: ["contacted", "responded", "converted"][(i / 3) % 3] }));
          else if (i % 3 === 1) writes.push(api.createLead({ campaign_id: campaign.id, name: `New ${i}` }).then((l) => ids.push(l.id)));
          else writes.push(api.updateLead(id, { notes: `note ${i}`, connection_status: i % 2 ? "connected" : "pending" }));
          if (i === 20) writes.push(api.deleteLead(doomed));
        }
        await Promise.all(writes);
        const latest = (await api.events(0, 1)).latest_seq;
        await until(() => reconnected && sync.seq === latest, `seq ${latest} applied after the reconnect`);
        assert.ok(statuses.includes("offline"), `went offline: ${statuses}`);
        assert.equal(qc.getQueryData(kandidKeys.lead(doomed)), undefined, "the deleted lead left the cache");
        await assertCacheIsServer(qc, api, campaign.id, ids);
      } finally {
        sync.stop();
        socket.close();
        mounted.forEach((m) => m.unsubscribe());
      }
    });
  });

  it("live view off delivers nothing; on again catches up, and a seq gap is filled by sync", async () => {
    await withServer(async (server) => {
      const { token } = await server.register();
      const api = createApi({ baseUrl: server.url, token });
      const campaign = await api.createCampaign({ name: "Toggle" });
      const lead = await api.createLead({ campaign_id: campaign.id, name: "Toggled" });
      const qc = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
      const socket = connect(server.url, token);
      const applied = [];
      const sync = liveSync({ socket, queryClient: qc, since: 0, onEvent: (e) => applied.push(e.seq) });
      try {
        await until(() => sync.seq === 2, "the first two events replayed");
        await sync.setLive(false);
        await api.updateLead(lead.id, { status: "contacted" });
        // Wait for a marker that a socket with live view on receives after the write.
        const watcher = await server.connect({ auth: { token } });
        const marker = await api.createCampaign({ name: "marker" });
        await watcher.waitFor((n, p) => n === "campaigns_updated" && p.id === marker.id, "the marker");
        watcher.close();
        assert.equal(sync.seq, 2, "nothing arrived while live view was off");
        assert.equal(qc.getQueryData(kandidKeys.lead(lead.id)).status, "pending");
        await sync.setLive(true);
        assert.equal(sync.seq, 4);
        assert.equal(qc.getQueryData(kandidKeys.lead(lead.id)).status, "contacted");

        // A gap: the socket misses seq 5 (live off on the server side only), then gets 6.
        await socket.emitWithAck("live", { enabled: false });
        await api.updateLead(lead.id, { status: "responded" });
        await socket.emitWithAck("live", { enabled: true });
        await api.updateLead(lead.id, { notes: "after the gap" });
        await until(() => sync.seq === 6, "seq 6");
        assert.deepEqual(applied, [1, 2, 3, 4, 5, 6]);
        assert.deepEqual(qc.getQueryData(kandidKeys.lead(lead.id)), await api.getLead(lead.id));
      } finally {
        sync.stop();
        socket.close();
      }
    });
  });

  it("once stopped, steps still queued or awaiting an answer leave the cache alone", async () => {
    await withServer(async (server) => {
      const { token } = await server.register();
      const api = createApi({ baseUrl: server.url, token });
      const qc = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
      const socket = connect(server.url, token);
      const sync = liveSync({ socket, queryClient: qc, since: 0 });
      // A mounted dashboard whose refetch hangs until released, as on a slow network.
      let release;
      const hung = new Promise((r) => (release = r));
      let fetches = 0;
      const dash = mount(qc, { queryKey: kandidKeys.dashboard(), queryFn: async () => (++fetches > 1 ? hung.then(() => api.dashboard()) : api.dashboard()) });
      try {
        await until(() => sync.status === "live" && qc.getQueryData(kandidKeys.dashboard()) !== undefined, "live, with a dashboard");
        await sync.setLive(false);
        // Going live again waits on the hung refetch; the next `dashboard_updated` queues behind it.
        const on = sync.setLive(true);
        await until(() => fetches === 2, "the dashboard's refetch to start");
        const queued = new Promise((r) => socket.once("dashboard_updated", r));
        await api.createCampaign({ name: "before the switch" });
        await queued;
        // Signed out, or on to another workspace: the helper stops and the cache is emptied.
        sync.stop();
        dash.unsubscribe();
        qc.removeQueries({ queryKey: kandidKeys.all });
        release();
        await on;
        await sync.catchUp(); // queued behind every earlier step
        assert.equal(qc.getQueryData(kandidKeys.dashboard()), undefined, "nothing of the old session reached the cache");
      } finally {
        sync.stop();
        socket.close();
      }
    });
  });

  it("a reset (the cache claims a seq the log does not have) invalidates everything and continues from the log", async () => {
    await withServer(async (server) => {
      const { token } = await server.register();
      const api = createApi({ baseUrl: server.url, token });
      const campaign = await api.createCampaign({ name: "Before" });
      const qc = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
      const stale = { ...campaign, name: "stale copy" };
      qc.setQueryData(kandidKeys.campaign(campaign.id), stale);
      const socket = connect(server.url, token);
      let resets = 0;
      const sync = liveSync({ socket, queryClient: qc, since: 1000, onReset: () => resets++ });
      try {
        await until(() => resets === 1 && sync.seq === 1, "the reset");
        assert.equal(qc.getQueryState(kandidKeys.campaign(campaign.id)).isInvalidated, true);
        await api.updateCampaign(campaign.id, { name: "After" });
        await until(() => sync.seq === 2, "the next event applied");
        assert.equal(qc.getQueryData(kandidKeys.campaign(campaign.id)).name, "After");
      } finally {
        sync.stop();
        socket.close();
      }
    });
  });
});
