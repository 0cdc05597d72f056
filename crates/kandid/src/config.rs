//! Settings, each from a CLI flag or an environment variable. `kandid --help` lists the
//! server's; each subcommand's `--help` lists only what that subcommand reads.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(
    name = "kandid",
    version,
    about = "Realtime REST + Socket.IO backend for campaign and lead management"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Log output: `pretty` or `json`. Filter with RUST_LOG.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty, global = true)]
    pub log_format: LogFormat,
    /// The server's settings, when no subcommand is named.
    #[command(flatten)]
    pub config: Config,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve(Box<Config>),
    /// Apply pending database migrations and exit.
    Migrate(Database),
    /// Print the OpenAPI document (as committed in openapi/openapi.json) and exit.
    Openapi,
    /// Ask the server on BIND:PORT whether it is ready (`/readyz`); exit 0 if so, 1 if not.
    /// For container health checks (the image has no curl).
    Healthcheck(Listen),
    /// Print the AsyncAPI document of the Socket.IO surface (openapi/asyncapi.yaml) and exit.
    Asyncapi(AsyncapiFormat),
    /// Fill an empty workspace with demo campaigns, leads and activity, and exit.
    Seed(Box<SeedCommand>),
}

/// What `asyncapi` prints.
#[derive(Debug, Clone, Args)]
pub struct AsyncapiFormat {
    /// Print the TypeScript kit's error-code types instead
    /// (clients/typescript/src/codes.ts).
    #[arg(long)]
    pub typescript: bool,
}

/// Where the server listens.
#[derive(Debug, Clone, Args)]
pub struct Listen {
    /// Address to listen on.
    #[arg(long, env = "BIND", default_value = "0.0.0.0")]
    pub bind: IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "PORT", default_value_t = 8080)]
    pub port: u16,
}

/// Which database, and how long to wait for it at start-up.
#[derive(Debug, Clone, Args)]
pub struct Database {
    /// Directory of the embedded SQLite database (used when DATABASE_URL is unset).
    #[arg(long, env = "DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// `postgres://...` or `sqlite://...`; default `sqlite://<data dir>/kandid.db?mode=rwc`.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// How long start-up retries a database that does not answer yet (e.g. `60s` when an
    /// orchestrator starts the database alongside); `0s`: fail at once, naming the reason.
    #[arg(long = "database-wait", env = "DATABASE_WAIT", default_value = "0s", value_parser = duration)]
    pub wait: Duration,
}

impl Database {
    #[must_use]
    pub fn url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}/kandid.db?mode=rwc", self.data_dir.display()))
    }

    /// The database for people: a SQLite file's path, or the URL without its password.
    #[must_use]
    pub fn display(&self) -> String {
        let url = self.url();
        if let Some(rest) = url.strip_prefix("sqlite://") {
            let path = rest.split('?').next().unwrap_or_default();
            return std::path::absolute(path)
                .map_or_else(|_| path.to_owned(), |p| p.display().to_string());
        }
        crate::db::redact(&url)
    }
}

/// `kandid seed`: what to fill, the database, and what to print for signing in.
#[derive(Debug, Clone, Args)]
pub struct SeedCommand {
    #[command(flatten)]
    pub args: crate::seed::SeedArgs,
    #[command(flatten)]
    pub database: Database,
    /// Longest a write waits for its turn or a lock.
    #[arg(long, env = "WRITE_TIMEOUT", default_value = "10s", value_parser = duration)]
    pub write_timeout: Duration,
    /// Where the server listens, for the sign-in address printed at the end.
    #[command(flatten)]
    pub listen: Listen,
    /// Whether the server serves the dashboard, for the printed address.
    #[arg(long, env = "SERVE_APP", default_value_t = true, action = clap::ArgAction::Set)]
    pub serve_app: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Pretty,
    Json,
}

fn duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s).map_err(|e| e.to_string())
}

/// A duration above zero (an interval of zero would spin, or stop a timer outright).
fn positive_duration(s: &str) -> Result<Duration, String> {
    let d = duration(s)?;
    if d.is_zero() {
        Err("must be more than 0s".into())
    } else {
        Ok(d)
    }
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    #[command(flatten)]
    pub listen: Listen,
    #[command(flatten)]
    pub database: Database,
    /// Size of the database connection pool.
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = 16)]
    pub database_max_connections: u32,
    /// Longest a write waits for its turn, a connection or a lock, and longest a statement
    /// runs, before the request is answered 503 instead of hanging.
    #[arg(long, env = "WRITE_TIMEOUT", default_value = "10s", value_parser = duration)]
    pub write_timeout: Duration,
    /// `redis://host:6379`: attaches socketioxide's Redis adapter, and `/readyz` then checks
    /// Redis too. kandid's own delivery never goes through it: nodes sharing a PostgreSQL
    /// database each read the events from its log, woken by `NOTIFY`, and emit to their own
    /// sockets; revocations travel the same way. So several nodes need PostgreSQL, not Redis.
    #[arg(long, env = "REDIS_URL")]
    pub redis_url: Option<String>,
    /// HS256 secret for tokens, at least 32 bytes (shorter ones stop the start-up). Unset: a
    /// random one per process (development only).
    #[arg(long, env = "JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// Lifetime of issued tokens, e.g. `24h`, `30m`.
    #[arg(long, env = "JWT_TTL", default_value = "24h", value_parser = duration)]
    pub jwt_ttl: Duration,
    /// Absolute lifetime of a sign-in session, e.g. `30d`: refresh, switch and invitation
    /// acceptance issue its tokens only this long after the login (or registration) that
    /// began it; then the person signs in again.
    #[arg(long, env = "SESSION_MAX_AGE", default_value = "30d", value_parser = positive_duration)]
    pub session_max_age: Duration,
    /// Origins allowed by CORS (REST and Socket.IO polling), comma-separated.
    #[arg(
        long,
        env = "CORS_ORIGINS",
        default_value = "http://localhost:3000",
        value_delimiter = ','
    )]
    pub cors_origins: Vec<String>,
    /// The origin browsers reach this server at, e.g. `https://kandid.example.com` (behind a
    /// proxy or a port mapping): its `/app` page may open sockets, like pages from
    /// CORS_ORIGINS and from the loopback origins of PORT.
    #[arg(long, env = "PUBLIC_ORIGIN")]
    pub public_origin: Option<String>,
    /// Login/register attempts per client address per minute; 0 turns the limit off.
    #[arg(long, env = "AUTH_RATE_PER_MINUTE", default_value_t = 30)]
    pub auth_rate_per_minute: u32,
    /// Failed logins per e-mail per minute, from all addresses together, before the e-mail is
    /// refused everywhere for a while; default ten times AUTH_RATE_PER_MINUTE; 0: no ceiling.
    #[arg(long, env = "AUTH_EMAIL_FAILURES_PER_MINUTE")]
    pub auth_email_failures_per_minute: Option<u32>,
    /// Most addresses, and most e-mails, the login/register throttle tracks at once; when
    /// full, new ones are throttled until tracked ones' quotas refill.
    #[arg(long, env = "AUTH_THROTTLE_MAX_KEYS", default_value_t = 100_000)]
    pub auth_throttle_max_keys: usize,
    /// Password hashes (argon2, ~19 MiB each) computed at once; unset: one per CPU core.
    #[arg(long, env = "PASSWORD_HASH_CONCURRENCY")]
    pub password_hash_concurrency: Option<std::num::NonZeroUsize>,
    /// Longest a login/register waits for a hashing turn before it is answered 429.
    #[arg(long, env = "PASSWORD_HASH_WAIT", default_value = "5s", value_parser = duration)]
    pub password_hash_wait: Duration,
    /// Proxies in front that append the client address to X-Forwarded-For (0: trust none and
    /// throttle by the TCP peer).
    #[arg(long, env = "TRUSTED_PROXIES", default_value_t = 0)]
    pub trusted_proxies: usize,
    /// How long the event log keeps events for `sync` and `GET /api/events`.
    #[arg(long, env = "EVENT_RETENTION", default_value = "7d", value_parser = duration)]
    pub event_retention: Duration,
    /// Engine.IO ping interval.
    #[arg(long, env = "SOCKET_PING_INTERVAL", default_value = "25s", value_parser = duration)]
    pub socket_ping_interval: Duration,
    /// Engine.IO ping timeout.
    #[arg(long, env = "SOCKET_PING_TIMEOUT", default_value = "20s", value_parser = duration)]
    pub socket_ping_timeout: Duration,
    /// Largest Engine.IO message or polling payload, in bytes.
    #[arg(long, env = "SOCKET_MAX_PAYLOAD", default_value_t = 1_000_000)]
    pub socket_max_payload: u64,
    /// Packets that may wait to be sent to one socket; a socket that falls this far behind
    /// is disconnected (it reconnects and catches up with `sync`).
    #[arg(
        long,
        env = "SOCKET_MAX_BUFFER",
        default_value_t = 1024,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub socket_max_buffer: u32,
    /// Threads of the runtime that serves open websockets and the emitter, apart from the
    /// one serving HTTP; `0` serves them on the HTTP runtime. Default: one per core.
    #[arg(long, env = "SOCKET_THREADS")]
    pub socket_threads: Option<usize>,
    /// Engine.IO transports, comma-separated: `polling`, `websocket`.
    #[arg(
        long,
        env = "SOCKET_TRANSPORTS",
        default_value = "polling,websocket",
        value_delimiter = ','
    )]
    pub socket_transports: Vec<String>,
    /// Sockets one user (or integration token) may hold open on this node; 0: no limit.
    #[arg(long, env = "SOCKET_MAX_PER_USER", default_value_t = 100)]
    pub socket_max_per_user: usize,
    /// Rooms one socket may be subscribed to.
    #[arg(long, env = "SOCKET_MAX_ROOMS", default_value_t = 200)]
    pub socket_max_rooms: usize,
    /// `subscribe`, `live` and `sync` requests one socket may make per second (and in a
    /// burst); 0: no limit.
    #[arg(long, env = "SOCKET_REQUESTS_PER_SECOND", default_value_t = 20)]
    pub socket_requests_per_second: u32,
    /// How often each node compares the workspaces its sockets follow with the event log:
    /// the longest a lost notification between nodes delays an event.
    #[arg(long, env = "CATCH_UP_INTERVAL", default_value = "1s", value_parser = positive_duration)]
    pub catch_up_interval: Duration,
    /// Bearer token `/metrics` requires (`Authorization: Bearer <token>`). Unset: `/metrics`
    /// answers only requests from this machine's loopback that no proxy forwarded.
    #[arg(long, env = "METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Serve the live dashboard page at `/app`.
    #[arg(long, env = "SERVE_APP", default_value_t = true, action = clap::ArgAction::Set)]
    pub serve_app: bool,
    /// Allow `http://` webhook URLs (development and tests; production wants https).
    #[arg(long, env = "WEBHOOK_ALLOW_HTTP", default_value_t = false, action = clap::ArgAction::Set)]
    pub webhook_allow_http: bool,
    /// Allow webhooks to reach loopback, private, link-local and other non-public addresses.
    #[arg(long, env = "WEBHOOK_ALLOW_PRIVATE", default_value_t = false, action = clap::ArgAction::Set)]
    pub webhook_allow_private: bool,
    /// A webhook failing without a single success for this long is disabled.
    #[arg(long, env = "WEBHOOK_DISABLE_AFTER", default_value = "3d", value_parser = duration)]
    pub webhook_disable_after: Duration,
    /// Webhook requests in flight at once on this node, over all webhooks (one workspace's
    /// take at most 4 of them).
    #[arg(
        long,
        env = "WEBHOOK_CONCURRENCY",
        default_value_t = 256,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub webhook_concurrency: u32,
    /// Delay before a failed webhook delivery's first retry; it doubles at each next one
    /// (with jitter), up to an hour.
    #[arg(long, env = "WEBHOOK_RETRY_BASE", default_value = "1s", value_parser = duration)]
    pub webhook_retry_base: Duration,
    /// Time in-flight requests get to finish after SIGTERM/SIGINT.
    #[arg(long, env = "SHUTDOWN_GRACE", default_value = "10s", value_parser = duration)]
    pub shutdown_grace: Duration,
}

impl Config {
    /// Parses settings from the environment and defaults only (no CLI), for tests.
    #[must_use]
    pub fn from_env_defaults() -> Self {
        Cli::parse_from(["kandid"]).config
    }

    #[must_use]
    pub fn database_url(&self) -> String {
        self.database.url()
    }

    #[must_use]
    pub fn database_display(&self) -> String {
        self.database.display()
    }
}
