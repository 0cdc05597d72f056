//! Reads on SQLite as function calls where the connection lives, and what the store's own
//! SQLite connections (these readers and the writer, `sqlite_writer`) share: the pool's
//! file, opening a connection to it, binding values, and what an error means.
//!
//! sqlx runs each SQLite connection on a thread of its own and hands every statement and
//! every row across to it and back through channels: a list of 50 leads costs about a
//! millisecond of CPU, mostly thread wake-ups (BENCHMARKS.md, "SQLite reads"). `Readers`
//! are a few connections, each on its own thread, that take a whole read as a closure:
//! one hop there and one back, whatever its statements and rows. The statements are the
//! store's own, built by sea-query for both databases; here they are bound as sqlx binds
//! them (UUIDs as 16-byte blobs, times as RFC 3339 text), so both see the same rows.
//!
//! No pool crate for `rusqlite` builds beside sqlx: both link SQLite through
//! `libsqlite3-sys`, which cargo allows once, and only `rusqlite` 0.39 shares sqlx 0.9's.

use crate::error::{Result, StoreError};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OpenFlags, Row};
use sea_orm::sea_query::Value;
use sea_orm::{DbErr, RuntimeErr, Statement};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Arc, Mutex, PoisonError, Weak, mpsc};
use std::time::Duration;

/// A read, given its connection (or why there is none); true when the database turned out
/// unavailable to the connection, which is then opened anew for the next read.
type Job = Box<dyn FnOnce(Result<&Connection>) -> bool + Send>;

/// Reader connections of one SQLite database, each on a thread of its own. The reader idle
/// the shortest time takes the next read: its page cache is the warmest (one reader
/// answers a search at 1M leads in ≈ 37 ms, four taking turns in ≈ 53 ms). The threads end
/// when the last handle is dropped.
pub(crate) struct Readers {
    queue: Arc<Mutex<Queue>>,
    at_hand: AtHand,
}

/// Connections a short read runs on in the caller's own thread, without the two thread
/// hand-offs of a reader (`Readers::run_short`), opened when first needed: one fewer than
/// the cores (at least one), so that a read that stalls in what its step budget does not
/// count (opening a connection, a page fault on a slow disk, SQLite's own retries for a
/// WAL read lock) holds at most all but one of the runtime's threads.
struct AtHand {
    path: PathBuf,
    /// The connections not in use, and how many more may be opened.
    spare: Mutex<(Vec<Connection>, usize)>,
}

/// SQLite virtual machine steps a short read may take on the caller's thread before it is
/// stopped and run on a reader instead: about 0.4 ms. A page of 50 leads with its kept
/// count takes ≈ 1 800 steps; filtered by a status that one lead in three has, ≈ 7 000.
const SHORT_READ_STEPS: std::ffi::c_int = 10_000;

impl AtHand {
    /// Runs `f` on a spare connection, unless none is spare, `f` fails, or it takes more
    /// than `SHORT_READ_STEPS`: `None` then, and whatever it read is rolled back.
    fn run<T>(&self, f: &impl Fn(&Connection) -> Result<T>) -> Option<T> {
        let c = self.take()?;
        let mut checks_left = SHORT_READ_STEPS / STEPS_BETWEEN_CHECKS;
        let limited = c.progress_handler(
            STEPS_BETWEEN_CHECKS,
            Some(move || {
                checks_left -= 1;
                checks_left < 0
            }),
        );
        if limited.is_err() {
            self.give_back(None);
            return None;
        }
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&c)));
        let cleared = c.progress_handler(0, None::<fn() -> bool>).is_ok();
        // A connection that failed to read the file, or is left inside a transaction, is
        // not used again.
        let sound =
            cleared && c.is_autocommit() && !matches!(result, Ok(Err(StoreError::Unavailable(_))));
        self.give_back(sound.then_some(c));
        result.ok()?.ok()
    }

    /// A spare connection, or a new one while fewer than the most are open. It does not
    /// wait for a lock: a read that would is run on a reader.
    fn take(&self) -> Option<Connection> {
        let mut spare = lock(&self.spare);
        if let Some(c) = spare.0.pop() {
            return Some(c);
        }
        spare.1 = spare.1.checked_sub(1)?;
        drop(spare);
        let opened = open(&self.path, Duration::ZERO);
        if opened.is_err() {
            self.give_back(None);
        }
        opened.ok()
    }

    /// Returns a connection taken, or (`None`) the room to open another.
    fn give_back(&self, c: Option<Connection>) {
        let mut spare = lock(&self.spare);
        match c {
            Some(c) => spare.0.push(c),
            None => spare.1 += 1,
        }
    }
}

/// Idle readers, the last to finish on top, and reads that found none idle, oldest first;
/// and how long a reader's connection waits for a lock, read when it opens.
#[derive(Default)]
struct Queue {
    idle: Vec<mpsc::SyncSender<Job>>,
    waiting: VecDeque<Job>,
    busy: Duration,
}

impl Readers {
    /// Readers of the database of an sqlx SQLite pool, as many as the pool's connections
    /// (the reader idle the shortest time takes each read, so the others cost a thread
    /// each until reads overlap), each waiting up to `busy` for a lock. `None` on PostgreSQL,
    /// for an in-memory database, which only the pool's own connections can open, or when the
    /// system refuses every thread (both logged): the store then reads through the pool.
    pub(crate) fn for_pool(db: &sea_orm::DatabaseConnection, busy: Duration) -> Option<Self> {
        let path = database_file(db)?;
        let max = db
            .get_sqlite_connection_pool()
            .options()
            .get_max_connections();
        Self::new(&path, usize::try_from(max).unwrap_or(1).max(1), busy)
    }

    /// `count` readers of the database file `path`. Each opens its connection on its first
    /// read, and again after the database was unavailable to it, so a database that cannot
    /// be opened fails those reads (503), not the start.
    fn new(path: &Path, count: usize, busy: Duration) -> Option<Self> {
        let queue = Arc::new(Mutex::new(Queue {
            busy,
            ..Queue::default()
        }));
        let mut started = 0;
        for i in 0..count {
            let queue = Arc::downgrade(&queue);
            let path = path.to_owned();
            let spawned = std::thread::Builder::new()
                .name(format!("sqlite-reader-{i}"))
                .spawn(move || serve(&path, &queue));
            match spawned {
                Ok(_) => started += 1,
                Err(e) => tracing::error!(error = %e, "cannot start a SQLite reader thread"),
            }
        }
        let callers = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .saturating_sub(1)
            .max(1);
        (started > 0).then_some(Self {
            queue,
            at_hand: AtHand {
                path: path.to_owned(),
                spare: Mutex::new((Vec::new(), callers.min(count))),
            },
        })
    }

    /// How long connections opened from now on wait for a lock. The readers open theirs at
    /// their first read, so set before any read it holds for all of them.
    pub(crate) fn set_busy_timeout(&self, busy: Duration) {
        lock(&self.queue).busy = busy;
    }

    /// Hands `job` to the reader idle the shortest time, or queues it for the next free.
    fn dispatch(&self, job: Job) {
        let mut q = lock(&self.queue);
        let mut job = job;
        while let Some(reader) = q.idle.pop() {
            match reader.try_send(job) {
                Ok(()) => return,
                // The reader's thread is gone: the next one.
                Err(mpsc::TrySendError::Disconnected(j) | mpsc::TrySendError::Full(j)) => job = j,
            }
        }
        q.waiting.push_back(job);
    }

    /// Runs read `f` on a connection at hand, in the calling thread, when one is spare and
    /// `f` is done within `SHORT_READ_STEPS`; otherwise (or when it fails there) on a
    /// reader, as `run`. For reads that are short but for rare filters: a list's page
    /// costs twice its SQLite work in thread hand-offs and memory freed on another thread.
    pub(crate) async fn run_short<T: Send + 'static>(
        &self,
        timeout: Duration,
        f: impl Fn(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        match self.at_hand.run(&f) {
            Some(v) => Ok(v),
            None => self.run(timeout, f).await,
        }
    }

    /// Runs read `f` on a reader connection. A read that waited longer than `timeout` for a
    /// reader is `Busy`, and is not run once one is free. Once running it has no time limit
    /// (as a statement on sqlx's SQLite connections has none), but a read whose caller is
    /// gone (the request dropped) is interrupted at its next step.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        timeout: Duration,
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (started, starting) = tokio::sync::oneshot::channel::<()>();
        let (answer, answered) = tokio::sync::oneshot::channel();
        let abandoned = Abandoned::new();
        let stop = Arc::clone(&abandoned.flag);
        let job: Job = Box::new(move |conn| {
            if started.send(()).is_err() {
                return false; // the caller gave up waiting
            }
            let result = conn.and_then(|c| {
                c.progress_handler(STEPS_BETWEEN_CHECKS, Some(move || stop.load(Relaxed)))
                    .map_err(from_sqlite)?;
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(c)))
                    .unwrap_or_else(|_| Err(internal("a read on a SQLite reader panicked")));
                let cleared = c
                    .progress_handler(0, None::<fn() -> bool>)
                    .map_err(from_sqlite);
                result.and_then(|v| cleared.map(|()| v))
            });
            let unavailable = matches!(result, Err(StoreError::Unavailable(_)));
            let _ = answer.send(result);
            unavailable
        });
        self.dispatch(job);
        match tokio::time::timeout(timeout, starting).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) => return Err(internal("a SQLite reader stopped before a read")),
            Err(_) => return Err(StoreError::Busy),
        }
        let result = answered
            .await
            .unwrap_or_else(|_| Err(internal("a SQLite reader stopped during a read")));
        abandoned.defuse();
        result
    }
}

/// SQLite virtual machine steps between two checks of whether a read's caller is gone.
const STEPS_BETWEEN_CHECKS: std::ffi::c_int = 1000;

/// Set when the future waiting for a read is dropped before its answer: the read stops.
struct Abandoned {
    flag: Arc<AtomicBool>,
    armed: bool,
}

impl Abandoned {
    fn new() -> Self {
        Self {
            flag: Arc::default(),
            armed: true,
        }
    }

    fn defuse(mut self) {
        self.armed = false;
    }
}

impl Drop for Abandoned {
    fn drop(&mut self) {
        if self.armed {
            self.flag.store(true, Relaxed);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One reader thread: its connection, opened when first needed, and a read at a time,
/// waiting for one on top of the idle readers when none is queued.
fn serve(path: &Path, queue: &Weak<Mutex<Queue>>) {
    let mut conn: Option<Connection> = None;
    loop {
        let next = {
            let Some(queue) = queue.upgrade() else { return };
            let mut q = lock(&queue);
            q.waiting.pop_front().ok_or_else(|| {
                let (handle, next) = mpsc::sync_channel(1);
                q.idle.push(handle);
                next
            })
        };
        let job = match next {
            Ok(job) => job,
            // Handles dropped: the readers are gone.
            Err(next) => match next.recv() {
                Ok(job) => job,
                Err(mpsc::RecvError) => return,
            },
        };
        let c = match &conn {
            Some(c) => c,
            None => match open(path, busy_timeout(queue)) {
                Ok(c) => conn.insert(c),
                Err(e) => {
                    job(Err(e));
                    continue;
                }
            },
        };
        if job(Ok(c)) {
            conn = None;
        }
    }
}

/// The busy timeout connections open with (see `Readers::set_busy_timeout`).
fn busy_timeout(queue: &Weak<Mutex<Queue>>) -> Duration {
    queue
        .upgrade()
        .map_or(Duration::ZERO, |queue| lock(&queue).busy)
}

/// Bytes of the database file a reader maps (SQLite caps it at its compile-time maximum,
/// 2 GiB in this build); the rest is read with `pread`.
const MMAP_SIZE: i64 = 1 << 32;

/// The file of an sqlx SQLite pool's database, as sqlx names it (a `file:` URI too); `None`
/// on PostgreSQL, and for an in-memory database, which only the pool's own connections
/// can open.
pub(crate) fn database_file(db: &sea_orm::DatabaseConnection) -> Option<PathBuf> {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
        return None;
    }
    let path = db
        .get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_owned();
    (!path.to_string_lossy().starts_with("file:sqlx-in-memory-")).then_some(path)
}

/// A connection of the store's own (`role` names it in errors: "reader", "writer") to the
/// database file `path`, waiting up to `busy` for a lock, and `setup` applied to it. The
/// file must exist: the pool made it.
pub(crate) fn connect(
    path: &Path,
    role: &str,
    busy: Duration,
    setup: impl FnOnce(&Connection) -> rusqlite::Result<()>,
) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let unavailable = |e: rusqlite::Error| {
        StoreError::Unavailable(DbErr::Conn(RuntimeErr::Internal(format!(
            "cannot open a SQLite {role} of {}: {e}",
            path.display()
        ))))
    };
    let c = Connection::open_with_flags(path, flags).map_err(unavailable)?;
    c.busy_timeout(busy).map_err(unavailable)?;
    // Plans that don't depend on the values bound. Otherwise SQLite marks a statement whose
    // `LIMIT ?` (or `LIKE ?`) it planned around as stale at every new binding, and parses
    // and plans it again at every run: a quarter of a list's CPU, and a tenth of the
    // writer's in a create (BENCHMARKS.md).
    c.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )
    .map_err(unavailable)?;
    setup(&c).map_err(unavailable)?;
    Ok(c)
}

/// One statement without parameters or rows (`BEGIN`, `COMMIT`, …), from the connection's
/// statement cache: parsed once per connection, not at every run.
pub(crate) fn execute_cached(c: &Connection, sql: &str) -> rusqlite::Result<()> {
    c.prepare_cached(sql)?.execute([]).map(|_| ())
}

/// A connection that only reads, waiting up to `busy` for a lock.
fn open(path: &Path, busy: Duration) -> Result<Connection> {
    connect(path, "reader", busy, |c| {
        // One statement per filter, sort and path a list is asked for.
        c.set_prepared_statement_cache_capacity(64);
        // Pages read straight from the file's mapping instead of copied in by a `pread`
        // each: a search at 1M leads fetches thousands of rows scattered over the file.
        c.pragma_update(None, "mmap_size", MMAP_SIZE)?;
        c.pragma_update(None, "query_only", true)
    })
}

fn internal(what: &str) -> StoreError {
    StoreError::Db(DbErr::Query(RuntimeErr::Internal(what.to_owned())))
}

/// A SQLite error, as the store reports a database error (`db_err`, then as any database
/// error): a lock held past the busy timeout is `Busy`, like sqlx's; a file that cannot be
/// read or written (I/O, gone, corrupt, full, read-only) is `Unavailable`, and a reader
/// opens its connection anew for the next read.
pub(crate) fn from_sqlite(e: rusqlite::Error) -> StoreError {
    StoreError::from(db_err(&e))
}

/// A SQLite error as sqlx reports one: a database error with SQLite's extended result code
/// (what `is_timeout` and `is_unique_violation` read), or, for a file that cannot be
/// read or written (I/O, gone, corrupt, full, read-only), a connection error
/// (`is_unavailable`: 503).
pub(crate) fn db_err(e: &rusqlite::Error) -> DbErr {
    use rusqlite::ErrorCode as C;
    match e {
        rusqlite::Error::SqliteFailure(f, message) => {
            let message = message.clone().unwrap_or_else(|| f.to_string());
            match f.code {
                C::SystemIoFailure
                | C::CannotOpen
                | C::DatabaseCorrupt
                | C::NotADatabase
                | C::PermissionDenied
                | C::DiskFull
                | C::ReadOnly => DbErr::Conn(RuntimeErr::Internal(message)),
                _ => DbErr::Exec(RuntimeErr::SqlxError(Arc::new(
                    sea_orm::sqlx::Error::Database(Box::new(SqliteFailure {
                        code: f.extended_code,
                        message,
                    })),
                ))),
            }
        }
        other => DbErr::Custom(other.to_string()),
    }
}

/// A failed statement's SQLite result code and message.
#[derive(Debug)]
pub(crate) struct SqliteFailure {
    code: std::ffi::c_int,
    message: String,
}

impl std::fmt::Display for SqliteFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "(code: {}) {}", self.code, self.message)
    }
}

impl std::error::Error for SqliteFailure {}

impl sea_orm::sqlx::error::DatabaseError for SqliteFailure {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<std::borrow::Cow<'_, str>> {
        Some(self.code.to_string().into())
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> sea_orm::sqlx::error::ErrorKind {
        use sea_orm::sqlx::error::ErrorKind as K;
        // SQLite's extended constraint codes.
        match self.code {
            1555 | 2067 => K::UniqueViolation,
            787 => K::ForeignKeyViolation,
            1299 => K::NotNullViolation,
            275 => K::CheckViolation,
            _ => K::Other,
        }
    }
}

/// Runs `stmt` and decodes each of its rows with `decode`.
pub(crate) fn rows<T>(
    c: &Connection,
    stmt: &Statement,
    mut decode: impl FnMut(&Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut prepared = c.prepare_cached(&stmt.sql).map_err(from_sqlite)?;
    if let Some(values) = &stmt.values {
        for (i, v) in values.0.iter().enumerate() {
            prepared
                .raw_bind_parameter(i + 1, bound(v)?)
                .map_err(from_sqlite)?;
        }
    }
    let mut rows = prepared.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(from_sqlite)? {
        out.push(decode(row)?);
    }
    Ok(out)
}

/// The first column of the first row of `stmt`, an integer or NULL (none: no row).
pub(crate) fn integer(c: &Connection, stmt: &Statement) -> Result<Option<i64>> {
    let mut found = rows(c, stmt, |r| r.get::<_, Option<i64>>(0).map_err(from_sqlite))?;
    Ok(if found.is_empty() {
        None
    } else {
        found.swap_remove(0)
    })
}

/// Column `i` of a row, as SQLite's type and the caller's agree.
pub(crate) fn get<T: rusqlite::types::FromSql>(r: &Row<'_>, i: usize) -> Result<T> {
    r.get(i).map_err(from_sqlite)
}

/// A time as sqlx writes it to SQLite (RFC 3339 text).
pub(crate) fn time(r: &Row<'_>, i: usize) -> Result<DateTime<Utc>> {
    parse_time(text(r, i)?)
}

/// A text column read in place, without a copy.
pub(crate) fn text<'r>(r: &'r Row<'_>, i: usize) -> Result<&'r str> {
    r.get_ref(i)
        .and_then(|v| Ok(v.as_str()?))
        .map_err(from_sqlite)
}

/// A time that may be NULL.
pub(crate) fn time_or_null(r: &Row<'_>, i: usize) -> Result<Option<DateTime<Utc>>> {
    let text = r
        .get_ref(i)
        .and_then(|v| Ok(v.as_str_or_null()?))
        .map_err(from_sqlite)?;
    text.map(parse_time).transpose()
}

/// RFC 3339, as sqlx writes a time, or SQLite's own `YYYY-MM-DD HH:MM:SS[.fff]` in UTC
/// (`datetime('now')`), which sqlx reads too.
pub(crate) fn parse_time(text: &str) -> Result<DateTime<Utc>> {
    if let Some(t) = parse_utc(text) {
        return Ok(t);
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").map(|t| t.and_utc())
        })
        .map_err(|e| StoreError::Corrupt(format!("time {text:?}: {e}")))
}

/// A time in UTC as sqlx writes one (`YYYY-MM-DDTHH:MM:SS[.fraction]+00:00`, or ending in
/// `Z`), read without chrono's general parser: a list of 50 leads reads up to 150 times,
/// and reading them was 7 % of its instructions. `None` for anything else (other offsets, leap
/// seconds, SQLite's own format), which `parse_time` reads the general way.
fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let number = |from: usize, to: usize| -> Option<u32> {
        b.get(from..to)?.iter().try_fold(0_u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if !separators.iter().all(|&(i, c)| b.get(i) == Some(&c)) {
        return None;
    }
    let mut rest = b.get(19..)?;
    let mut nanos = 0;
    if let Some((b'.', fraction)) = rest.split_first() {
        let digits = fraction.iter().take_while(|d| d.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) {
            return None;
        }
        let read = number(20, 20 + digits)?;
        nanos = read * 10_u32.pow(u32::try_from(9 - digits).ok()?);
        rest = &fraction[digits..];
    }
    if rest != b"+00:00" && rest != b"Z" {
        return None;
    }
    let year = i32::try_from(number(0, 4)?).ok()?;
    chrono::NaiveDate::from_ymd_opt(year, number(5, 7)?, number(8, 10)?)?
        .and_hms_nano_opt(number(11, 13)?, number(14, 16)?, number(17, 19)?, nanos)
        .map(|t| t.and_utc())
}

/// A statement's value as sqlx binds it on SQLite.
pub(crate) fn bound(v: &Value) -> Result<Sql> {
    fn or_null<T>(v: Option<T>, f: impl FnOnce(T) -> Sql) -> Sql {
        v.map_or(Sql::Null, f)
    }
    Ok(match v {
        Value::Bool(b) => or_null(*b, |b| Sql::Integer(i64::from(b))),
        Value::TinyInt(n) => or_null(*n, |n| Sql::Integer(i64::from(n))),
        Value::SmallInt(n) => or_null(*n, |n| Sql::Integer(i64::from(n))),
        Value::Int(n) => or_null(*n, |n| Sql::Integer(i64::from(n))),
        Value::BigInt(n) => or_null(*n, Sql::Integer),
        Value::TinyUnsigned(n) => or_null(*n, |n| Sql::Integer(i64::from(n))),
        Value::SmallUnsigned(n) => or_null(*n, |n| Sql::Integer(i64::from(n))),
        Value::Unsigned(n) => or_null(*n, |n| Sql::Integer(i64::from(n))),
        Value::BigUnsigned(n) => match n {
            None => Sql::Null,
            Some(n) => Sql::Integer(
                i64::try_from(*n).map_err(|_| internal("an unsigned value beyond i64"))?,
            ),
        },
        Value::Float(f) => or_null(*f, |f| Sql::Real(f64::from(f))),
        Value::Double(f) => or_null(*f, Sql::Real),
        Value::String(s) => or_null(s.clone(), Sql::Text),
        Value::Char(c) => or_null(*c, |c| Sql::Text(c.to_string())),
        Value::Bytes(b) => or_null(b.clone(), Sql::Blob),
        Value::Uuid(u) => or_null(*u, |u| Sql::Blob(u.as_bytes().to_vec())),
        Value::ChronoDateTimeUtc(t) => or_null(*t, |t| {
            Sql::Text(t.to_rfc3339_opts(SecondsFormat::AutoSi, false))
        }),
        Value::Json(j) => or_null(j.as_deref(), |j| Sql::Text(j.to_string())),
        other => return Err(internal(&format!("no SQLite binding for {other:?}"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::DatabaseBackend;

    fn memory() -> Connection {
        match Connection::open_in_memory() {
            Ok(c) => c,
            Err(e) => panic!("open: {e}"),
        }
    }

    /// `count` readers of a new database file made by `schema`, and the file.
    fn readers_of(schema: &str, count: usize) -> (Readers, std::path::PathBuf) {
        let path = std::env::temp_dir().join(format!("kandid-readers-{}.db", uuid::Uuid::now_v7()));
        if let Err(e) = Connection::open(&path).and_then(|c| c.execute_batch(schema)) {
            panic!("{e}");
        }
        match Readers::new(&path, count, Duration::from_secs(5)) {
            Some(readers) => (readers, path),
            None => panic!("no reader started"),
        }
    }

    /// The integer `sql` reads, on a reader.
    async fn read_integer(readers: &Readers, sql: &'static str) -> Result<Option<i64>> {
        readers
            .run(Duration::from_secs(30), move |c| {
                integer(c, &Statement::from_string(DatabaseBackend::Sqlite, sql))
            })
            .await
    }

    /// Open files of this process that are SQLite's temporary files (deleted on opening,
    /// so seen only while open).
    fn open_temp_files() -> usize {
        std::fs::read_dir("/proc/self/fd").map_or(0, |fds| {
            fds.filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
                .filter(|target| target.to_string_lossy().contains("etilqs_"))
                .count()
        })
    }

    /// A savepoint's sub-journal stays in memory past SQLite's 64 KiB default, up to the
    /// limit `.cargo/config.toml` compiles in (`SQLITE_STMTJRNL_SPILL`), and goes to a file
    /// beyond it, where the write past the limit succeeds (SQLite writes at most 128 KiB
    /// to a file in one call: a larger limit fails the write that spills, "database or
    /// disk is full").
    #[test]
    fn savepoint_journals_stay_in_memory_up_to_the_limit() -> rusqlite::Result<()> {
        let path =
            std::env::temp_dir().join(format!("kandid-subjournal-{}.db", uuid::Uuid::now_v7()));
        let c = Connection::open(&path)?;
        let limit: i64 = c.query_row(
            "SELECT CAST(substr(compile_options, 16) AS INTEGER) FROM pragma_compile_options
             WHERE compile_options LIKE 'STMTJRNL_SPILL=%'",
            [],
            |r| r.get(0),
        )?;
        // A journal record is a page of 4 KiB and its number.
        let record = 4096 + 4;
        assert!(64 * 1024 < 25 * record && 28 * record < limit && limit < 128 * 1024);
        let mode: String = c.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        assert_eq!(mode, "wal");
        // A row of 3 000 bytes a page: changing n rows journals n pages, plus the few
        // inner pages of the table's b-tree above them.
        c.execute_batch(
            "CREATE TABLE t (x BLOB);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
             INSERT INTO t SELECT zeroblob(3000) FROM n;",
        )?;
        let before = open_temp_files();
        let change = |rows: i64| -> rusqlite::Result<usize> {
            c.execute_batch("BEGIN; SAVEPOINT w;")?;
            c.execute(
                "UPDATE t SET x = randomblob(3000) WHERE rowid <= ?1",
                [rows],
            )?;
            let open = open_temp_files().saturating_sub(before);
            c.execute_batch("RELEASE w; COMMIT;")?;
            Ok(open)
        };
        assert_eq!(change(25)?, 0);
        assert_eq!(change(limit / record + 1)?, 1);
        assert_eq!(change(400)?, 1);
        drop(c);
        for end in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{end}", path.display()));
        }
        Ok(())
    }

    /// What sqlx would bind, read back by SQLite: the same bytes and text.
    #[test]
    fn values_bind_as_sqlx_binds_them() {
        let c = memory();
        let id = uuid::Uuid::now_v7();
        let at = crate::now();
        let stmt = Statement::from_sql_and_values(
            DatabaseBackend::Sqlite,
            "SELECT typeof(?), hex(?), ?, ?, ? IS NULL, ?",
            [
                id.into(),
                id.into(),
                at.into(),
                7_u64.into(),
                Value::String(None),
                true.into(),
            ],
        );
        let got = rows(&c, &stmt, |r| {
            Ok((
                get::<String>(r, 0)?,
                get::<String>(r, 1)?,
                time(r, 2)?,
                get::<i64>(r, 3)?,
                get::<bool>(r, 4)?,
                get::<i64>(r, 5)?,
            ))
        });
        let expected = (
            "blob".to_owned(),
            id.simple().to_string().to_uppercase(),
            at,
            7,
            true,
            1,
        );
        match got {
            Ok(rows) => assert_eq!(rows, vec![expected]),
            Err(e) => panic!("{e}"),
        }
    }

    /// Reads from many tasks at once, more than there are readers, are each answered with
    /// their own result; a read that panics is an error to its caller alone, and its reader
    /// goes on.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_read_is_answered_and_a_panic_stays_with_its_read() {
        let (readers, path) =
            readers_of("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (7);", 2);
        let readers = Arc::new(readers);
        let reads = (0..40_i64).map(|i| {
            let readers = Arc::clone(&readers);
            tokio::spawn(async move {
                readers
                    .run(Duration::from_secs(30), move |c| {
                        let stmt = Statement::from_string(
                            DatabaseBackend::Sqlite,
                            format!("SELECT n + {i} FROM t"),
                        );
                        integer(c, &stmt)
                    })
                    .await
            })
        });
        for (i, read) in reads.collect::<Vec<_>>().into_iter().enumerate() {
            match read.await {
                Ok(Ok(n)) => assert_eq!(n, Some(7 + i64::try_from(i).unwrap_or(0))),
                other => panic!("read {i}: {other:?}"),
            }
        }
        let panicked = readers
            .run(Duration::from_secs(30), |_| -> Result<()> {
                panic!("a bug in a read")
            })
            .await;
        assert!(panicked.is_err());
        let after = read_integer(&readers, "SELECT n FROM t").await;
        assert_eq!(after.ok().flatten(), Some(7));
        // A reader only reads.
        let write = readers
            .run(Duration::from_secs(30), |c| {
                c.execute("INSERT INTO t VALUES (8)", [])
                    .map_err(from_sqlite)
            })
            .await;
        assert!(write.is_err());
        drop(readers);
        let _ = std::fs::remove_file(&path);
    }

    /// A read whose caller is gone stops at its next step: the one reader is free for the
    /// next read at once, where the abandoned one would have run for minutes.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_abandoned_read_stops_and_frees_its_reader() {
        let (readers, path) = readers_of("CREATE TABLE t (n INTEGER);", 1);
        let endless = Statement::from_string(
            DatabaseBackend::Sqlite,
            "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 100000000000) SELECT count(*) FROM c",
        );
        let gave_up = tokio::time::timeout(
            Duration::from_millis(50),
            readers.run(Duration::from_secs(5), move |c| integer(c, &endless)),
        )
        .await;
        assert!(gave_up.is_err(), "the endless read answered: {gave_up:?}");
        let next = read_integer(&readers, "SELECT 1").await;
        assert_eq!(next.ok().flatten(), Some(1));
        drop(readers);
        let _ = std::fs::remove_file(&path);
    }

    /// Times as sqlx writes them, and as SQLite's own `datetime()` does.
    /// The quick reading of sqlx's form reads every time as chrono's parser does, and
    /// leaves to it whatever it cannot read the same.
    #[test]
    fn times_read_quickly_read_as_chrono_reads_them() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut quick = 0;
        for i in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let secs = i64::try_from(x % 300_000_000_000).unwrap_or(0) - 62_167_219_200;
            let nanos = u32::try_from(x % 1_000_000_000).unwrap_or(0);
            let Some(t) = DateTime::from_timestamp(secs, nanos) else {
                continue;
            };
            let form = [
                SecondsFormat::Secs,
                SecondsFormat::Millis,
                SecondsFormat::Micros,
                SecondsFormat::Nanos,
                SecondsFormat::AutoSi,
            ][i % 5];
            let text = t.to_rfc3339_opts(form, i % 2 == 0);
            match parse_utc(&text) {
                Some(read) => {
                    assert_eq!(
                        Ok(read),
                        DateTime::parse_from_rfc3339(&text).map(|t| t.to_utc()),
                        "{text}"
                    );
                    quick += 1;
                }
                None => assert!(!(0..=9999).contains(&chrono::Datelike::year(&t)), "{text}"),
            }
        }
        assert!(quick > 10_000, "{quick}");
        for text in [
            "2026-12-04T10:00:00.123+01:00",
            "2026-12-04T23:59:60.5+00:00",
            "2026-12-04T10:00:00.1234567890+00:00",
            "2026-12-04T10:00:00.+00:00",
            "2026-12-04 10:00:00",
            "2026-02-30T10:00:00Z",
            "2026-12-04T10:00:00+00:00x",
            "2026-12-04T1a:00:00Z",
            "2026-12-04T10:00",
            "",
        ] {
            assert_eq!(parse_utc(text), None, "{text}");
        }
    }

    #[test]
    fn times_read_in_both_forms() {
        for (text, expected) in [
            ("2026-12-04T10:00:00.123+00:00", "2026-12-04T10:00:00.123Z"),
            ("2026-12-04 10:00:00", "2026-12-04T10:00:00Z"),
            ("2026-12-04 10:00:00.5", "2026-12-04T10:00:00.500Z"),
        ] {
            match parse_time(text) {
                Ok(t) => assert_eq!(t.to_rfc3339_opts(SecondsFormat::AutoSi, true), expected),
                Err(e) => panic!("{text}: {e}"),
            }
        }
        assert!(parse_time("yesterday").is_err());
    }

    #[test]
    fn an_unsigned_value_beyond_i64_is_an_error_not_a_wrap() {
        let stmt =
            Statement::from_sql_and_values(DatabaseBackend::Sqlite, "SELECT ?", [u64::MAX.into()]);
        assert!(integer(&memory(), &stmt).is_err());
    }
}
