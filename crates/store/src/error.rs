//! What can go wrong in the store, in terms the API maps to responses.

use kandid_domain::{CampaignStatus, FieldError};
use sea_orm::{DbErr, RuntimeErr};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// The token names a workspace that does not exist (any more).
    #[error("unknown workspace")]
    UnknownWorkspace,
    #[error("{0}")]
    Conflict(String),
    /// The caller has no access to the workspace any more (removed, or a token revoked,
    /// expired or whose creator left), as seen inside the write's transaction.
    #[error("unauthorized")]
    Unauthorized,
    /// The caller's role may not do this (e.g. an admin changing an owner).
    #[error("forbidden")]
    Forbidden,
    /// The change would leave the workspace without an owner.
    #[error("the last owner cannot be removed or demoted")]
    LastOwner,
    #[error("cannot change status from {from} to {to}")]
    InvalidTransition {
        from: CampaignStatus,
        to: CampaignStatus,
    },
    #[error("version {current} does not match If-Match")]
    PreconditionFailed { current: i64 },
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// A write (or a read) waited longer than the write timeout for its turn or a connection.
    #[error("the database is busy: the request waited too long for its turn")]
    Busy,
    #[error("database unavailable: {0}")]
    Unavailable(DbErr),
    #[error("database error: {0}")]
    Db(DbErr),
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

impl From<DbErr> for StoreError {
    fn from(e: DbErr) -> Self {
        if is_timeout(&e) {
            StoreError::Busy
        } else if is_unavailable(&e) {
            StoreError::Unavailable(e)
        } else {
            StoreError::Db(e)
        }
    }
}

/// The database's own error code (SQLSTATE on PostgreSQL, the result code on SQLite).
fn db_code(e: &DbErr) -> Option<String> {
    match e {
        DbErr::Exec(RuntimeErr::SqlxError(s)) | DbErr::Query(RuntimeErr::SqlxError(s)) => s
            .as_database_error()
            .and_then(|d| d.code())
            .map(|c| c.into_owned()),
        _ => None,
    }
}

/// Whether a statement gave up waiting, or lost a conflict it may win if retried:
/// PostgreSQL's `lock_timeout` (55P03), `statement_timeout` (57014), a deadlock (40P01) or a
/// serialization failure (40001); SQLite's busy timeout (SQLITE_BUSY, 5, and its extended
/// codes); or no pooled connection in time. The client gets 503 and may try again.
#[must_use]
pub fn is_timeout(e: &DbErr) -> bool {
    if matches!(
        e,
        DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::Timeout)
    ) {
        return true;
    }
    match sqlite_code(e) {
        // SQLITE_BUSY and SQLITE_LOCKED, with their extended codes.
        Some(n) => matches!(n & 0xff, 5 | 6),
        None => {
            db_code(e).is_some_and(|c| matches!(c.as_str(), "55P03" | "57014" | "40P01" | "40001"))
        }
    }
}

/// SQLite's result code of an error of either SQLite driver: sqlx's, or the store's writer.
fn sqlite_code(e: &DbErr) -> Option<i32> {
    let (DbErr::Exec(RuntimeErr::SqlxError(s)) | DbErr::Query(RuntimeErr::SqlxError(s))) = e else {
        return None;
    };
    let d = s.as_database_error()?;
    let from_sqlite = d
        .try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>()
        .is_some()
        || d.try_downcast_ref::<crate::sqlite::SqliteFailure>()
            .is_some();
    from_sqlite
        .then(|| d.code())
        .flatten()
        .and_then(|c| c.parse().ok())
}

impl StoreError {
    pub(crate) fn field(field: &str, code: &str, message: &str) -> Self {
        StoreError::Validation(vec![FieldError::new(field, code, message)])
    }
}

/// Whether an error means the database could not be reached rather than a bad statement:
/// no connection (refused, dropped, timed out, pool closed), or the server ending or
/// refusing sessions — SQLSTATE class 08 (connection exception), 57P01–57P03 (shutdown by
/// an administrator, a crash, or still starting) and 53300 (too many connections).
#[must_use]
pub fn is_unavailable(e: &DbErr) -> bool {
    match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(s)) | DbErr::Query(RuntimeErr::SqlxError(s)) => {
            use sea_orm::sqlx::Error as E;
            match &**s {
                E::Io(_)
                | E::Tls(_)
                | E::Protocol(_)
                | E::PoolTimedOut
                | E::PoolClosed
                | E::WorkerCrashed => true,
                E::Database(d) => d.code().is_some_and(|c| {
                    c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03" | "53300")
                }),
                _ => false,
            }
        }
        _ => false,
    }
}

/// A unique constraint refused a row, by the database error's kind: sqlx's errors of both
/// databases say it, and so do the SQLite errors of the store's own connections
/// (`sqlite::SqliteFailure`).
#[must_use]
pub fn is_unique_violation(e: &DbErr) -> bool {
    match e {
        DbErr::Exec(RuntimeErr::SqlxError(s)) | DbErr::Query(RuntimeErr::SqlxError(s)) => s
            .as_database_error()
            .is_some_and(sea_orm::sqlx::error::DatabaseError::is_unique_violation),
        _ => false,
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
