//! The delivery worker of one node.
//!
//! A scheduler task takes the lease of every enabled webhook no other node holds (a
//! conditional UPDATE, see `kandid_store::webhooks`), renews the leases it holds every
//! [`RENEW_EVERY`], and runs one task per leased webhook. A webhook's task reads the event
//! log after the webhook's position and sends the next event it wants, one at a time: event
//! `n + 1` is not sent before event `n` got a 2xx. Every attempt is recorded, and the
//! position moves only after a 2xx, only while the lease is still this node's.
//!
//! Wake-ups: this node's commits wake the tasks of their workspace at once (see
//! [`Wakers`]); other nodes' commits are seen by the scheduler's poll of the workspaces'
//! latest seqs every `poll` (the backstop for anything missed, too).
//!
//! Slowness stays here: HTTP requests run on these tasks, never under the write gate or in
//! a transaction; at most `concurrency` are in flight per node; each has a 10 s timeout; and
//! nothing queues but the log itself.

use crate::guard::{self, GuardedResolver, Policy};
use crate::sign;
use chrono::{DateTime, Utc};
use kandid_domain::views::EventView;
use kandid_store::webhooks::{Attempt, DeliveryTarget, after};
use kandid_store::{EventSink, Revoked, Store, StoredEvent, now};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

/// How long a lease lasts without renewal: a node that dies hands its webhooks over after
/// at most this (plus one poll).
pub const LEASE: Duration = Duration::from_secs(20);
/// An attempt starts only while the lease outlasts its timeout by this much, which is how
/// far apart the nodes' clocks may be without two of them delivering one webhook at once.
pub const CLOCK_MARGIN: Duration = Duration::from_secs(5);
/// Requests in flight at once for one workspace's webhooks on one node: a workspace whose
/// receivers are slow holds at most this many of the node's `concurrency`.
pub const PER_WORKSPACE: usize = 4;
/// How often a node renews its leases.
pub const RENEW_EVERY: Duration = Duration::from_secs(2);
/// How long a receiver has to answer.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest wait between two attempts.
pub const MAX_BACKOFF: Duration = Duration::from_secs(3600);
/// Longest error message kept in the delivery log.
const MAX_ERROR_CHARS: usize = 500;

/// Settings of the worker.
#[derive(Debug, Clone)]
pub struct Settings {
    pub policy: Policy,
    /// A webhook failing without a single success for this long is disabled.
    pub disable_after: Duration,
    /// HTTP requests in flight at once on this node, over all webhooks.
    pub concurrency: usize,
    /// The first retry's delay; each next one doubles (with jitter), up to [`MAX_BACKOFF`].
    pub backoff_base: Duration,
    /// How often the scheduler looks for webhooks to take and events other nodes committed.
    pub poll: Duration,
    /// How long the delivery log is kept (the event log's retention).
    pub retention: Duration,
}

/// A leased webhook being delivered by this node.
struct Running {
    ws: Uuid,
    /// New events in the workspace.
    wake: Notify,
    /// The position last read, for the scheduler's check for new events.
    position: AtomicI64,
    /// Until when the lease is known to be held (as of the last successful renewal).
    valid_until: Mutex<Instant>,
    cancel: CancellationToken,
}

impl Running {
    fn valid_until(&self) -> Instant {
        *self
            .valid_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Who to wake when a workspace commits events on this node. Cheap and non-blocking: it
/// runs in the write path's publish.
#[derive(Clone, Default)]
pub struct Wakers(Arc<Mutex<HashMap<Uuid, Arc<Running>>>>);

impl Wakers {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Arc<Running>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wake(&self, ws: Uuid) {
        for r in self.lock().values() {
            if r.ws == ws {
                r.wake.notify_one();
            }
        }
    }

    /// The store's event sink: `inner`, plus waking this node's webhook tasks.
    #[must_use]
    pub fn tee(&self, inner: Arc<dyn EventSink>) -> Arc<dyn EventSink> {
        Arc::new(Tee {
            inner,
            wakers: self.clone(),
        })
    }
}

struct Tee {
    inner: Arc<dyn EventSink>,
    wakers: Wakers,
}

impl EventSink for Tee {
    fn reserve(&self, workspace_id: Uuid, seq: i64) {
        self.inner.reserve(workspace_id, seq);
    }
    fn cancel(&self, workspace_id: Uuid, seq: i64) {
        self.inner.cancel(workspace_id, seq);
    }
    fn publish(&self, event: StoredEvent) {
        self.wakers.wake(event.workspace_id);
        self.inner.publish(event);
    }
    fn revoke(&self, revoked: Revoked) {
        self.inner.revoke(revoked);
    }
}

struct Shared {
    store: Store,
    node: Uuid,
    settings: Settings,
    client: reqwest::Client,
    permits: Semaphore,
    /// Each workspace's share of `permits` (see [`PER_WORKSPACE`]).
    per_workspace: Mutex<HashMap<Uuid, Arc<Semaphore>>>,
    running: Wakers,
    stop: CancellationToken,
}

/// The running worker; [`Worker::stop`] ends it cleanly.
pub struct Worker {
    shared: Arc<Shared>,
    scheduler: JoinHandle<()>,
    tasks: Arc<Mutex<HashMap<Uuid, JoinHandle<()>>>>,
}

/// The HTTP client of deliveries: addresses checked by the resolver, no redirects (a
/// redirect could lead anywhere), no proxy from the environment, a 10 s timeout.
pub fn client(policy: Policy) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .dns_resolver(Arc::new(GuardedResolver { policy }))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(REQUEST_TIMEOUT)
        .user_agent(concat!("kandid-webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Starts the worker of this node. `wakers` must be the ones whose [`Wakers::tee`] the
/// store publishes through.
pub fn spawn(store: Store, wakers: Wakers, settings: Settings) -> reqwest::Result<Worker> {
    let shared = Arc::new(Shared {
        node: store.node_id(),
        client: client(settings.policy)?,
        permits: Semaphore::new(settings.concurrency.max(1)),
        per_workspace: Mutex::default(),
        running: wakers,
        stop: CancellationToken::new(),
        settings,
        store,
    });
    let tasks: Arc<Mutex<HashMap<Uuid, JoinHandle<()>>>> = Arc::default();
    let scheduler = tokio::spawn({
        let shared = Arc::clone(&shared);
        let tasks = Arc::clone(&tasks);
        async move {
            // Renewing on a clock of its own: a slow take, poll or prune (or a long poll
            // interval) must not let leases run out under running deliveries.
            let renewer = async {
                let mut tick = tokio::time::interval(RENEW_EVERY);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tick.tick().await;
                    renew(&shared).await;
                }
            };
            tokio::join!(renewer, schedule(Arc::clone(&shared), tasks));
        }
    });
    Ok(Worker {
        shared,
        scheduler,
        tasks,
    })
}

impl Worker {
    /// Stops taking webhooks, lets attempts in flight finish (until `deadline` at most),
    /// and gives up this node's leases so another node, or this one restarted, goes on at
    /// once.
    pub async fn stop(self, deadline: tokio::time::Instant) {
        self.shared.stop.cancel();
        self.scheduler.abort();
        let tasks: Vec<JoinHandle<()>> = {
            let mut t = self.tasks.lock().unwrap_or_else(PoisonError::into_inner);
            t.drain().map(|(_, h)| h).collect()
        };
        for mut t in tasks {
            if tokio::time::timeout_at(deadline, &mut t).await.is_err() {
                t.abort();
            }
        }
        if let Err(e) = self
            .shared
            .store
            .release_webhook_leases(self.shared.node, None)
            .await
        {
            tracing::warn!(error = %e, "releasing webhook leases failed");
        }
    }
}

async fn schedule(shared: Arc<Shared>, tasks: Arc<Mutex<HashMap<Uuid, JoinHandle<()>>>>) {
    let mut tick = tokio::time::interval(shared.settings.poll.max(Duration::from_millis(10)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let prune_every = (shared.settings.retention / 2)
        .clamp(Duration::from_millis(200), Duration::from_secs(3600));
    let mut last_prune = Instant::now();
    loop {
        tick.tick().await;
        // Forget finished tasks.
        tasks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|_, h| !h.is_finished());
        take(&shared, &tasks).await;
        poke(&shared).await;
        if last_prune.elapsed() >= prune_every {
            last_prune = Instant::now();
            let before = now()
                - chrono::TimeDelta::from_std(shared.settings.retention)
                    .unwrap_or(chrono::TimeDelta::MAX);
            if let Err(e) = shared.store.prune_webhook_deliveries(before).await {
                tracing::warn!(error = %e, "pruning webhook deliveries failed");
            }
        }
    }
}

/// Extends the leases of the webhooks this node runs; stops the tasks of those it lost.
async fn renew(shared: &Shared) {
    let running: Vec<(Uuid, Arc<Running>)> = shared
        .running
        .lock()
        .iter()
        .map(|(id, r)| (*id, Arc::clone(r)))
        .collect();
    if running.is_empty() {
        return;
    }
    let started = Instant::now();
    let ids = running.iter().map(|(id, _)| *id).collect();
    match shared
        .store
        .renew_webhook_leases(shared.node, ids, after(LEASE))
        .await
    {
        Ok(held) => {
            for (id, r) in running {
                if held.contains(&id) {
                    *r.valid_until.lock().unwrap_or_else(PoisonError::into_inner) = started + LEASE;
                } else {
                    tracing::info!(webhook = %id, "webhook lease lost");
                    r.cancel.cancel();
                }
            }
        }
        // The tasks pause by themselves once their lease is too short to send.
        Err(e) => tracing::warn!(error = %e, "renewing webhook leases failed"),
    }
}

/// Takes the leases of webhooks nobody delivers and starts their tasks.
async fn take(shared: &Arc<Shared>, tasks: &Arc<Mutex<HashMap<Uuid, JoinHandle<()>>>>) {
    let candidates = match shared.store.webhooks_to_lease(shared.node).await {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "listing webhooks to deliver failed");
            return;
        }
    };
    for id in candidates {
        if shared.stop.is_cancelled() {
            return;
        }
        if tasks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains_key(&id)
        {
            continue;
        }
        let started = Instant::now();
        match shared
            .store
            .take_webhook_lease(id, shared.node, after(LEASE))
            .await
        {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::warn!(error = %e, webhook = %id, "taking a webhook lease failed");
                continue;
            }
        }
        let target = match shared.store.delivery_target(id).await {
            Ok(Some(t)) => t,
            Ok(None) => continue,
            Err(e) => {
                tracing::warn!(error = %e, webhook = %id, "reading a webhook failed");
                let _ = shared
                    .store
                    .release_webhook_leases(shared.node, Some(vec![id]))
                    .await;
                continue;
            }
        };
        let r = Arc::new(Running {
            ws: target.workspace_id,
            wake: Notify::new(),
            position: AtomicI64::new(target.position),
            valid_until: Mutex::new(started + LEASE),
            cancel: shared.stop.child_token(),
        });
        shared.running.lock().insert(id, Arc::clone(&r));
        tracing::debug!(webhook = %id, "delivering webhook");
        let handle = tokio::spawn({
            let shared = Arc::clone(shared);
            async move {
                deliver(&shared, id, &r).await;
                shared.running.lock().remove(&id);
                // Another node (or this one) may take it at once.
                if let Err(e) = shared
                    .store
                    .release_webhook_leases(shared.node, Some(vec![id]))
                    .await
                {
                    tracing::warn!(error = %e, webhook = %id, "releasing a webhook lease failed");
                }
            }
        });
        tasks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, handle);
    }
}

/// Wakes the tasks whose workspace has events after their position (committed on another
/// node, or a wake-up missed).
async fn poke(shared: &Shared) {
    let running: Vec<Arc<Running>> = shared.running.lock().values().cloned().collect();
    if running.is_empty() {
        return;
    }
    let mut workspaces: Vec<Uuid> = running.iter().map(|r| r.ws).collect();
    workspaces.sort_unstable();
    workspaces.dedup();
    match shared.store.latest_seqs(&workspaces).await {
        Ok(latest) => {
            for r in running {
                if latest
                    .get(&r.ws)
                    .is_some_and(|l| *l > r.position.load(Ordering::SeqCst))
                {
                    r.wake.notify_one();
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "reading latest seqs for webhooks failed"),
    }
}

/// The delay before attempt `attempt + 1` after `attempt` failures: base · 2^(n-1), ±20 %
/// jitter so that receivers coming back are not hit by every sender at once, capped.
fn backoff(base: Duration, attempt: i32) -> Duration {
    let exp = u32::try_from(attempt.saturating_sub(1))
        .unwrap_or(0)
        .min(30);
    let d = base.saturating_mul(1u32 << exp).min(MAX_BACKOFF);
    d.mul_f64(rand::random_range(0.8..1.2)).min(MAX_BACKOFF)
}

/// What a task waits for between steps.
enum Pause {
    /// Until new events (or the poll).
    Events,
    For(Duration),
}

/// Delivers webhook `id` until it is disabled or deleted, the lease is lost, or the worker
/// stops.
async fn deliver(shared: &Shared, id: Uuid, r: &Running) {
    loop {
        if r.cancel.is_cancelled() {
            return;
        }
        match step(shared, id, r).await {
            Step::Done => return,
            Step::Again => {}
            Step::Pause(p) => {
                let wait = async {
                    match p {
                        Pause::Events => {
                            let _ =
                                tokio::time::timeout(shared.settings.poll * 5, r.wake.notified())
                                    .await;
                        }
                        Pause::For(d) => tokio::time::sleep(d).await,
                    }
                };
                tokio::select! {
                    () = r.cancel.cancelled() => return,
                    () = wait => {}
                }
            }
        }
    }
}

enum Step {
    Done,
    Again,
    Pause(Pause),
}

/// Whether the lease outlasts an attempt started now, with the clock margin.
fn may_start(r: &Running) -> bool {
    r.valid_until() >= Instant::now() + REQUEST_TIMEOUT + CLOCK_MARGIN
}

async fn step(shared: &Shared, id: Uuid, r: &Running) -> Step {
    let store = &shared.store;
    // An attempt may only start while the lease outlasts it, so that no other node can
    // take over while a request is still in flight.
    if !may_start(r) {
        return Step::Pause(Pause::For(Duration::from_millis(200)));
    }
    let t = match store.delivery_target(id).await {
        Ok(Some(t)) => t,
        Ok(None) => return Step::Done,
        Err(e) => {
            tracing::warn!(error = %e, webhook = %id, "reading a webhook failed");
            return Step::Pause(Pause::For(Duration::from_secs(1)));
        }
    };
    if !t.enabled || t.lease_owner != Some(shared.node) {
        return Step::Done;
    }
    r.position.store(t.position, Ordering::SeqCst);
    let next = match store
        .webhook_next(t.workspace_id, t.position, &t.events)
        .await
    {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!(error = %e, webhook = %id, "reading the event log failed");
            return Step::Pause(Pause::For(Duration::from_secs(1)));
        }
    };
    let Some(first) = next.first else {
        return Step::Pause(Pause::Events);
    };
    // The log is gapless: a jump means retention pruned what this webhook had not got yet.
    if first > t.position + 1 {
        let (from, to) = (t.position + 1, first - 1);
        let note = format!(
            "events {from} to {to} were past the event log's retention and were not delivered"
        );
        tracing::warn!(webhook = %id, from, to, "webhook skipped events past the retention");
        let _ = store
            .skip_webhook_events(id, shared.node, t.position, to, Some(note))
            .await;
        return Step::Again;
    }
    // Events it does not want move the position without a request.
    let skip_to = match &next.wanted {
        Some(ev) if ev.seq > t.position + 1 => Some(ev.seq - 1),
        Some(_) => None,
        None => next.last,
    };
    if let Some(to) = skip_to {
        if let Err(e) = store
            .skip_webhook_events(id, shared.node, t.position, to, None)
            .await
        {
            tracing::warn!(error = %e, webhook = %id, "moving a webhook past unwanted events failed");
            return Step::Pause(Pause::For(Duration::from_secs(1)));
        }
        return Step::Again;
    }
    let Some(ev) = next.wanted else {
        return Step::Again;
    };
    let (t, outcome) = match attempt(shared, t, &ev, r).await {
        Sent::Done(t, outcome) => (t, outcome),
        // Changed, or the lease ran short, while waiting for a turn: look again.
        Sent::Stale => return Step::Again,
        // Stopped while waiting for a turn.
        Sent::Stopped => return Step::Done,
    };
    let (status, error, duration_ms, at) = outcome;
    let success = status.is_some_and(|s| (200..300).contains(&s));
    let attempt_no = t.attempt.saturating_add(1);
    let disable = (!success)
        .then(|| {
            let since = t.failing_since.unwrap_or(at);
            let limit = chrono::TimeDelta::from_std(shared.settings.disable_after)
                .unwrap_or(chrono::TimeDelta::MAX);
            (at - since >= limit).then(|| {
                format!(
                    "failing since {} without a success (last: {})",
                    since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    error.as_deref().unwrap_or("no answer")
                )
            })
        })
        .flatten();
    let disabling = disable.is_some();
    let recorded = store
        .record_webhook_attempt(
            shared.node,
            Attempt {
                webhook_id: id,
                workspace_id: t.workspace_id,
                position: t.position,
                seq: ev.seq,
                attempt: attempt_no,
                status,
                error,
                duration_ms,
                at,
                success,
                disable,
            },
        )
        .await;
    match recorded {
        Ok(true) if success => {
            r.position.store(ev.seq, Ordering::SeqCst);
            Step::Again
        }
        Ok(true) if disabling => {
            tracing::warn!(webhook = %id, "webhook disabled after failing too long");
            Step::Done
        }
        Ok(true) => Step::Pause(Pause::For(backoff(
            shared.settings.backoff_base,
            attempt_no,
        ))),
        // The lease was lost or the position moved (a replay): read again.
        Ok(false) => Step::Again,
        Err(e) => {
            tracing::warn!(error = %e, webhook = %id, "recording a webhook delivery failed");
            Step::Pause(Pause::For(Duration::from_secs(1)))
        }
    }
}

/// What became of an attempt.
enum Sent {
    /// Sent (or failed to be), with the webhook as it was when it went out.
    Done(
        Box<DeliveryTarget>,
        (Option<i32>, Option<String>, i64, DateTime<Utc>),
    ),
    /// The webhook changed (or the lease ran short) while it waited for its turn.
    Stale,
    Stopped,
}

/// The workspace's share of the node's requests in flight.
fn workspace_permits(shared: &Shared, ws: Uuid) -> Arc<Semaphore> {
    let mut map = shared
        .per_workspace
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if map.len() > 1024 {
        // Forget the shares nobody holds or waits for.
        map.retain(|_, s| Arc::strong_count(s) > 1);
    }
    Arc::clone(
        map.entry(ws)
            .or_insert_with(|| Arc::new(Semaphore::new(PER_WORKSPACE))),
    )
}

/// Waits for a turn (the workspace's share first, then the node's), then, since the wait
/// may have been long, reads the webhook again and sends only if nothing changed and the
/// lease still outlasts the request: with its URL and secrets as they are now.
async fn attempt(shared: &Shared, t: DeliveryTarget, ev: &EventView, r: &Running) -> Sent {
    let body = match serde_json::to_vec(ev) {
        Ok(b) => b,
        Err(e) => {
            let failed = (None, Some(format!("serialising the event: {e}")), 0, now());
            return Sent::Done(Box::new(t), failed);
        }
    };
    let share = workspace_permits(shared, t.workspace_id);
    let permits = tokio::select! {
        p = async {
            let mine = share.acquire().await.ok()?;
            let node = shared.permits.acquire().await.ok()?;
            Some((mine, node))
        } => p,
        () = r.cancel.cancelled() => None,
    };
    let Some(_permits) = permits else {
        return Sent::Stopped;
    };
    let t = match shared.store.delivery_target(t.id).await {
        Ok(Some(now))
            if now.enabled
                && now.lease_owner == Some(shared.node)
                && now.position == t.position
                && may_start(r) =>
        {
            now
        }
        _ => return Sent::Stale,
    };
    let at = now();
    let started = Instant::now();
    let result = send(shared, &t, ev, body, at).await;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    Sent::Done(
        Box::new(t),
        match result {
            Ok(status) if (200..300).contains(&status) => (Some(status), None, duration_ms, at),
            Ok(status) => (
                Some(status),
                Some(format!("the receiver answered {status}")),
                duration_ms,
                at,
            ),
            Err(e) => (None, Some(e), duration_ms, at),
        },
    )
}

async fn send(
    shared: &Shared,
    t: &DeliveryTarget,
    ev: &EventView,
    body: Vec<u8>,
    at: DateTime<Utc>,
) -> Result<i32, String> {
    let url = guard::parse(shared.settings.policy, &t.url)?;
    guard::check_literal(shared.settings.policy, &url)?;
    let msg_id = format!("{}:{}", t.workspace_id, ev.seq);
    let ts = at.timestamp();
    let signature = sign::header(&t.secrets, &msg_id, ts, &body);
    let res = shared
        .client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &msg_id)
        .header("webhook-timestamp", ts.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await
        .map_err(|e| describe(&e))?;
    // The answer's body is not read: only its status matters, and it could be large.
    Ok(i32::from(res.status().as_u16()))
}

/// An error and its causes on one line (the resolver's refusal is a cause of the
/// connection error), shortened for the delivery log.
fn describe(e: &reqwest::Error) -> String {
    let mut s = if e.is_timeout() {
        "no answer within 10 s".to_owned()
    } else {
        e.to_string()
    };
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cause = c.source();
    }
    s.chars().take(MAX_ERROR_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let base = Duration::from_secs(1);
        for (n, secs) in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0)] {
            let d = backoff(base, n).as_secs_f64();
            assert!(d >= secs * 0.8 - 1e-9 && d <= secs * 1.2 + 1e-9, "{n}: {d}");
        }
        assert!(backoff(base, 40) <= MAX_BACKOFF);
        assert!(backoff(base, 13) >= Duration::from_secs(2880));
    }
}
