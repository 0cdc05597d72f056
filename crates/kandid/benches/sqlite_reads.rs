//! What one lead-list read costs on SQLite through each way of running statements, on the
//! same database file, in one process: the list's two statements (the kept count and the
//! page, as the store builds them) over SeaORM and sqlx's pool (each statement and each row
//! crosses to sqlx's connection thread and back), the same on `rusqlite` on the calling
//! thread, with and without plans independent of the bound values (QPSG: without it SQLite
//! plans a statement again whenever its `LIMIT ?` is bound anew), and the store's
//! `list_leads`, which runs them on its reader threads (one hop there and back per list).
//!
//! Usage: `cargo bench -p kandid --bench sqlite_reads -- <database file> [reads]`, on a
//! database seeded by `kandid-bench seed` (tests/bench/db.sh leaves one). It lists the
//! campaign with the most leads, 50 per page, newest first, as `GET /api/leads` does, and
//! prints wall time per read (p50, p99) and the process's CPU time per read (all its
//! threads: sqlx's and the readers' too).

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use kandid::db::{PoolSettings, connect};
use kandid_bench::procstat::cpu_seconds;
use kandid_store::entity::lead;
use kandid_store::{
    EventSink, LeadFilter, Named, PageRequest, Revoked, SearchPath, Store, StoredEvent,
};
use sea_orm::sea_query::Value;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, Statement};
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

const LIMIT: u64 = 50;

struct NoEvents;

impl EventSink for NoEvents {
    fn reserve(&self, _: Uuid, _: i64) {}
    fn cancel(&self, _: Uuid, _: i64) {}
    fn publish(&self, _: StoredEvent) {}
    fn revoke(&self, _: Revoked) {}
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let path = args
        .next()
        .context("usage: sqlite_reads <database file> [reads]")?;
    let reads: usize = args.next().map_or(Ok(3000), |n| n.parse())?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(run(&path, reads))
}

async fn run(path: &str, reads: usize) -> Result<()> {
    let conn = open(path)?;
    let (ws, campaign, leads): (Uuid, Uuid, i64) = conn.query_row(
        "SELECT workspace_id, campaign_id, count(*) FROM leads \
         GROUP BY workspace_id, campaign_id ORDER BY 3 DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    println!("{path}: campaign {campaign} with {leads} leads, {reads} reads of {LIMIT}");

    let settings = PoolSettings {
        max_connections: 16,
        timeout: Duration::from_secs(10),
        wait: Duration::ZERO,
    };
    let db = connect(&format!("sqlite://{path}"), settings).await?;
    let store = Store::new(db.clone(), Arc::new(NoEvents));
    let filter = LeadFilter {
        campaign_id: Some(campaign),
        ..LeadFilter::default()
    };
    let page = PageRequest {
        limit: LIMIT,
        ..PageRequest::default()
    };

    // Each way runs twice, alternated, so a warm cache or a busy moment favours none.
    for round in 1..=2 {
        let via_sqlx = measure(reads, || async {
            let (n, total) = list_on_pool(&db, &store, ws, &filter, &page).await?;
            check(n, total == leads)
        })
        .await?;
        report(round, "SeaORM + sqlx pool", &via_sqlx);

        let here = measure(reads, || async {
            let (n, total) = list(&conn, &store, ws, &filter, &page)?;
            check(n, total == leads)
        })
        .await?;
        report(round, "rusqlite, calling thread", &here);

        let qpsg = open(path)?;
        qpsg.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )?;
        let stable = measure(reads, || async {
            let (n, total) = list(&qpsg, &store, ws, &filter, &page)?;
            check(n, total == leads)
        })
        .await?;
        report(round, "rusqlite + QPSG", &stable);

        let readers = measure(reads, || async {
            let p = store.list_leads(ws, &filter, &page).await?;
            check(p.data.len(), u64::try_from(leads)? == p.total)
        })
        .await?;
        report(round, "Store::list_leads (readers)", &readers);
    }
    Ok(())
}

fn check(rows: usize, total_right: bool) -> Result<()> {
    if rows != usize::try_from(LIMIT)? || !total_right {
        bail!("a read returned {rows} rows or a wrong total");
    }
    Ok(())
}

/// The connection as the server's pool opens it (WAL, foreign keys, busy timeout).
fn open(path: &str) -> Result<rusqlite::Connection> {
    let c = rusqlite::Connection::open(path)?;
    c.pragma_update(None, "foreign_keys", true)?;
    c.busy_timeout(Duration::from_secs(10))?;
    Ok(c)
}

/// `list_leads` for a filter without text: the kept count, then the page, each statement
/// as the store builds it, every row decoded into the entity's model.
fn list(
    c: &rusqlite::Connection,
    store: &Store,
    ws: Uuid,
    f: &LeadFilter,
    page: &PageRequest,
) -> Result<(usize, i64)> {
    let total: i64 = c.prepare_cached(KEPT_COUNT)?.query_row(
        rusqlite::params![ws, f.campaign_id.context("no campaign")?],
        |r| r.get(0),
    )?;
    let stmt = store.list_leads_statement(ws, f, page, SearchPath::Walk, &Named::Index);
    let mut prepared = c.prepare_cached(&stmt.sql)?;
    let values = stmt.values.map(|v| v.0).unwrap_or_default();
    for (i, v) in values.iter().enumerate() {
        prepared.raw_bind_parameter(i + 1, bound(v)?)?;
    }
    let mut rows = prepared.raw_query();
    let mut page_rows = Vec::with_capacity(usize::try_from(LIMIT)? + 1);
    while let Some(r) = rows.next()? {
        page_rows.push(model(r)?);
    }
    Ok((page_rows.len().min(usize::try_from(LIMIT)?), total))
}

const KEPT_COUNT: &str =
    "SELECT COALESCE(SUM(n), 0) AS n FROM lead_counts WHERE workspace_id = ? AND campaign_id = ?";

/// `list` over SeaORM and sqlx's pool, as `list_leads` ran before it had readers.
async fn list_on_pool(
    db: &DatabaseConnection,
    store: &Store,
    ws: Uuid,
    f: &LeadFilter,
    page: &PageRequest,
) -> Result<(usize, i64)> {
    let kept = Statement::from_sql_and_values(
        DatabaseBackend::Sqlite,
        KEPT_COUNT,
        [ws.into(), f.campaign_id.context("no campaign")?.into()],
    );
    let total: i64 = match db.query_one_raw(kept).await? {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    let stmt = store.list_leads_statement(ws, f, page, SearchPath::Walk, &Named::Index);
    let rows = lead::Entity::find().from_raw_sql(stmt).all(db).await?;
    Ok((rows.len().min(usize::try_from(LIMIT)?), total))
}

/// A value bound as sqlx binds it on SQLite: UUIDs as 16-byte blobs, times as RFC 3339 text.
fn bound(v: &Value) -> Result<rusqlite::types::Value> {
    use rusqlite::types::Value as R;
    Ok(match v {
        Value::Uuid(Some(u)) => R::Blob(u.as_bytes().to_vec()),
        Value::String(Some(s)) => R::Text(s.clone()),
        Value::BigInt(Some(n)) => R::Integer(*n),
        Value::BigUnsigned(Some(n)) => R::Integer(i64::try_from(*n)?),
        Value::Int(Some(n)) => R::Integer(i64::from(*n)),
        Value::Bool(Some(b)) => R::Integer(i64::from(*b)),
        Value::ChronoDateTimeUtc(Some(t)) => {
            R::Text(t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false))
        }
        other => bail!("no binding for {other:?}"),
    })
}

fn time(r: &rusqlite::Row<'_>, i: usize) -> Result<DateTime<Utc>> {
    let s: String = r.get(i)?;
    Ok(DateTime::parse_from_rfc3339(&s)?.with_timezone(&Utc))
}

fn model(r: &rusqlite::Row<'_>) -> Result<lead::Model> {
    let last: Option<String> = r.get(13)?;
    Ok(lead::Model {
        id: r.get(0)?,
        workspace_id: r.get(1)?,
        campaign_id: r.get(2)?,
        name: r.get(3)?,
        email: r.get(4)?,
        email_key: r.get(5)?,
        search_key: r.get(6)?,
        company: r.get(7)?,
        title: r.get(8)?,
        linkedin_url: r.get(9)?,
        status: r.get(10)?,
        connection_status: r.get(11)?,
        notes: r.get(12)?,
        last_activity_at: last
            .map(|s| DateTime::parse_from_rfc3339(&s).map(|t| t.with_timezone(&Utc)))
            .transpose()?,
        version: r.get(14)?,
        created_at: time(r, 15)?,
        updated_at: time(r, 16)?,
        import_id: r.get(17)?,
    })
}

struct Measured {
    p50: Duration,
    p99: Duration,
    cpu_per_read: Duration,
}

async fn measure<F, Fut>(reads: usize, mut read: F) -> Result<Measured>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    for _ in 0..reads / 10 {
        read().await?;
    }
    let mut walls = Vec::with_capacity(reads);
    let cpu0 = cpu_seconds(None)?;
    for _ in 0..reads {
        let t = Instant::now();
        read().await?;
        walls.push(t.elapsed());
    }
    let cpu = cpu_seconds(None)? - cpu0;
    walls.sort();
    let at = |q: f64| {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        walls[((walls.len() - 1) as f64 * q) as usize]
    };
    #[allow(clippy::cast_precision_loss)]
    Ok(Measured {
        p50: at(0.5),
        p99: at(0.99),
        cpu_per_read: Duration::from_secs_f64(cpu / reads as f64),
    })
}

fn report(round: u32, what: &str, m: &Measured) {
    println!(
        "round {round}  {what:<28} p50 {:>7.1} µs  p99 {:>7.1} µs  CPU {:>6.1} µs/read",
        m.p50.as_secs_f64() * 1e6,
        m.p99.as_secs_f64() * 1e6,
        m.cpu_per_read.as_secs_f64() * 1e6
    );
}
