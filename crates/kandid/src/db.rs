//! Database connection and migrations, and what to tell a person when the database can't
//! be reached.

use anyhow::{Context, anyhow};
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx;
use sea_orm::sqlx::Connection;
use sea_orm::sqlx::postgres::PgConnectOptions;
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr, RuntimeErr};
use std::str::FromStr;
use std::time::{Duration, Instant};

/// How a pool is set up.
#[derive(Debug, Clone, Copy)]
pub struct PoolSettings {
    pub max_connections: u32,
    /// Longest a statement runs or waits for a lock (PostgreSQL `statement_timeout` /
    /// `lock_timeout`, SQLite's busy timeout), and longest a request waits for a pooled
    /// connection.
    pub timeout: Duration,
    /// How long start-up keeps retrying a database that does not answer (`DATABASE_WAIT`);
    /// zero: one attempt.
    pub wait: Duration,
}

/// Longest one connection attempt takes before it counts as failed.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Pause between attempts while waiting for the database.
const RETRY_EVERY: Duration = Duration::from_secs(1);

/// Statement and lock timeout of the connection that runs migrations: a backfill over a
/// large database may take far longer than any request should.
pub const MIGRATION_TIMEOUT: Duration = Duration::from_secs(3600);

/// Settings of the one connection that migrates or seeds: long statements, but reaching
/// the database is as quick (or as patient) as for the request pool.
#[must_use]
pub fn maintenance(wait: Duration) -> PoolSettings {
    PoolSettings {
        max_connections: 1,
        timeout: MIGRATION_TIMEOUT,
        wait,
    }
}

/// Connects with a pool suited to the backend. SQLite runs in WAL mode, so readers don't
/// wait for the writer; writers queue in the store's write gate, and the busy timeout only
/// covers another process holding the database. `synchronous=FULL` syncs the WAL at every
/// commit, so a commit (and the seqs it handed out) survives a power loss; group commit
/// makes that one sync per batch of writes.
///
/// A database that cannot be reached fails within seconds with a message naming it (its
/// password hidden) and the reason, unless `settings.wait` asks to retry for a while, each
/// attempt logged.
pub async fn connect(url: &str, settings: PoolSettings) -> anyhow::Result<DatabaseConnection> {
    let target = Target::parse(url)?;
    if let Target::Sqlite { path } = &target
        && let Some(dir) = std::path::Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|e| {
            anyhow!(
                "cannot create the data directory {}: {e}",
                absolute(&dir.display().to_string())
            )
        })?;
    }
    let started = Instant::now();
    let mut attempt = 1u32;
    loop {
        // One plain connection first: a pool would retry a refused connection until its
        // acquire timeout and then report only that it timed out, not why.
        let connected = match target.probe(url).await {
            Ok(()) => Database::connect(options(url, settings))
                .await
                .map_err(|e| cause(&e)),
            Err(e) => Err(e),
        };
        match connected {
            Ok(db) => return Ok(db),
            Err(cause) => {
                let reason = target.explain(&cause);
                if started.elapsed() + RETRY_EVERY >= settings.wait {
                    return Err(anyhow!(reason));
                }
                tracing::warn!(
                    attempt,
                    "{reason}; retrying for up to {} (DATABASE_WAIT)",
                    humantime::format_duration(settings.wait)
                );
                attempt += 1;
                tokio::time::sleep(RETRY_EVERY).await;
            }
        }
    }
}

fn options(url: &str, settings: PoolSettings) -> ConnectOptions {
    let timeout = settings.timeout;
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(settings.max_connections.max(1))
        .min_connections(1)
        .connect_timeout(CONNECT_TIMEOUT)
        // The pool retries a refused connection until this runs out: at start-up that would
        // be a silent hang, so a maintenance connection gets no more than a request would.
        .acquire_timeout(timeout.min(CONNECT_TIMEOUT * 2))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(timeout)
                .foreign_keys(true)
        })
        .map_sqlx_postgres_opts(move |o| {
            let ms = timeout.as_millis().to_string();
            o.options([
                ("statement_timeout", ms.as_str()),
                ("lock_timeout", ms.as_str()),
            ])
        });
    opts
}

/// Which database a URL names, in words a person recognises.
enum Target {
    Postgres {
        host: String,
        port: u16,
        database: String,
        user: String,
    },
    Sqlite {
        path: String,
    },
}

fn absolute(path: &str) -> String {
    std::path::absolute(path).map_or_else(|_| path.to_owned(), |p| p.display().to_string())
}

impl Target {
    fn parse(url: &str) -> anyhow::Result<Self> {
        let scheme = url.split_once("://").map_or("", |(s, _)| s);
        match scheme {
            "postgres" | "postgresql" => {
                let o = PgConnectOptions::from_str(url)
                    .map_err(|e| anyhow!("DATABASE_URL is not a valid PostgreSQL URL: {e}"))?;
                Ok(Target::Postgres {
                    host: o.get_host().to_owned(),
                    port: o.get_port(),
                    database: o.get_database().unwrap_or(o.get_username()).to_owned(),
                    user: o.get_username().to_owned(),
                })
            }
            "sqlite" => {
                let o = SqliteConnectOptions::from_str(url)
                    .map_err(|e| anyhow!("DATABASE_URL is not a valid SQLite URL: {e}"))?;
                Ok(Target::Sqlite {
                    path: o.get_filename().display().to_string(),
                })
            }
            _ => Err(anyhow!(
                "DATABASE_URL must start with postgres:// or sqlite:// (got {:?})",
                redact(url)
            )),
        }
    }

    /// Opens and closes one connection; the reason when that fails.
    async fn probe(&self, url: &str) -> Result<(), String> {
        let attempt = async {
            match self {
                Target::Postgres { .. } => {
                    let o = PgConnectOptions::from_str(url)?;
                    sqlx::PgConnection::connect_with(&o).await?.close().await
                }
                Target::Sqlite { .. } => {
                    let o = SqliteConnectOptions::from_str(url)?;
                    sqlx::SqliteConnection::connect_with(&o)
                        .await?
                        .close()
                        .await
                }
            }
        };
        match tokio::time::timeout(CONNECT_TIMEOUT, attempt).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(sqlx_cause(&e)),
            Err(_) => Err(format!(
                "no answer within {}",
                humantime::format_duration(CONNECT_TIMEOUT)
            )),
        }
    }

    /// Why connecting failed (`cause`), naming the database.
    fn explain(&self, cause: &str) -> String {
        match self {
            Target::Postgres {
                host,
                port,
                database,
                user,
            } => format!(
                "cannot connect to PostgreSQL database {database:?} at {host}:{port} as user {user:?}: {cause}"
            ),
            Target::Sqlite { path } => {
                let path = absolute(path);
                let hint = if cause.contains("unable to open") {
                    " (check that the directory exists and is writable)"
                } else {
                    ""
                };
                format!("cannot open the SQLite database {path}: {cause}{hint}")
            }
        }
    }
}

/// The root cause of a connection error, without the layers of wrapping around it.
fn cause(e: &DbErr) -> String {
    match e {
        DbErr::Conn(RuntimeErr::SqlxError(s))
        | DbErr::Exec(RuntimeErr::SqlxError(s))
        | DbErr::Query(RuntimeErr::SqlxError(s)) => sqlx_cause(s),
        _ => e.to_string(),
    }
}

fn sqlx_cause(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Io(io) => io.to_string(),
        sqlx::Error::Database(d) => d.message().to_owned(),
        sqlx::Error::PoolTimedOut => "no answer in time".to_owned(),
        sqlx::Error::Tls(t) => format!("TLS: {t}"),
        other => other.to_string(),
    }
}

/// A database URL without its password (`***` in its place); what does not parse as a URL
/// is returned as it is, having no password to hide.
#[must_use]
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            // Fails only for URLs that cannot have a password, and this one has one.
            let _ = u.set_password(Some("***"));
            u.into()
        }
        _ => url.to_owned(),
    }
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("running migrations")
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redact_hides_only_the_password() {
        assert_eq!(
            redact("postgres://kandid:s3cr3t@db:5432/kandid?sslmode=require"),
            "postgres://kandid:***@db:5432/kandid?sslmode=require"
        );
        // An `@` in the password (percent-encoded, as it must be) goes with the rest of it.
        assert_eq!(
            redact("postgres://kandid:a%40b@db/kandid"),
            "postgres://kandid:***@db/kandid"
        );
        for kept in [
            "postgres://kandid@db/kandid",
            "sqlite://data/kandid.db?mode=rwc",
            "not a url",
        ] {
            assert_eq!(redact(kept), kept);
        }
    }
}
