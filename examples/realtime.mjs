// Follows a workspace's live events with the stock socket.io-client, recovering whatever
// it missed on every (re)connect through `sync`, as the README describes.
//
//   cd examples && npm ci
//   KANDID_TOKEN=<token from /api/auth/login> node realtime.mjs
//
// KANDID_URL (default http://localhost:8080) is the server; KANDID_SINCE (default 0) is the
// last seq seen before, so a restarted follower resumes where it stopped. Each event is
// printed as one JSON line. A refused connection (bad token) exits with status 1; an
// unreachable server is retried.
import { io } from "socket.io-client";

const url = process.env.KANDID_URL ?? "http://localhost:8080";
const token = process.env.KANDID_TOKEN;
if (!token) {
  console.error("set KANDID_TOKEN to a token from POST /api/auth/login");
  process.exit(2);
}
let lastSeenSeq = Number(process.env.KANDID_SINCE ?? 0);

const socket = io(url, { auth: { token, subscribe: ["campaigns", "leads", "dashboard"] } });

function show(e) {
  if (e.seq <= lastSeenSeq) return; // already seen (live and replayed copies may overlap)
  lastSeenSeq = e.seq;
  console.log(JSON.stringify({ seq: e.seq, type: e.type, action: e.action, id: e.id, changes: e.changes }));
}

socket.on("connect_error", (err) => {
  console.error("connect_error:", err.message); // "unauthorized" / "not_found" / a network error
  // Refused by the server (a bad token, an unknown room): the client will not retry, so
  // neither do we. A network error is retried by the client with backoff.
  if (!socket.active) process.exit(1);
});
socket.on("campaigns_updated", show);
socket.on("leads_updated", show);
socket.on("dashboard_updated", ({ seq, metrics }) => console.error(`dashboard at seq ${seq}: ${metrics.leads.total} leads`));
socket.on("connect", async () => {
  // Catch up on what happened while disconnected, page by page.
  for (;;) {
    const { ok, events, latest_seq, has_more, reset, error } = await socket.emitWithAck("sync", { since: lastSeenSeq });
    if (!ok) return console.error("sync failed:", error.code);
    if (reset) {
      // Too far behind (or ahead): a real client refetches its data over REST here.
      console.error("reset: refetch over REST, then follow from", latest_seq);
      lastSeenSeq = latest_seq;
      break;
    }
    events.forEach(show);
    if (!has_more) break;
  }
  console.error(`following from seq ${lastSeenSeq}`);
});
