//! The kandid server: configuration, telemetry, and `build(config)`, which connects the
//! database, runs migrations, wires REST and realtime onto one listener and returns the
//! application ready to run. `main` and every test go through `build`.

pub mod app;
pub mod asyncapi;
pub mod config;
pub mod db;
pub mod realtime;
pub mod seed;
pub mod signals;
pub mod telemetry;

pub use config::{AsyncapiFormat, Cli, Command, Config, Listen, LogFormat};
pub use kandid_api;
pub use sea_orm;

use anyhow::Context;
use kandid_api::{AppState, AuthLimiter, HashGate, HttpConfig};
use kandid_domain::token::Tokens;
use kandid_realtime::{
    Delivery, Dispatcher, Expiries, Metrics, Pipeline, RealtimeState, SocketLimits,
};
use kandid_store::Store;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout_at};
use tokio_util::task::TaskTracker;

/// A built server, bound to its port and ready to serve.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    addr: SocketAddr,
    background: Vec<JoinHandle<()>>,
    close_sockets: realtime::Closer,
    shutdown_grace: Duration,
    /// REST requests in progress (Socket.IO's own requests are not counted: a long poll
    /// lasts until its socket closes).
    requests: TaskTracker,
    dispatcher: Arc<Dispatcher>,
    /// Delivers webhooks; stopped (its leases given up) on shutdown.
    webhooks: kandid_webhooks::Worker,
    /// Serves the open websockets; dropped last.
    _sockets: Option<realtime::SocketRuntime>,
}

async fn track_request(
    axum::extract::State(requests): axum::extract::State<TaskTracker>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let _in_flight = requests.token();
    next.run(req).await
}

/// Shortest `JWT_SECRET` accepted, in bytes: HS256 keys shorter than the hash output (256
/// bits) are weaker than the algorithm, and a short human-chosen secret can be brute-forced
/// offline from any one token.
pub const MIN_JWT_SECRET_BYTES: usize = 32;

fn secret(config: &Config) -> anyhow::Result<Vec<u8>> {
    match config.jwt_secret.as_deref().filter(|s| !s.is_empty()) {
        Some(s) if s.len() < MIN_JWT_SECRET_BYTES => anyhow::bail!(
            "JWT_SECRET is too short ({} bytes): use at least {MIN_JWT_SECRET_BYTES} random bytes, \
             e.g. `openssl rand -hex 32`",
            s.len()
        ),
        Some(s) => Ok(s.as_bytes().to_vec()),
        None => {
            tracing::warn!(
                "JWT_SECRET is not set: using a random secret for this process only. Tokens will not survive a \
                 restart and other nodes cannot verify them. Set JWT_SECRET in any real deployment."
            );
            let mut bytes = [0u8; 32];
            rand::fill(&mut bytes);
            Ok(bytes.to_vec())
        }
    }
}

pub async fn build(config: Config) -> anyhow::Result<Application> {
    // Before anything else, so a misconfigured node neither migrates nor binds.
    let secret = secret(&config)?;
    {
        // On a connection of its own: migrations must not run under the requests' timeouts.
        let db = db::connect(
            &config.database_url(),
            db::maintenance(config.database.wait),
        )
        .await?;
        db::migrate(&db).await?;
        db.close()
            .await
            .context("closing the migration connection")?;
    }
    let db = db::connect(
        &config.database_url(),
        db::PoolSettings {
            max_connections: config.database_max_connections,
            timeout: config.write_timeout,
            wait: config.database.wait,
        },
    )
    .await?;
    let pipeline = Pipeline::new();
    let dispatcher = pipeline.dispatcher();
    // Webhook tasks of this node are woken by its commits as they are published.
    let webhook_wakers = kandid_webhooks::Wakers::default();
    let sink = webhook_wakers.tee(Arc::clone(&dispatcher) as _);
    let store = Store::new(db, sink)
        .with_write_timeout(config.write_timeout)
        .with_session_ttl(config.jwt_ttl);
    // Leads changed by hand while the server was stopped (SQLite): their index changes,
    // queued, may no longer fit an index rebuilt since. First, before any write applies
    // them.
    if store
        .mend_search_index()
        .await
        .context("rebuilding the search index")?
    {
        tracing::warn!("leads were changed outside kandid: rebuilt the search index");
    }
    // An import a crash cut short left rows nobody ever saw (SQLite): gone before serving.
    let unfinished = store
        .discard_unfinished_imports()
        .await
        .context("removing the rows of unfinished imports")?;
    if unfinished > 0 {
        tracing::warn!(
            imports = unfinished,
            "removed the rows of imports a previous run did not finish"
        );
    }
    let redis = config
        .redis_url
        .as_deref()
        .filter(|u| !u.is_empty())
        .map(realtime::redis_client)
        .transpose()?;

    let tokens =
        Arc::new(Tokens::new(&secret, config.jwt_ttl).with_session_max_age(config.session_max_age));
    let auth_limiter = Arc::new(AuthLimiter::new(
        config.auth_rate_per_minute,
        config.auth_email_failures_per_minute,
        config.trusted_proxies,
        config.auth_throttle_max_keys,
    ));
    let hash_concurrency = config
        .password_hash_concurrency
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, std::num::NonZeroUsize::get);
    let metrics = Arc::new(Metrics::default());
    let mut ready_checks: Vec<(&'static str, kandid_api::ReadyCheck)> = redis
        .iter()
        .map(|c| {
            let check = realtime::redis_ready_check(c.clone(), metrics.adapter.clone());
            ("redis", check)
        })
        .collect();

    // Delivery follows the log (see kandid_realtime::Pipeline): this node's commits come
    // from the dispatcher, other nodes' through the signal path and the log.
    let wake = pipeline.waker();
    let Delivery {
        presence,
        follower,
        emits,
    } = pipeline.start(
        store.clone(),
        Arc::clone(&metrics),
        config.catch_up_interval,
    );
    let mut background = vec![follower];
    if store.backend() == sea_orm::DatabaseBackend::Postgres {
        background.push(signals::spawn_listener(
            config.database_url(),
            wake,
            Arc::clone(&metrics),
        ));
        let link = metrics.signal.clone();
        ready_checks.push((
            "signals",
            Arc::new(move || {
                let up = link.ok();
                Box::pin(async move {
                    if up {
                        Ok(())
                    } else {
                        Err("the LISTEN connection between nodes is down".to_owned())
                    }
                })
            }),
        ));
    }
    let webhook_policy = kandid_webhooks::Policy {
        allow_http: config.webhook_allow_http,
        allow_private: config.webhook_allow_private,
    };
    let webhooks = kandid_webhooks::spawn(
        store.clone(),
        webhook_wakers,
        kandid_webhooks::Settings {
            policy: webhook_policy,
            disable_after: config.webhook_disable_after,
            concurrency: usize::try_from(config.webhook_concurrency).unwrap_or(1),
            backoff_base: config.webhook_retry_base,
            poll: config.catch_up_interval,
            retention: config.event_retention,
        },
    )
    .context("building the webhook HTTP client")?;
    let state = AppState {
        webhooks: webhook_policy,
        store: store.clone(),
        tokens: Arc::clone(&tokens),
        auth_limiter: Arc::clone(&auth_limiter),
        password_hashing: Arc::new(HashGate::new(hash_concurrency, config.password_hash_wait)),
        ready_checks,
        metrics: kandid_api::metrics::HttpMetrics::new(|r| {
            metrics.register(r);
            store.write_metrics().register(r);
        }),
        metrics_token: config
            .metrics_token
            .as_deref()
            .filter(|t| !t.is_empty())
            .map(Arc::from),
    };
    let expiries = Arc::new(Expiries::default());
    let rt_state = RealtimeState {
        store: store.clone(),
        tokens,
        metrics,
        limits: Arc::new(SocketLimits::new(
            config.socket_max_per_user,
            config.socket_max_rooms,
            config.socket_requests_per_second,
        )),
        presence,
        expiries: Arc::clone(&expiries),
    };
    let requests = TaskTracker::new();
    let mut api = kandid_api::router(state);
    if config.serve_app {
        api = api.merge(app::router());
    }
    api = api.merge(app::root(config.serve_app));
    // Inside the Socket.IO layer, which answers its own paths before they get here.
    let api = api.layer(axum::middleware::from_fn_with_state(
        requests.clone(),
        track_request,
    ));
    let attached = realtime::attach(api, &config, rt_state, emits, redis).await?;
    let Listen { bind, port } = config.listen;
    let listener = TcpListener::bind((bind, port))
        .await
        .with_context(|| format!("binding {bind}:{port}"))?;
    let addr = listener.local_addr()?;
    let router = kandid_api::wrap(
        attached.router,
        &HttpConfig {
            cors_origins: config.cors_origins.clone(),
            public_origin: config.public_origin.clone(),
            // The bound port, which `PORT=0` only now knows.
            port: addr.port(),
        },
    );

    background.extend([
        attached.emitter,
        tokio::spawn(async move { expiries.run().await }),
        tokio::spawn(prune_events(store.clone(), config.event_retention)),
        tokio::spawn(prune_sessions(store.clone(), config.jwt_ttl)),
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                auth_limiter.shrink();
            }
        }),
    ]);
    Ok(Application {
        listener,
        router,
        addr,
        background,
        close_sockets: attached.close,
        shutdown_grace: config.shutdown_grace,
        requests,
        dispatcher,
        webhooks,
        _sockets: attached.runtime,
    })
}

/// Deletes events past the retention: hourly, or twice per retention when that is shorter.
async fn prune_events(store: Store, retention: Duration) {
    let every = (retention / 2).clamp(Duration::from_millis(200), Duration::from_secs(3600));
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        let before = kandid_store::now() - chrono_duration(retention);
        match store.prune_events(before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(pruned = n, "pruned events past the retention"),
            Err(e) => tracing::warn!(error = %e, "pruning events failed"),
        }
    }
}

/// Deletes sign-in sessions whose every token has expired a minute ago (for clocks), by
/// the expiry kept with each, whatever this node's `JWT_TTL`; those from before it was
/// kept, once their last token was issued more than `JWT_TTL` and a minute ago. Hourly, or
/// twice per `JWT_TTL` when that is shorter.
async fn prune_sessions(store: Store, jwt_ttl: Duration) {
    let every = (jwt_ttl / 2).clamp(Duration::from_millis(200), Duration::from_secs(3600));
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        let now = kandid_store::now();
        let expired_before = now - chrono_duration(Duration::from_secs(60));
        let legacy_before = now - chrono_duration(jwt_ttl.saturating_add(Duration::from_secs(60)));
        match store.prune_sessions(expired_before, legacy_before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(pruned = n, "pruned sessions whose tokens have all expired"),
            Err(e) => tracing::warn!(error = %e, "pruning sessions failed"),
        }
    }
}

fn chrono_duration(d: Duration) -> kandid_store::TimeDelta {
    kandid_store::TimeDelta::from_std(d).unwrap_or(kandid_store::TimeDelta::MAX)
}

impl Application {
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    #[must_use]
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Serves until `shutdown` resolves, then, within the grace period: stops accepting
    /// connections, lets in-flight requests finish, sends the sockets every event those
    /// requests committed, closes the sockets and returns once the connections are done.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let serve = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = stopped.wait_for(|s| *s).await;
        });
        let mut server = tokio::spawn(serve.into_future());
        tokio::select! {
            res = &mut server => {
                // The server stopped on its own: nothing to drain.
                return res.context("the server task failed")?.context("serving");
            }
            () = shutdown => {}
        }
        tracing::info!("shutting down: no new connections, finishing in-flight requests");
        let deadline = Instant::now() + self.shutdown_grace;
        // The listener closes at once; open connections end after their current request.
        let _ = stop.send(true);
        self.requests.close();
        if timeout_at(deadline, self.requests.wait()).await.is_err() {
            tracing::warn!("grace period over with requests still in flight");
        }
        // What those requests committed reaches the sockets before they are closed; what
        // commits later stays in the log for `sync`.
        if timeout_at(deadline, self.dispatcher.flush()).await.is_err() {
            tracing::warn!("grace period over before every committed event was sent");
        }
        // A clean disconnect packet rather than a dropped connection; this also ends
        // long polls, which the server waits for next.
        if timeout_at(deadline, (self.close_sockets)()).await.is_err() {
            tracing::warn!("grace period over while closing sockets");
        }
        match timeout_at(deadline, &mut server).await {
            Ok(res) => res.context("the server task failed")?.context("serving")?,
            Err(_) => {
                tracing::warn!("grace period over: closing remaining connections");
                server.abort();
            }
        }
        // Attempts in flight finish (within the grace period) and the leases are given
        // up, so another node, or this one restarted, goes on at once.
        self.webhooks.stop(deadline).await;
        for task in self.background {
            task.abort();
        }
        tracing::info!("kandid stopped");
        Ok(())
    }
}

/// A URL a person can open for a listening address: a wildcard bind becomes `localhost`.
#[must_use]
pub fn browse_url(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("http://localhost:{}", addr.port())
    } else {
        format!("http://{addr}")
    }
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
