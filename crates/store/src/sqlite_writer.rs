//! Writes on SQLite as function calls where the connection lives.
//!
//! Through sqlx every statement of a write, and every row it reads, crossed to the
//! connection's own thread and back: a create's dozen statements cost more CPU in thread
//! wake-ups than in SQLite (BENCHMARKS.md, "SQLite writes on a writer thread"). Here the
//! store's one SQLite writer is a `rusqlite` connection owned by a thread of its own, and
//! whole writes run on that thread: `Writer::run` hands each write's future to the
//! thread's single-threaded runtime, where the write path (`tx::batch`, group commit
//! included) runs as before, and each statement is a function call.
//!
//! The write bodies stay the store's one set of SeaORM code for both databases: SeaORM
//! talks to the connection through its proxy interface. A proxy row names its values
//! without their Rust types, so a column's value is decoded as the entities declare that
//! column (`Kinds`); columns no entity names (counts, aliases) as SQLite stored them.

use crate::entity;
use crate::error::StoreError;
use crate::sqlite::{bound, connect, database_file, db_err, parse_time};
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use sea_orm::sea_query::{ColumnType, Value};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, IdenStatic, Iterable,
    ProxyDatabaseTrait, ProxyExecResult, ProxyRow, RuntimeErr, Statement,
};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The thread that runs SQLite writes, and its connection. The thread ends when the last
/// handle is dropped.
pub(crate) struct WriteThread {
    runtime: tokio::runtime::Handle,
    conn: Arc<WriteConnection>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl WriteThread {
    /// The writer of the database of an sqlx SQLite pool, and the SeaORM connection the
    /// write path uses on it. `None` for an in-memory database, which only the pool's own
    /// connections can open; an error when the file cannot be opened or the thread started.
    pub(crate) fn for_pool(
        db: &DatabaseConnection,
        busy: Duration,
    ) -> Result<Option<(Self, DatabaseConnection)>, StoreError> {
        database_file(db)
            .map(|path| Self::open(&path, busy))
            .transpose()
    }

    fn open(path: &Path, busy: Duration) -> Result<(Self, DatabaseConnection), StoreError> {
        let conn = Arc::new(WriteConnection::open(path, busy)?);
        let (started, ready) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_time()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = started.send(Err(e));
                        return;
                    }
                };
                let _ = started.send(Ok(runtime.handle().clone()));
                // Runs the writes handed to it until the store is gone.
                let _ = runtime.block_on(stopped);
            })
            .map_err(|e| unavailable(&format!("cannot start the SQLite writer thread: {e}")))?;
        let runtime = ready
            .recv()
            .map_err(|_| unavailable("the SQLite writer thread stopped at its start"))?
            .map_err(|e| unavailable(&format!("the SQLite writer's runtime: {e}")))?;
        let proxy: Box<dyn ProxyDatabaseTrait> = Box::new(Proxy(Arc::clone(&conn)));
        let db = sea_orm::ProxyDatabaseConnector::connect(DbBackend::Sqlite, Arc::new(proxy))
            .map_err(StoreError::from)?;
        Ok((
            Self {
                runtime,
                conn,
                _stop: stop,
            },
            db,
        ))
    }

    /// Where writes run: a write's future spawned here runs on the writer's thread.
    pub(crate) fn runtime(&self) -> &tokio::runtime::Handle {
        &self.runtime
    }

    /// How long the next `BEGIN` waits for a lock another process holds: until `deadline`.
    /// (Inside its transaction the writer holds the lock and waits for none.)
    pub(crate) fn wait_for_locks_until(&self, deadline: Instant) {
        let left = deadline.saturating_duration_since(Instant::now());
        if let Err(e) = self.conn.state().conn.busy_timeout(left) {
            tracing::warn!(error = %e, "cannot set the SQLite writer's busy timeout");
        }
    }

    /// Why the last transaction statement (`BEGIN`, `SAVEPOINT`, `RELEASE`, `COMMIT`,
    /// `ROLLBACK`) failed, if it did since the last call. SeaORM's proxy interface has no
    /// way to report those, so the write path asks after each.
    pub(crate) fn take_failure(&self) -> Result<(), DbErr> {
        self.conn.state().failure.take().map_or(Ok(()), Err)
    }
}

fn unavailable(what: &str) -> StoreError {
    StoreError::Unavailable(DbErr::Conn(RuntimeErr::Internal(what.to_owned())))
}

/// The writer's connection, and where its transaction stands.
struct WriteConnection {
    state: Mutex<State>,
    kinds: Kinds,
}

struct State {
    conn: Connection,
    /// Transactions open: the batch's, then a savepoint per write in it.
    depth: u32,
    /// A transaction statement that failed (see `WriteThread::take_failure`). Until it is
    /// taken, every statement fails with it: none may run outside the transaction it was
    /// meant to be part of.
    failure: Option<DbErr>,
}

impl WriteConnection {
    fn open(path: &Path, busy: Duration) -> Result<Self, StoreError> {
        let conn = connect(path, "writer", busy, |c| {
            // As the pool's connections (`kandid::db`): the WAL synced at every commit, and
            // foreign keys enforced (deletions cascade through them).
            c.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
            c.set_prepared_statement_cache_capacity(128);
            Ok(())
        })?;
        Ok(Self {
            state: Mutex::new(State {
                conn,
                depth: 0,
                failure: None,
            }),
            kinds: Kinds::of_entities(),
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` on the connection inside the write path's transaction: not when a
    /// transaction statement failed and is not yet taken, nor when there is no transaction
    /// (none begun, or SQLite rolled it back on an error), where a statement would commit
    /// on its own.
    fn with<T>(&self, f: impl FnOnce(&Connection) -> Result<T, DbErr>) -> Result<T, DbErr> {
        let mut s = self.state();
        if let Some(e) = &s.failure {
            return Err(e.clone());
        }
        if s.depth == 0 || s.conn.is_autocommit() {
            let e = DbErr::Custom("a write statement outside the write's transaction".into());
            if s.depth > 0 {
                s.failure = Some(e.clone());
            }
            return Err(e);
        }
        f(&s.conn)
    }

    /// Runs a transaction statement, keeping its failure for `take_failure`.
    fn transaction(&self, change: impl FnOnce(&mut State) -> Option<String>) {
        let mut s = self.state();
        if let Some(sql) = change(&mut s)
            && let Err(e) = run_transaction_statement(&s.conn, &sql)
        {
            let e = db_err(&e);
            // A failed COMMIT may leave the transaction open: end it, so that the next
            // batch begins afresh.
            if s.depth == 0 && !s.conn.is_autocommit() {
                let _ = s.conn.execute_batch("ROLLBACK");
            }
            s.failure.get_or_insert(e);
        }
    }

    fn begin(&self) {
        self.transaction(|s| {
            s.depth += 1;
            if s.depth == 1 {
                // A stale failure nobody took belongs to a transaction that is over.
                s.failure = None;
                // IMMEDIATE takes the write lock at once, as the pool's batches did.
                Some("BEGIN IMMEDIATE".into())
            } else if s.conn.is_autocommit() {
                // SQLite ended the batch's transaction on an error: a savepoint now would
                // begin one of its own.
                s.failure
                    .get_or_insert(DbErr::Custom("the batch's transaction has ended".into()));
                None
            } else {
                Some(format!("SAVEPOINT w{}", s.depth))
            }
        });
    }

    /// Ends the innermost open transaction (depth 1: the batch's; deeper: a savepoint) with
    /// the statement `ending` gives for its depth.
    fn end(&self, ending: impl FnOnce(&State, u32) -> Option<String>) {
        self.transaction(|s| {
            let depth = s.depth;
            s.depth = depth.saturating_sub(1);
            (depth > 0).then(|| ending(s, depth)).flatten()
        });
    }

    fn commit(&self) {
        self.end(|s, depth| match depth {
            1 if s.failure.is_some() => Some("ROLLBACK".into()),
            1 => Some("COMMIT".into()),
            n => Some(format!("RELEASE w{n}")),
        });
    }

    fn rollback(&self) {
        self.end(|s, depth| match depth {
            1 => (!s.conn.is_autocommit()).then(|| "ROLLBACK".into()),
            n => Some(format!("ROLLBACK TO w{n}; RELEASE w{n}")),
        });
    }
}

/// A transaction statement, from the connection's cache when it is one statement (`BEGIN`,
/// `SAVEPOINT`, `RELEASE`, `COMMIT`: parsed once, not at every write of every batch).
fn run_transaction_statement(c: &Connection, sql: &str) -> rusqlite::Result<()> {
    if sql.contains(';') {
        return c.execute_batch(sql);
    }
    crate::sqlite::execute_cached(c, sql)
}

/// SeaORM's view of the writer's connection.
#[derive(Debug)]
struct Proxy(Arc<WriteConnection>);

impl std::fmt::Debug for WriteConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WriteConnection")
    }
}

#[async_trait::async_trait]
impl ProxyDatabaseTrait for Proxy {
    async fn query(&self, statement: Statement) -> Result<Vec<ProxyRow>, DbErr> {
        let kinds = &self.0.kinds;
        self.0.with(|c| {
            let mut prepared = prepare(c, &statement)?;
            let names: Vec<String> = prepared
                .column_names()
                .into_iter()
                .map(str::to_owned)
                .collect();
            let mut rows = prepared.raw_query();
            let mut out = Vec::new();
            while let Some(row) = rows.next().map_err(|e| db_err(&e))? {
                let mut values = BTreeMap::new();
                for (i, name) in names.iter().enumerate() {
                    let value = row.get_ref(i).map_err(|e| db_err(&e))?;
                    values.insert(name.clone(), kinds.decode(name, value)?);
                }
                out.push(ProxyRow { values });
            }
            Ok(out)
        })
    }

    async fn execute(&self, statement: Statement) -> Result<ProxyExecResult, DbErr> {
        self.0.with(|c| {
            let mut prepared = prepare(c, &statement)?;
            let changed = prepared.raw_execute().map_err(|e| db_err(&e))?;
            Ok(ProxyExecResult {
                last_insert_id: u64::try_from(c.last_insert_rowid()).unwrap_or_default(),
                rows_affected: u64::try_from(changed).unwrap_or_default(),
            })
        })
    }

    async fn begin(&self) {
        self.0.begin();
    }

    async fn commit(&self) {
        self.0.commit();
    }

    async fn rollback(&self) {
        self.0.rollback();
    }

    fn start_rollback(&self) {
        self.0.rollback();
    }
}

/// `statement`, prepared (from the connection's cache) and bound as sqlx binds on SQLite.
fn prepare<'c>(
    c: &'c Connection,
    statement: &Statement,
) -> Result<rusqlite::CachedStatement<'c>, DbErr> {
    let mut prepared = c.prepare_cached(&statement.sql).map_err(|e| db_err(&e))?;
    if let Some(values) = &statement.values {
        for (i, v) in values.0.iter().enumerate() {
            let v = bound(v).map_err(|e| DbErr::Custom(e.to_string()))?;
            prepared
                .raw_bind_parameter(i + 1, v)
                .map_err(|e| db_err(&e))?;
        }
    }
    Ok(prepared)
}

/// The Rust value a column holds, as the entities declare it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    BigInt,
    Bool,
    Uuid,
    Json,
    Time,
    Text,
}

impl Kind {
    fn of(t: &ColumnType) -> Option<Self> {
        Some(match t {
            ColumnType::Integer => Kind::Int,
            ColumnType::BigInteger => Kind::BigInt,
            ColumnType::Boolean => Kind::Bool,
            ColumnType::Uuid => Kind::Uuid,
            ColumnType::Json | ColumnType::JsonBinary => Kind::Json,
            ColumnType::TimestampWithTimeZone | ColumnType::Timestamp | ColumnType::DateTime => {
                Kind::Time
            }
            ColumnType::String(_) | ColumnType::Text | ColumnType::Char(_) => Kind::Text,
            _ => return None,
        })
    }

    fn null(self) -> Value {
        match self {
            Kind::Int => Value::Int(None),
            Kind::BigInt => Value::BigInt(None),
            Kind::Bool => Value::Bool(None),
            Kind::Uuid => Value::Uuid(None),
            Kind::Json => Value::Json(None),
            Kind::Time => Value::ChronoDateTimeUtc(None),
            Kind::Text => Value::String(None),
        }
    }
}

/// Column names and the kinds of value the entities hold in columns of that name.
struct Kinds(HashMap<&'static str, Vec<Kind>>);

impl Kinds {
    fn of_entities() -> Self {
        use entity::*;
        let mut kinds = Kinds(HashMap::new());
        kinds.add::<activity::Entity>();
        kinds.add::<api_token::Entity>();
        kinds.add::<campaign::Entity>();
        kinds.add::<deleted_lead::Entity>();
        kinds.add::<event::Entity>();
        kinds.add::<invitation::Entity>();
        kinds.add::<lead::Entity>();
        kinds.add::<lead_count::Entity>();
        kinds.add::<lead_import::Entity>();
        kinds.add::<membership::Entity>();
        kinds.add::<session::Entity>();
        kinds.add::<user::Entity>();
        kinds.add::<webhook::Entity>();
        kinds.add::<webhook_delivery::Entity>();
        kinds.add::<workspace::Entity>();
        kinds
    }

    fn add<E: EntityTrait>(&mut self) {
        for c in E::Column::iter() {
            if let Some(kind) = Kind::of(c.def().get_column_type()) {
                let known = self.0.entry(c.as_str()).or_default();
                if !known.contains(&kind) {
                    known.push(kind);
                }
            }
        }
    }

    /// The first of `wanted` that a column named `name` holds somewhere.
    fn pick(&self, name: &str, wanted: &[Kind]) -> Option<Kind> {
        let known = self.0.get(name)?;
        wanted.iter().copied().find(|k| known.contains(k))
    }

    /// Column `name`'s `value` as the entities that have such a column hold it, or as SQLite
    /// stored it when none does. A value that does not fit its column's kind is an error,
    /// not a NULL (SeaORM reads a mismatch in an `Option` field as `None`).
    fn decode(&self, name: &str, value: ValueRef<'_>) -> Result<Value, DbErr> {
        let unfit = |what: &dyn std::fmt::Display| DbErr::Type(format!("column {name}: {what}"));
        Ok(match value {
            ValueRef::Null => self
                .0
                .get(name)
                .and_then(|k| k.first())
                .map_or(Value::String(None), |k| k.null()),
            ValueRef::Integer(n) => match self.pick(name, &[Kind::Int, Kind::BigInt, Kind::Bool]) {
                Some(Kind::Int) => Value::from(i32::try_from(n).map_err(|e| unfit(&e))?),
                Some(Kind::Bool) => Value::Bool(Some(n != 0)),
                _ => Value::BigInt(Some(n)),
            },
            ValueRef::Real(f) => Value::Double(Some(f)),
            ValueRef::Text(t) => {
                let text = std::str::from_utf8(t).map_err(|e| unfit(&e))?;
                match self.pick(name, &[Kind::Time, Kind::Json, Kind::Uuid]) {
                    Some(Kind::Time) => Value::from(parse_time(text).map_err(|e| unfit(&e))?),
                    Some(Kind::Json) => Value::from(
                        serde_json::from_str::<serde_json::Value>(text).map_err(|e| unfit(&e))?,
                    ),
                    Some(Kind::Uuid) => {
                        Value::from(uuid::Uuid::parse_str(text).map_err(|e| unfit(&e))?)
                    }
                    _ => Value::from(text.to_owned()),
                }
            }
            ValueRef::Blob(b) => match self.pick(name, &[Kind::Uuid]) {
                Some(_) => Value::from(uuid::Uuid::from_slice(b).map_err(|e| unfit(&e))?),
                None => Value::Bytes(Some(b.to_vec())),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A column name stands for one kind of value per way SQLite stores it (UUIDs are
    /// blobs, but their text form would be read as one too): otherwise a value read in a
    /// write could be decoded as another entity's column of that name.
    #[test]
    fn a_column_name_holds_one_kind_per_storage_class() {
        let kinds = Kinds::of_entities();
        for (name, known) in &kinds.0 {
            let integers = [Kind::Int, Kind::BigInt, Kind::Bool];
            let texts = [Kind::Time, Kind::Json, Kind::Text, Kind::Uuid];
            for class in [&integers[..], &texts[..]] {
                let n = known.iter().filter(|k| class.contains(k)).count();
                assert!(n <= 1, "column {name} holds {known:?}");
            }
        }
    }

    #[test]
    fn values_decode_as_the_entities_hold_them() {
        let kinds = Kinds::of_entities();
        let decoded = |name: &str, v: ValueRef<'_>| match kinds.decode(name, v) {
            Ok(v) => v,
            Err(e) => panic!("{name}: {e}"),
        };
        let id = uuid::Uuid::now_v7();
        assert_eq!(
            decoded("id", ValueRef::Blob(id.as_bytes())),
            Value::from(id)
        );
        assert_eq!(
            decoded("attempt", ValueRef::Integer(3)),
            Value::Int(Some(3))
        );
        assert_eq!(
            decoded("last_seq", ValueRef::Integer(3)),
            Value::BigInt(Some(3))
        );
        assert_eq!(
            decoded("enabled", ValueRef::Integer(1)),
            Value::Bool(Some(true))
        );
        assert_eq!(
            decoded("status", ValueRef::Text(b"new")),
            Value::from("new")
        );
        assert_eq!(
            decoded("status", ValueRef::Integer(200)),
            Value::Int(Some(200))
        );
        let at = "2026-12-04T10:00:00.123Z";
        assert_eq!(
            decoded("created_at", ValueRef::Text(at.as_bytes())),
            Value::from(parse_time(at).ok())
        );
        assert_eq!(
            decoded("rooms", ValueRef::Text(b"[\"leads\"]")),
            Value::from(serde_json::json!(["leads"]))
        );
        assert_eq!(
            decoded("revoked_at", ValueRef::Null),
            Value::ChronoDateTimeUtc(None)
        );
        // No entity has it: as stored.
        assert_eq!(
            decoded("num_items", ValueRef::Integer(7)),
            Value::BigInt(Some(7))
        );
    }

    /// A value that does not fit its column is an error: read as NULL, an unreadable
    /// expiry would mean "never expires".
    #[test]
    fn a_value_that_does_not_fit_its_column_is_an_error() {
        let kinds = Kinds::of_entities();
        for (name, value) in [
            ("expires_at", ValueRef::Text(b"next tuesday")),
            ("id", ValueRef::Blob(b"short")),
            ("rooms", ValueRef::Text(b"{not json")),
            ("attempt", ValueRef::Integer(i64::MAX)),
            ("name", ValueRef::Text(b"\xff\xfe")),
        ] {
            assert!(kinds.decode(name, value).is_err(), "{name} decoded");
        }
    }
}
