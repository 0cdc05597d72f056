//! Query plans of the lead list: every filter × sort, with and without `q` and a cursor,
//! is served by an index walked in the sort's order; none scans the table or sorts every
//! matching row. A change that silently falls back to a scan fails here, long before a
//! workspace with 100 000 leads notices. A SQLite search may also take the candidates
//! path, which fetches only the rows the trigram index names, by rowid; its total is
//! explained on both paths too, with the candidates from the trigram index itself and
//! listed beforehand (as a reader sends them once it has read them).

use chrono::{DateTime, TimeDelta, Utc};
use kandid::sea_orm::{
    ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement, TransactionTrait,
};
use kandid_domain::{ConnectionStatus, LeadStatus};
use kandid_store::{Cursor, LeadFilter, Named, PageRequest, SearchPath, Sort, SortField, Store};
use kandid_tests::{NoEvents, TestApp, id};
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

/// Every combination of the list's filters, with a query of `q` when given.
fn filters(campaign: Uuid, q: Option<&str>) -> Vec<LeadFilter> {
    let mut all = Vec::new();
    for bits in 0..8u8 {
        all.push(LeadFilter {
            campaign_id: (bits & 1 != 0).then_some(campaign),
            status: (bits & 2 != 0).then_some(LeadStatus::Contacted),
            connection_status: (bits & 4 != 0).then_some(ConnectionStatus::Connected),
            q: q.map(str::to_owned),
        });
    }
    all
}

/// Every sort, ascending and descending, on the first page and after a cursor at this
/// time or name.
fn pages(at: DateTime<Utc>, name: &str) -> Vec<PageRequest> {
    let mut all = Vec::new();
    for field in [SortField::CreatedAt, SortField::UpdatedAt, SortField::Name] {
        for desc in [false, true] {
            let sort = Sort { field, desc };
            let cursor = Cursor {
                field,
                desc,
                time: (field != SortField::Name).then_some(at),
                text: (field == SortField::Name).then(|| name.to_owned()),
                id: Uuid::now_v7(),
            };
            for cursor in [None, Some(cursor)] {
                all.push(PageRequest {
                    sort,
                    limit: 50,
                    cursor,
                });
            }
        }
    }
    all
}

/// The value, or a panic naming what failed.
#[track_caller]
fn ok<T, E: std::fmt::Display>(r: Result<T, E>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{what}: {e}"),
    }
}

/// The plan's lines: SQLite's `detail` column, as a reader connection of the store (which
/// runs the lists) plans; PostgreSQL's text lines.
async fn explain(db: &DatabaseConnection, store: &Store, stmt: &Statement) -> Vec<String> {
    if let Some(plan) = ok(store.reader_plan(stmt).await, &stmt.sql) {
        return plan;
    }
    let backend = db.get_database_backend();
    let (prefix, column) = match backend {
        DatabaseBackend::Postgres => ("EXPLAIN", "QUERY PLAN"),
        _ => ("EXPLAIN QUERY PLAN", "detail"),
    };
    let explain = Statement {
        sql: format!("{prefix} {}", stmt.sql),
        values: stmt.values.clone(),
        db_backend: backend,
    };
    // SET LOCAL: the setting ends with the transaction and applies to its connection.
    let txn = ok(db.begin().await, "begin");
    if backend == DatabaseBackend::Postgres {
        // In a table of a few rows a sequential scan is the cheapest plan whatever the
        // indexes; turned off (it only becomes very expensive) the planner shows how an
        // index serves the query, which is the question.
        ok(
            txn.execute_unprepared("SET LOCAL enable_seqscan = off")
                .await,
            "SET",
        );
    }
    let rows = ok(txn.query_all_raw(explain).await, &stmt.sql);
    let lines = rows
        .iter()
        .map(|r| ok(r.try_get::<String>("", column), column))
        .collect();
    ok(txn.rollback().await, "rollback");
    lines
}

/// Whether `q` is long enough for the trigram index (shorter ones have no trigram).
fn searches(f: &LeadFilter) -> bool {
    f.q.as_deref().is_some_and(|q| q.chars().count() >= 3)
}

/// SQLite: every access to `leads` is a SEARCH bounded by the campaign when the list is
/// filtered by one (a campaign may be a sliver of a big workspace), else by the workspace;
/// no temporary b-tree sorts the rows; `q` goes through the candidates `named` names.
/// SQLite has no statistics here (nothing runs ANALYZE), so these are the plans of a
/// database with 100 000 leads too.
fn sqlite_problems(f: &LeadFilter, plan: &[String], named: &Named) -> Vec<String> {
    let mut problems = Vec::new();
    let bound = if f.campaign_id.is_some() {
        "(campaign_id=?"
    } else {
        "(workspace_id=?"
    };
    for line in plan {
        let on_leads = line.contains(" leads ") || line.ends_with(" leads");
        if on_leads && !(line.starts_with("SEARCH leads USING") && line.contains(bound)) {
            problems.push(format!("not an index search bounded by {bound}: {line}"));
        }
        if line.contains("TEMP B-TREE") {
            problems.push(format!("sorts the rows: {line}"));
        }
    }
    let source = source(named);
    if searches(f) && !plan.iter().any(|l| l.contains(source)) {
        problems.push(format!("q does not read its candidates from {source}"));
    }
    problems
}

/// The plan's line of where a search's candidates come from.
fn source(named: &Named) -> &'static str {
    match named {
        Named::Index => "leads_search VIRTUAL TABLE",
        Named::Listed(_) => "json_each VIRTUAL TABLE",
    }
}

/// SQLite's candidates path: the trigram index names the rows and each is fetched by its
/// rowid; no index of `leads` is walked and nothing is scanned. The matches are sorted
/// (a temporary b-tree), which is the point: there are few of them.
fn candidates_problems(_: &LeadFilter, plan: &[String], named: &Named) -> Vec<String> {
    let mut problems = Vec::new();
    for line in plan {
        let on_leads = line.contains(" leads ") || line.ends_with(" leads");
        if on_leads && !line.starts_with("SEARCH leads USING INTEGER PRIMARY KEY (rowid=?)") {
            problems.push(format!("not a fetch by rowid: {line}"));
        }
    }
    let source = source(named);
    if !plan.iter().any(|l| l.contains(source)) {
        problems.push(format!("the candidates are not read from {source}"));
    }
    problems
}

/// PostgreSQL: no sequential scan of `leads`; with a campaign filter, rows come through
/// an index condition on the campaign (or the trigram index); no Sort without `q`.
///
/// Sorts, honestly: PostgreSQL plans from statistics, so a plan on a test table is not
/// the plan on 100 000 rows. With seq scans off and no rows, the planner walks an index
/// whenever one delivers the order, so a Sort in a list without `q` means no index does
/// and every row of the filters would be read and sorted: a failure. With `q`, a Sort
/// only ever sees rows that passed the LIKE, i.e. the search's matches: when statistics
/// say they are few, fetching them through the trigram index (which has no order) and
/// sorting them is the right plan, so a Sort is accepted there.
fn postgres_problems(f: &LeadFilter, plan: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    let text = plan.join("\n");
    if text.contains("Seq Scan on leads") {
        problems.push("sequential scan of leads".into());
    }
    if text.contains("Sort") && !searches(f) {
        problems.push("sorts every matching row".into());
    }
    let by_campaign = text.contains("idx_leads_search_trgm")
        || plan.iter().any(|l| {
            (l.contains("Index Cond:") || l.contains("Recheck Cond:"))
                && l.contains("campaign_id = '")
        });
    if f.campaign_id.is_some() && !by_campaign {
        problems.push("rows are not fetched by campaign".into());
    }
    problems
}

/// Explains every page of every filter (and, on SQLite, a search's total) and returns the
/// number of pages explained and the plans that break the rules.
async fn check(
    db: &DatabaseConnection,
    store: &Store,
    ws: Uuid,
    filters: &[LeadFilter],
    pages: &[PageRequest],
    (path, named): (SearchPath, &Named),
    problems: impl Fn(&LeadFilter, &[String]) -> Vec<String>,
) -> (usize, Vec<String>) {
    let mut checked = 0;
    let mut failures = Vec::new();
    for f in filters {
        let mut statements: Vec<(String, Statement)> = pages
            .iter()
            .map(|page| {
                let what = format!("{:?}, cursor: {}", page.sort, page.cursor.is_some());
                (what, store.list_leads_statement(ws, f, page, path, named))
            })
            .collect();
        checked += statements.len();
        // A search's total is a statement of its own (one per filter: no page, no cursor).
        if db.get_database_backend() == DatabaseBackend::Sqlite && searches(f) {
            let total = store.list_leads_count_statement(ws, f, path, named);
            statements.push(("the total".into(), total));
        }
        for (what, stmt) in statements {
            let plan = explain(db, store, &stmt).await;
            let found = problems(f, &plan);
            if !found.is_empty() {
                failures.push(format!(
                    "{f:?}, {what}: {}\n  {}\n  {}",
                    found.join("; "),
                    stmt.sql,
                    plan.join("\n  ")
                ));
            }
        }
    }
    (checked, failures)
}

/// Gives PostgreSQL statistics of a workspace where "lovelace" is rare: 5 000 leads in
/// the campaign, one a second back from now, none of them matching.
async fn seed_postgres(db: &DatabaseConnection, ws: Uuid, campaign: Uuid) {
    let sql = format!(
        "INSERT INTO leads (id, workspace_id, campaign_id, name, email, email_key, search_key,
            company, title, status, connection_status, version, created_at, updated_at)
         SELECT gen_random_uuid(), '{ws}', '{campaign}', 'Person ' || i, 'p' || i || '@example.com',
            'p' || i || '@example.com', 'person ' || i || E'\n' || 'p' || i || '@example.com'
            || E'\n' || 'company ' || (i % 300) || E'\n' || 'engineer',
            'Company ' || (i % 300), 'Engineer',
            (ARRAY['pending','contacted','responded','converted','do_not_contact'])[1 + i % 5],
            (ARRAY['not_connected','pending','connected'])[1 + i % 3],
            1, now() - i * interval '1 second', now() - i * interval '1 second'
         FROM generate_series(1, 5000) AS i"
    );
    ok(db.execute_unprepared(&sql).await, &sql);
    ok(db.execute_unprepared("ANALYZE leads").await, "ANALYZE");
}

#[tokio::test]
async fn every_lead_list_is_served_by_an_index() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let campaign: Uuid = ok(id(&c).parse(), "campaign id");
    let db = ok(Database::connect(&app.database_url).await, "connect");
    let store = Store::new(db.clone(), Arc::new(NoEvents));
    let postgres = db.get_database_backend() == DatabaseBackend::Postgres;

    // A query long enough for trigrams, and one too short, which reads the rows it walks.
    let all: Vec<LeadFilter> = [None, Some("lovelace"), Some("lo")]
        .into_iter()
        .flat_map(|q| filters(campaign, q))
        .collect();
    let pages_now = pages(Utc::now(), "Mallory");
    let ws = s.workspace_id;
    // PostgreSQL has no readers: its statements query the trigram index themselves.
    let index = Named::Index;
    let (checked, mut failures) = check(
        &db,
        &store,
        ws,
        &all,
        &pages_now,
        (SearchPath::Walk, &index),
        |f, plan| {
            if postgres {
                postgres_problems(f, plan)
            } else {
                sqlite_problems(f, plan, &index)
            }
        },
    )
    .await;
    assert_eq!(checked, 3 * 8 * 12, "every combination was explained");

    if !postgres {
        // Candidates listed beforehand, on the walk, and on the candidates path of every
        // search long enough for trigrams (which only ever has them listed).
        let listed = Named::Listed("[1,2,3]".into());
        let (n, more) = check(
            &db,
            &store,
            ws,
            &all,
            &pages_now,
            (SearchPath::Walk, &listed),
            |f, plan| sqlite_problems(f, plan, &listed),
        )
        .await;
        assert_eq!(
            n,
            3 * 8 * 12,
            "every walk was explained with listed candidates"
        );
        failures.extend(more);
        let searching = filters(campaign, Some("lovelace"));
        let (n, more) = check(
            &db,
            &store,
            ws,
            &searching,
            &pages_now,
            (SearchPath::Candidates, &listed),
            |f, plan| candidates_problems(f, plan, &listed),
        )
        .await;
        assert_eq!(
            n,
            8 * 12,
            "every search was explained on the candidates path"
        );
        failures.extend(more);
    } else {
        // With statistics that say `q` is selective, the trigram index must be the plan,
        // at least where no other index narrows the rows (with `status` or
        // `connection_status`, a bitmap of the campaign and status index can be as good).
        seed_postgres(&db, ws, campaign).await;
        let searching: Vec<LeadFilter> = filters(campaign, Some("lovelace"))
            .into_iter()
            .filter(|f| f.status.is_none() && f.connection_status.is_none())
            .collect();
        // Cursors in the middle of the seeded rows, so half of them remain after the cursor.
        let middle = pages(Utc::now() - TimeDelta::seconds(2500), "Person 5");
        let (_, more) = check(
            &db,
            &store,
            ws,
            &searching,
            &middle,
            (SearchPath::Walk, &index),
            |f, plan| {
                let mut found = postgres_problems(f, plan);
                if !plan.iter().any(|l| l.contains("idx_leads_search_trgm")) {
                    found.push("q does not use the trigram index idx_leads_search_trgm".into());
                }
                found
            },
        )
        .await;
        failures.extend(more);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
