//! Leads: workspace-scoped reads and mutations, and bulk import.

use crate::counts;
use crate::diff::{Diff, to_json};
use crate::entity::{lead, workspace};
use crate::error::{Result, StoreError};
use crate::page::{PageOf, PageRequest, SortColumns, finish_page};
use crate::query::{LeadFilter, check_if_match, contains, find_campaign, search_key};
use crate::sqlite;
use crate::tx::{Change, Outcome, WriteTx, lead_rooms};
use crate::{Actor, Store};
use chrono::{DateTime, Utc};
use kandid_domain::input::{LeadPatch, NewLead};
use kandid_domain::views::{EntityType, LeadView};
use kandid_domain::{Action, Precondition};
use sea_orm::sea_query::{Expr, SimpleExpr, Value};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait,
    ExprTrait, IdenStatic, IntoActiveModel, PaginatorTrait, QueryFilter, QuerySelect, QueryTrait,
    Select, Statement,
};
use std::collections::{BTreeSet, HashSet};
use uuid::Uuid;

/// Result of an import: rows created and rows skipped as duplicates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    pub created: u64,
    pub skipped: u64,
}

const SORT: SortColumns<lead::Column> = SortColumns {
    created_at: lead::Column::CreatedAt,
    updated_at: lead::Column::UpdatedAt,
    name: lead::Column::Name,
    id: lead::Column::Id,
};

/// Rows per INSERT of many leads, largest first. Every distinct row count is a statement of
/// its own, which each connection prepares and keeps in its statement cache (a 1 000-row
/// one takes over a megabyte on SQLite); writing any number of rows with statements of
/// these sizes only keeps those few. 1 000 rows of 17 columns stay far below SQLite's and
/// PostgreSQL's bind limits.
pub(crate) const INSERT_SIZES: [usize; 4] = [1000, 100, 10, 1];

/// Inserts new leads, with statements of `INSERT_SIZES` rows only. The rows are built as
/// each statement takes them, not all at once.
pub(crate) async fn insert_leads<C, I>(db: &C, models: I) -> Result<()>
where
    C: ConnectionTrait,
    I: IntoIterator<Item = lead::ActiveModel>,
    I::IntoIter: ExactSizeIterator,
{
    let mut models = models.into_iter();
    let mut left = models.len();
    while left > 0 {
        let size = statement_rows(left);
        lead::Entity::insert_many(models.by_ref().take(size))
            .exec_without_returning(db)
            .await?;
        left -= size;
    }
    Ok(())
}

/// Rows of the next INSERT when `left` rows remain: the largest of `INSERT_SIZES` that fits.
fn statement_rows(left: usize) -> usize {
    INSERT_SIZES.into_iter().find(|s| *s <= left).unwrap_or(1)
}

/// The leads of workspace `ws` that anyone may see: on SQLite, not the rows of an import
/// still being staged (see `imports`).
fn scoped(backend: DatabaseBackend, ws: Uuid) -> Select<lead::Entity> {
    scoped_on(backend, ws, SearchPath::Walk)
}

/// `scoped`, with the workspace's condition for `path` (see `equals`).
fn scoped_on(backend: DatabaseBackend, ws: Uuid, path: SearchPath) -> Select<lead::Entity> {
    let q = lead::Entity::find().filter(equals(lead::Column::WorkspaceId, ws, path));
    if backend == DatabaseBackend::Sqlite {
        q.filter(visible())
    } else {
        q
    }
}

/// A lead row is visible unless the import that staged it is still listed in
/// `lead_imports`. (Rows never staged have no `import_id`; PostgreSQL stages nothing.) The
/// subquery is evaluated once per statement, and is empty unless an import is under way.
pub(crate) fn visible() -> SimpleExpr {
    Expr::cust(
        r#"("leads"."import_id" IS NULL OR "leads"."import_id" NOT IN (SELECT "id" FROM "lead_imports"))"#,
    )
}

async fn find_in<C: ConnectionTrait>(db: &C, ws: Uuid, id: Uuid) -> Result<lead::Model> {
    scoped(db.get_database_backend(), ws)
        .filter(lead::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The target campaign of a lead write must exist in the workspace; otherwise it is the
/// same 422 whether it never existed or belongs to someone else.
async fn require_campaign<C: ConnectionTrait>(db: &C, ws: Uuid, id: Uuid) -> Result<()> {
    match find_campaign(db, ws, id).await {
        Ok(_) => Ok(()),
        Err(StoreError::NotFound) => Err(StoreError::field(
            "campaign_id",
            "not_found",
            "no such campaign",
        )),
        Err(e) => Err(e),
    }
}

fn view(m: lead::Model) -> Result<LeadView> {
    let bad = || StoreError::Corrupt(format!("lead {} status", m.id));
    Ok(LeadView {
        id: m.id,
        campaign_id: m.campaign_id,
        status: m.status.parse().map_err(|_| bad())?,
        connection_status: m.connection_status.parse().map_err(|_| bad())?,
        name: m.name,
        email: m.email,
        company: m.company,
        title: m.title,
        linkedin_url: m.linkedin_url,
        notes: m.notes,
        last_activity_at: m.last_activity_at,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

pub(crate) fn lead_search_key(
    name: &str,
    email: Option<&str>,
    company: Option<&str>,
    title: Option<&str>,
) -> String {
    search_key([Some(name), email, company, title])
}

pub(crate) fn new_model(ws: Uuid, l: NewLead, now: DateTime<Utc>) -> lead::ActiveModel {
    lead::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(ws),
        campaign_id: Set(l.campaign_id),
        email_key: Set(l.email.as_deref().map(str::to_lowercase)),
        search_key: Set(lead_search_key(
            &l.name,
            l.email.as_deref(),
            l.company.as_deref(),
            l.title.as_deref(),
        )),
        name: Set(l.name),
        email: Set(l.email),
        company: Set(l.company),
        title: Set(l.title),
        linkedin_url: Set(l.linkedin_url),
        status: Set(l.status.as_str().to_owned()),
        connection_status: Set(l.connection_status.as_str().to_owned()),
        notes: Set(l.notes),
        last_activity_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        import_id: Set(None),
    }
}

/// Characters of the shortest query the trigram index can answer.
const TRIGRAM: usize = 3;

/// How a search on SQLite reaches its rows.
///
/// The trigram index (`leads_search`) knows every workspace's rows and has no order; the
/// list's indexes know one campaign's (or workspace's) rows in the page's order. A `Walk`
/// steps through the list's index and keeps the entries whose rowid the trigram index
/// named: cheap per entry, but it reads the whole campaign for a total, and for a page
/// as far as it takes to find one. `Candidates` fetches each row the trigram index named by
/// its rowid and sorts what passes: about `ROW_FETCH` entries' worth per row, but nothing
/// else is read. `list_leads` picks the cheaper for the total and for the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchPath {
    Walk,
    Candidates,
}

/// What fetching a row by rowid costs against stepping to the next entry of an index and
/// checking its rowid against the candidates (measured at 1M leads: ≈ 1.1 µs against
/// ≈ 0.19 µs). A walk also fetches each candidate it meets in its scope, which this leaves
/// out: a walk is only taken when it stays cheaper with none of them in scope, so a wrong
/// guess costs at most about twice the better path.
const ROW_FETCH: u64 = 6;

impl SearchPath {
    /// The cheaper path to count every match, with `candidates` rows named by the trigram
    /// index and `scope` leads in the walked index.
    fn for_total(candidates: u64, scope: u64) -> Self {
        if candidates.saturating_mul(ROW_FETCH) < scope {
            Self::Candidates
        } else {
            Self::Walk
        }
    }

    /// The cheaper path to the first `rows` matches: a walk goes until it has found them,
    /// as far as the share of candidates in the scope suggests.
    fn for_page(candidates: u64, scope: u64, rows: u64) -> Self {
        let walk = Ord::min(scope, rows.saturating_mul(scope) / Ord::max(candidates, 1));
        if candidates.saturating_mul(ROW_FETCH) < walk {
            Self::Candidates
        } else {
            Self::Walk
        }
    }
}

/// `col = value`, usable by an index or, on the candidates path, not: with the unary `+`
/// SQLite cannot walk an index by it, so it fetches the trigram index's rows by rowid.
fn equals(col: lead::Column, value: impl Into<Value>, path: SearchPath) -> SimpleExpr {
    match path {
        SearchPath::Walk => col.eq(value),
        SearchPath::Candidates => Expr::cust_with_values(
            format!(r#"+"leads"."{}" = ?"#, IdenStatic::as_str(&col)),
            [value.into()],
        ),
    }
}

/// The trigram index's query for `text` (lower-cased, at least `TRIGRAM` characters):
/// rows holding every trigram of it. The index has no positions (see the migration), so
/// this is a superset of the rows where `text` is a substring, and the LIKE keeps exactly
/// those. Each trigram is an FTS5 string: inside double quotes everything is literal but
/// `"`, doubled; strings side by side must all match.
fn trigram_query(key: &[char]) -> String {
    let trigrams: BTreeSet<String> = key
        .windows(TRIGRAM)
        .map(|w| format!("\"{}\"", w.iter().collect::<String>().replace('"', "\"\"")))
        .collect();
    trigrams.into_iter().collect::<Vec<_>>().join(" ")
}

/// The trigram query of `q` when SQLite can use the index for it.
fn trigrams(backend: DatabaseBackend, q: &str) -> Option<String> {
    let key: Vec<char> = q.to_lowercase().chars().collect();
    (backend == DatabaseBackend::Sqlite && key.len() >= TRIGRAM).then(|| trigram_query(&key))
}

/// Where a SQLite search of 3 characters or more finds its candidates, the rows that hold
/// every trigram of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {
    /// The trigram index, queried inside the statement.
    Index,
    /// The rowids the trigram index named, read beforehand, as a JSON array: one query of
    /// the index serves the total and the page, and a total can be counted in parts.
    Listed(String),
}

/// `q` as a condition: a case-insensitive substring of name, e-mail, company or title.
///
/// The LIKE on the lower-cased search key is the contract, on every path. On SQLite, a
/// query of 3 characters or more first narrows the rows to the FTS5 trigram index's
/// candidates (`leads_search`, see the search migration), from the index or as `named`
/// lists them; the LIKE then checks only those rows. On the walk, the unary `+` keeps
/// SQLite from fetching the candidates by rowid instead of walking the list's index.
/// Shorter queries have no trigram and read the rows. On PostgreSQL the trigram GIN index
/// serves the LIKE itself.
fn search(backend: DatabaseBackend, text: &str, path: SearchPath, named: &Named) -> SimpleExpr {
    let exact = contains(lead::Column::SearchKey, text);
    let Some(m) = trigrams(backend, text) else {
        return exact;
    };
    let rowid = match path {
        SearchPath::Walk => r#"+"leads"."rowid""#,
        SearchPath::Candidates => r#""leads"."rowid""#,
    };
    let (from, value) = match named {
        Named::Index => (
            "SELECT rowid FROM leads_search WHERE leads_search MATCH ?",
            m,
        ),
        Named::Listed(rowids) => ("SELECT value FROM json_each(?)", rowids.clone()),
    };
    Expr::cust_with_values(format!("{rowid} IN ({from})"), [value]).and(exact)
}

/// Candidates at or above which a search's total is counted in two halves, on two readers
/// at once (≈ 1 µs of row fetches each: below this, a second reader costs more than it saves).
pub const SEARCH_SPLIT_AT: usize = 2000;

/// How a SQLite search reads its total and its page, decided on a reader.
struct Plan {
    count_by: SearchPath,
    page_by: SearchPath,
    named: Named,
    /// The candidates when `named` lists them, ascending.
    rowids: Vec<i64>,
}

impl Plan {
    /// Reads that need no trigram index: walks.
    fn walk() -> Self {
        Self {
            count_by: SearchPath::Walk,
            page_by: SearchPath::Walk,
            named: Named::Index,
            rowids: Vec::new(),
        }
    }

    /// The candidates in two halves, each listed, when the total is counted from them and
    /// they are enough to be worth two readers.
    fn halves(&self) -> Result<Option<[Named; 2]>> {
        if self.count_by != SearchPath::Candidates || self.rowids.len() < SEARCH_SPLIT_AT {
            return Ok(None);
        }
        let (a, b) = self.rowids.split_at(self.rowids.len() / 2);
        Ok(Some([listed(a)?, listed(b)?]))
    }
}

/// Rowids as a JSON array, for `json_each`.
fn listed(rowids: &[i64]) -> Result<Named> {
    serde_json::to_string(rowids)
        .map(Named::Listed)
        .map_err(|e| StoreError::Corrupt(format!("candidates as JSON: {e}")))
}

/// What a reader answers to a list: the list, or for a search with many candidates the
/// plan, whose total is counted in halves.
enum Listing {
    Done((u64, Vec<LeadView>)),
    Split(Split),
}

/// A plan whose total is counted in halves, with the workspace's seq in its snapshot.
struct Split {
    seq: Option<i64>,
    plan: Plan,
    halves: [Named; 2],
}

/// `list_leads` on a SQLite reader, in one snapshot: the plan, and unless it splits the
/// total, the total and the page.
fn list_on(
    c: &rusqlite::Connection,
    ws: Uuid,
    f: &LeadFilter,
    page: &PageRequest,
) -> Result<Listing> {
    in_snapshot(c, |c| {
        let plan = plan_on(c, ws, f, page.limit + 1)?;
        match plan.halves()? {
            Some(halves) => Ok(Listing::Split(Split {
                seq: seq_on(c, ws)?,
                plan,
                halves,
            })),
            None => finish_on(c, ws, f, page, &plan).map(Listing::Done),
        }
    })
}

/// The rest of a list whose plan splits its total: the halves counted on two readers at
/// once, each in its own snapshot, the page beside the first. Kept when both halves saw the
/// workspace at the plan's `seq`; otherwise (a write committed in between) the whole list
/// is read again in one snapshot on one reader.
async fn in_halves(
    readers: &sqlite::Readers,
    timeout: std::time::Duration,
    ws: Uuid,
    f: &LeadFilter,
    page: &PageRequest,
    split: Split,
) -> Result<(u64, Vec<LeadView>)> {
    let Split {
        seq,
        plan,
        halves: [low, high],
    } = split;
    let (f_low, page_low, f_high) = (f.clone(), page.clone(), f.clone());
    let low = readers.run(timeout, move |c| {
        in_snapshot(c, |c| {
            let n = total_on(c, ws, &f_low, SearchPath::Candidates, &low)?;
            Ok((seq_on(c, ws)?, n, page_on(c, ws, &f_low, &page_low, &plan)?))
        })
    });
    let high = readers.run(timeout, move |c| {
        in_snapshot(c, |c| {
            let n = total_on(c, ws, &f_high, SearchPath::Candidates, &high)?;
            Ok((seq_on(c, ws)?, n))
        })
    });
    let ((seq_low, low, rows), (seq_high, high)) = tokio::try_join!(low, high)?;
    if seq_low == seq && seq_high == seq {
        return Ok((low + high, rows));
    }
    let (f, page) = (f.clone(), page.clone());
    readers
        .run(timeout, move |c| list_whole_on(c, ws, &f, &page))
        .await
}

/// `list_leads` on a SQLite reader, in one snapshot, on one reader whatever the plan.
fn list_whole_on(
    c: &rusqlite::Connection,
    ws: Uuid,
    f: &LeadFilter,
    page: &PageRequest,
) -> Result<(u64, Vec<LeadView>)> {
    in_snapshot(c, |c| {
        let plan = plan_on(c, ws, f, page.limit + 1)?;
        finish_on(c, ws, f, page, &plan)
    })
}

/// The total and the page of a list, as `plan` reads them.
fn finish_on(
    c: &rusqlite::Connection,
    ws: Uuid,
    f: &LeadFilter,
    page: &PageRequest,
    plan: &Plan,
) -> Result<(u64, Vec<LeadView>)> {
    let total = total_on(c, ws, f, plan.count_by, &plan.named)?;
    Ok((total, page_on(c, ws, f, page, plan)?))
}

/// Runs `f` in one read transaction: every statement of it reads the same snapshot (the
/// candidates listed are those the total and page then check; the total and page agree).
/// `BEGIN` and `COMMIT` come from the connection's statement cache rather than being parsed
/// for every list.
fn in_snapshot<T>(
    c: &rusqlite::Connection,
    f: impl FnOnce(&rusqlite::Connection) -> Result<T>,
) -> Result<T> {
    /// Rolls the read transaction back unless it committed (`f` failed or panicked).
    struct Open<'c> {
        c: &'c rusqlite::Connection,
        committed: bool,
    }
    impl Drop for Open<'_> {
        fn drop(&mut self) {
            if !self.committed {
                let _ = sqlite::execute_cached(self.c, "ROLLBACK");
            }
        }
    }
    // A transaction some earlier failure left open (its ROLLBACK failed too) ends first.
    if !c.is_autocommit() {
        sqlite::execute_cached(c, "ROLLBACK").map_err(sqlite::from_sqlite)?;
    }
    sqlite::execute_cached(c, "BEGIN").map_err(sqlite::from_sqlite)?;
    let mut open = Open {
        c,
        committed: false,
    };
    let out = f(c)?;
    sqlite::execute_cached(c, "COMMIT").map_err(sqlite::from_sqlite)?;
    open.committed = true;
    Ok(out)
}

/// The workspace's last event seq in this snapshot. Every write that changes what a
/// workspace's lists show records an event, and moves it, in the same transaction (staged
/// import rows stay hidden until their import's event): two snapshots with the same seq
/// show the workspace's leads alike.
fn seq_on(c: &rusqlite::Connection, ws: Uuid) -> Result<Option<i64>> {
    let stmt = workspace::Entity::find_by_id(ws)
        .select_only()
        .column(workspace::Column::LastSeq)
        .build(DatabaseBackend::Sqlite);
    sqlite::integer(c, &stmt)
}

/// The total of a list on a SQLite reader, from the candidates `named` names for a search.
fn total_on(
    c: &rusqlite::Connection,
    ws: Uuid,
    f: &LeadFilter,
    path: SearchPath,
    named: &Named,
) -> Result<u64> {
    let total = total_statement(DatabaseBackend::Sqlite, ws, f, path, named);
    counts::lead_count(sqlite::integer(c, &total)?)
}

/// A page of a list on a SQLite reader.
fn page_on(
    c: &rusqlite::Connection,
    ws: Uuid,
    f: &LeadFilter,
    page: &PageRequest,
    plan: &Plan,
) -> Result<Vec<LeadView>> {
    let backend = DatabaseBackend::Sqlite;
    let shown = shown(backend, ws, f, plan.page_by, &plan.named);
    sqlite::rows(c, &page_statement(backend, shown, page), listed_lead)
}

/// How a list reads its total and page on a SQLite reader (see `SearchPath`): for a search
/// of 3 characters or more, from the rows the trigram index names, read only as far as
/// could make a difference, and the leads a walk would step through (the kept counts of the
/// campaign, or the workspace); otherwise walks. All the candidates read are listed for
/// the statements that follow; when there are more than the walk could ever prefer, the
/// statements query the index themselves.
fn plan_on(c: &rusqlite::Connection, ws: Uuid, f: &LeadFilter, rows: u64) -> Result<Plan> {
    let text = f.q.as_deref().unwrap_or_default();
    let Some(trigram_query) = trigrams(DatabaseBackend::Sqlite, text) else {
        return Ok(Plan::walk());
    };
    let walked = LeadFilter {
        campaign_id: f.campaign_id,
        ..LeadFilter::default()
    };
    let kept = counts::total_statement(DatabaseBackend::Sqlite, ws, &walked);
    let scope = counts::lead_count(sqlite::integer(c, &kept)?)?;
    let cap = scope / ROW_FETCH + 1;
    let stmt = Statement::from_sql_and_values(
        DatabaseBackend::Sqlite,
        "SELECT rowid FROM leads_search WHERE leads_search MATCH ? LIMIT ?",
        [
            trigram_query.into(),
            i64::try_from(cap).unwrap_or(i64::MAX).into(),
        ],
    );
    let rowids = sqlite::rows(c, &stmt, |r| sqlite::get::<i64>(r, 0))?;
    let candidates = rowids.len() as u64;
    let (named, rowids) = if candidates < cap {
        (listed(&rowids)?, rowids)
    } else {
        (Named::Index, Vec::new())
    };
    Ok(Plan {
        count_by: SearchPath::for_total(candidates, scope),
        page_by: SearchPath::for_page(candidates, scope, rows),
        named,
        rowids,
    })
}

/// The columns a list shows, in `LeadView`'s order: the ones only the store uses (the
/// search and e-mail keys, the workspace and import) stay out of a page's rows; the
/// search key is a row's longest text.
const LISTED: [lead::Column; 14] = {
    use lead::Column as C;
    [
        C::Id,
        C::CampaignId,
        C::Name,
        C::Email,
        C::Company,
        C::Title,
        C::LinkedinUrl,
        C::Status,
        C::ConnectionStatus,
        C::Notes,
        C::LastActivityAt,
        C::Version,
        C::CreatedAt,
        C::UpdatedAt,
    ]
};

/// `LISTED` as the select list sea-query writes on SQLite (`"leads"."id", …`), written
/// once: built per list from the columns, it was 4 % of a list's instructions.
static LISTED_SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    LISTED
        .iter()
        .map(|c| format!("\"leads\".\"{}\"", c.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
});

/// The place of `c` in `LISTED` (a build error if it is not there).
const fn listed_at(c: lead::Column) -> usize {
    let mut i = 0;
    while i < LISTED.len() {
        if LISTED[i] as usize == c as usize {
            return i;
        }
        i += 1;
    }
    panic!("a column a list does not select")
}

/// A lead row as a list selects it (`LISTED`), read as a list shows it: the statuses are
/// read in place rather than copied first. Decoding rows was the largest part of a list's
/// instructions (BENCHMARKS.md).
fn listed_lead(r: &rusqlite::Row<'_>) -> Result<LeadView> {
    use lead::Column as C;
    use sqlite::{get, time, time_or_null};
    const ID: usize = listed_at(C::Id);
    const CAMPAIGN: usize = listed_at(C::CampaignId);
    const NAME: usize = listed_at(C::Name);
    const EMAIL: usize = listed_at(C::Email);
    const COMPANY: usize = listed_at(C::Company);
    const TITLE: usize = listed_at(C::Title);
    const LINKEDIN: usize = listed_at(C::LinkedinUrl);
    const STATUS: usize = listed_at(C::Status);
    const CONNECTION: usize = listed_at(C::ConnectionStatus);
    const NOTES: usize = listed_at(C::Notes);
    const ACTIVITY: usize = listed_at(C::LastActivityAt);
    const VERSION: usize = listed_at(C::Version);
    const CREATED: usize = listed_at(C::CreatedAt);
    const UPDATED: usize = listed_at(C::UpdatedAt);
    let id: Uuid = get(r, ID)?;
    let bad = || StoreError::Corrupt(format!("lead {id} status"));
    Ok(LeadView {
        id,
        campaign_id: get(r, CAMPAIGN)?,
        name: get(r, NAME)?,
        email: get(r, EMAIL)?,
        company: get(r, COMPANY)?,
        title: get(r, TITLE)?,
        linkedin_url: get(r, LINKEDIN)?,
        status: sqlite::text(r, STATUS)?.parse().map_err(|_| bad())?,
        connection_status: sqlite::text(r, CONNECTION)?.parse().map_err(|_| bad())?,
        notes: get(r, NOTES)?,
        last_activity_at: time_or_null(r, ACTIVITY)?,
        version: get(r, VERSION)?,
        created_at: time(r, CREATED)?,
        updated_at: time(r, UPDATED)?,
    })
}

/// The statement of a list's total, one integer named `n`: the kept counts answer every
/// filter but the text search, which counts the matching rows on `path`.
fn total_statement(
    backend: DatabaseBackend,
    ws: Uuid,
    f: &LeadFilter,
    path: SearchPath,
    named: &Named,
) -> Statement {
    match f.q.as_deref().filter(|t| !t.is_empty()) {
        None => counts::total_statement(backend, ws, f),
        Some(_) => count_query(backend, ws, f, path, named).build(backend),
    }
}

fn count_query(
    backend: DatabaseBackend,
    ws: Uuid,
    f: &LeadFilter,
    path: SearchPath,
    named: &Named,
) -> Select<lead::Entity> {
    filtered(backend, ws, f, path, named)
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "n")
}

/// The leads of the workspace that pass the list's filters, reached by `path` (on
/// SQLite; PostgreSQL plans from its statistics and is left to it).
fn filtered(
    backend: DatabaseBackend,
    ws: Uuid,
    f: &LeadFilter,
    path: SearchPath,
    named: &Named,
) -> Select<lead::Entity> {
    let path = if backend == DatabaseBackend::Sqlite {
        path
    } else {
        SearchPath::Walk
    };
    let mut q = scoped_on(backend, ws, path);
    if let Some(c) = f.campaign_id {
        q = q.filter(equals(lead::Column::CampaignId, c, path));
    }
    if let Some(s) = f.status {
        q = q.filter(equals(lead::Column::Status, s.as_str(), path));
    }
    if let Some(s) = f.connection_status {
        q = q.filter(equals(lead::Column::ConnectionStatus, s.as_str(), path));
    }
    if let Some(text) = f.q.as_deref().filter(|t| !t.is_empty()) {
        q = q.filter(search(backend, text, path, named));
    }
    q
}

/// The rows of a page as a list selects them: on SQLite the columns it shows (`LISTED`,
/// decoded by `listed_lead`), on PostgreSQL every column (decoded as the entity).
fn shown(
    backend: DatabaseBackend,
    ws: Uuid,
    f: &LeadFilter,
    path: SearchPath,
    named: &Named,
) -> Select<lead::Entity> {
    let q = filtered(backend, ws, f, path, named);
    if backend == DatabaseBackend::Sqlite {
        q.select_only().expr(Expr::cust(LISTED_SQL.as_str()))
    } else {
        q
    }
}

fn page_statement(
    backend: DatabaseBackend,
    q: Select<lead::Entity>,
    page: &PageRequest,
) -> Statement {
    SORT.apply(q, page).limit(page.limit + 1).build(backend)
}

impl Store {
    pub async fn list_leads(
        &self,
        ws: Uuid,
        f: &LeadFilter,
        page: &PageRequest,
    ) -> Result<PageOf<LeadView>> {
        let (total, rows) = match &self.readers {
            Some(readers) => {
                let timeout = self.writer.timeout;
                let listing = {
                    // A search may read thousands of rows; a list, a page and a kept count.
                    let searches = f.q.as_deref().is_some_and(|t| !t.is_empty());
                    let (f, page) = (f.clone(), page.clone());
                    let list = move |c: &rusqlite::Connection| list_on(c, ws, &f, &page);
                    if searches {
                        readers.run(timeout, list).await?
                    } else {
                        readers.run_short(timeout, list).await?
                    }
                };
                match listing {
                    Listing::Done(list) => list,
                    Listing::Split(split) => {
                        in_halves(readers, timeout, ws, f, page, split).await?
                    }
                }
            }
            None => {
                // The total and the page from one snapshot, so that they agree.
                let backend = self.backend();
                let txn = self.snapshot().await?;
                let total = total_statement(backend, ws, f, SearchPath::Walk, &Named::Index);
                let n: Option<i64> = match txn.query_one_raw(total).await? {
                    Some(row) => row.try_get("", "n")?,
                    None => None,
                };
                let total = counts::lead_count(n)?;
                let page_of = filtered(backend, ws, f, SearchPath::Walk, &Named::Index);
                let rows = lead::Entity::find()
                    .from_raw_sql(page_statement(backend, page_of, page))
                    .all(&txn)
                    .await?;
                txn.commit().await?;
                (total, rows.into_iter().map(view).collect::<Result<_>>()?)
            }
        };
        finish_page(
            rows,
            page,
            total,
            |l: &LeadView| (l.created_at, l.updated_at, l.name.clone(), l.id),
            Ok,
        )
    }

    /// The paths `list_leads` takes to the total and to a page of `rows` rows (see
    /// `SearchPath`): for a SQLite search of 3 characters or more, from the rows the trigram
    /// index names, counted only as far as could make a difference, and the leads a walk
    /// would step through (the kept counts of the campaign, or the workspace); otherwise
    /// walks.
    pub async fn search_paths(
        &self,
        ws: Uuid,
        f: &LeadFilter,
        rows: u64,
    ) -> Result<(SearchPath, SearchPath)> {
        match &self.readers {
            Some(readers) => {
                let f = f.clone();
                readers
                    .run(self.writer.timeout, move |c| {
                        plan_on(c, ws, &f, rows).map(|p| (p.count_by, p.page_by))
                    })
                    .await
            }
            None => Ok((SearchPath::Walk, SearchPath::Walk)),
        }
    }

    /// The query that fetches one page of `list_leads` on the given path, with a search's
    /// candidates from `named`, exactly as it is sent: the plan tests explain it to prove
    /// every filter and sort is served by an index.
    #[must_use]
    pub fn list_leads_statement(
        &self,
        ws: Uuid,
        f: &LeadFilter,
        page: &PageRequest,
        path: SearchPath,
        named: &Named,
    ) -> Statement {
        let backend = self.backend();
        page_statement(backend, shown(backend, ws, f, path, named), page)
    }

    /// SQLite's plan of a statement as a reader runs it (the `detail` lines of `EXPLAIN
    /// QUERY PLAN`, planned as the reader plans, without the values bound); `None` on
    /// PostgreSQL, which has no readers.
    pub async fn reader_plan(&self, stmt: &Statement) -> Result<Option<Vec<String>>> {
        let Some(readers) = &self.readers else {
            return Ok(None);
        };
        let explain = Statement {
            sql: format!("EXPLAIN QUERY PLAN {}", stmt.sql),
            values: stmt.values.clone(),
            db_backend: DatabaseBackend::Sqlite,
        };
        readers
            .run(self.writer.timeout, move |c| {
                sqlite::rows(c, &explain, |r| sqlite::get(r, 3))
            })
            .await
            .map(Some)
    }

    /// The query that counts a search's total on the given path, with its candidates from
    /// `named`, exactly as it is sent.
    #[must_use]
    pub fn list_leads_count_statement(
        &self,
        ws: Uuid,
        f: &LeadFilter,
        path: SearchPath,
        named: &Named,
    ) -> Statement {
        let backend = self.backend();
        count_query(backend, ws, f, path, named).build(backend)
    }

    /// Whether a lead of the workspace exists.
    pub async fn lead_exists(&self, ws: Uuid, id: Uuid) -> Result<bool> {
        let n = scoped(self.backend(), ws)
            .filter(lead::Column::Id.eq(id))
            .count(&self.db)
            .await?;
        Ok(n > 0)
    }

    pub async fn get_lead(&self, ws: Uuid, id: Uuid) -> Result<LeadView> {
        view(find_in(&self.db, ws, id).await?)
    }

    pub async fn create_lead(&self, ws: Uuid, actor: Actor, l: NewLead) -> Result<LeadView> {
        self.write(ws, actor, move |tx| Box::pin(create(tx, l)))
            .await
    }

    /// Applies a partial update. Nothing changed: no write, no event, the current state.
    pub async fn update_lead(
        &self,
        ws: Uuid,
        actor: Actor,
        id: Uuid,
        p: LeadPatch,
        if_match: Option<Precondition>,
    ) -> Result<LeadView> {
        let updated = self
            .write(ws, actor, move |tx| Box::pin(update(tx, id, p, if_match)))
            .await?;
        match updated {
            Some(v) => Ok(v),
            None => self.get_lead(ws, id).await,
        }
    }

    pub async fn delete_lead(
        &self,
        ws: Uuid,
        actor: Actor,
        id: Uuid,
        if_match: Option<Precondition>,
    ) -> Result<()> {
        self.write(ws, actor, move |tx| Box::pin(delete(tx, id, if_match)))
            .await
    }

    /// Imports valid rows into a campaign, all or nothing. Rows whose e-mail
    /// (case-insensitive) or LinkedIn URL already exists in the campaign, or earlier in
    /// the same import, are skipped. One bulk event when anything was created.
    pub async fn import_leads(
        &self,
        ws: Uuid,
        actor: Actor,
        campaign_id: Uuid,
        rows: Vec<NewLead>,
    ) -> Result<ImportOutcome> {
        if self.backend() == DatabaseBackend::Sqlite {
            // SQLite's one writer must not be held for the whole import (see `imports`).
            return self.import_staged(ws, actor, campaign_id, rows).await;
        }
        let outcome = self
            .write(ws, actor, move |tx| Box::pin(import(tx, campaign_id, rows)))
            .await?;
        if outcome.created >= ANALYZE_AFTER && self.backend() == DatabaseBackend::Postgres {
            // PostgreSQL plans from statistics that autovacuum refreshes only a minute or
            // more later: until then a campaign that just got 100 000 leads looks empty,
            // and a list of it is planned as a bitmap scan and sort of all its rows
            // (seconds at 1M) instead of a walk of its sort index. ANALYZE samples a fixed
            // number of rows and blocks neither reads nor writes.
            let db = self.db.clone();
            tokio::spawn(async move {
                if let Err(e) = db.execute_unprepared("ANALYZE leads").await {
                    tracing::warn!(error = %e, "ANALYZE after an import failed");
                }
            });
        }
        Ok(outcome)
    }
}

/// Imports creating at least this many leads refresh PostgreSQL's statistics of `leads`.
const ANALYZE_AFTER: u64 = 1000;

async fn create(tx: &mut WriteTx, l: NewLead) -> Result<Outcome<LeadView>> {
    require_campaign(&tx.txn, tx.ws, l.campaign_id).await?;
    let m = new_model(tx.ws, l, tx.now).insert(&tx.txn).await?;
    let v = view(m)?;
    counts::lead_added(&tx.txn, tx.ws, &v).await?;
    let recorded = tx
        .record(Change::created(
            EntityType::Lead,
            v.id,
            Some(v.campaign_id),
            to_json(&v),
        ))
        .await?;
    Ok(Outcome::changed(recorded, v))
}

/// Unchanged (`None`) when the patch changes nothing.
async fn update(
    tx: &mut WriteTx,
    id: Uuid,
    p: LeadPatch,
    if_match: Option<Precondition>,
) -> Result<Outcome<Option<LeadView>>> {
    let ws = tx.ws;
    let old_model = find_in(&tx.txn, ws, id).await?;
    check_if_match(if_match.as_ref(), old_model.version)?;
    let old = view(old_model.clone())?;
    if let Some(c) = p.campaign_id.filter(|c| *c != old.campaign_id) {
        require_campaign(&tx.txn, ws, c).await?;
    }
    let new = LeadView {
        campaign_id: p.campaign_id.unwrap_or(old.campaign_id),
        name: p.name.unwrap_or_else(|| old.name.clone()),
        email: p.email.unwrap_or_else(|| old.email.clone()),
        company: p.company.unwrap_or_else(|| old.company.clone()),
        title: p.title.unwrap_or_else(|| old.title.clone()),
        linkedin_url: p.linkedin_url.unwrap_or_else(|| old.linkedin_url.clone()),
        status: p.status.unwrap_or(old.status),
        connection_status: p.connection_status.unwrap_or(old.connection_status),
        notes: p.notes.unwrap_or_else(|| old.notes.clone()),
        ..old.clone()
    };
    let mut d = Diff::default();
    d.field("campaign_id", &old.campaign_id, &new.campaign_id);
    d.field("name", &old.name, &new.name);
    d.field("email", &old.email, &new.email);
    d.field("company", &old.company, &new.company);
    d.field("title", &old.title, &new.title);
    d.field("linkedin_url", &old.linkedin_url, &new.linkedin_url);
    d.field("status", &old.status, &new.status);
    d.field(
        "connection_status",
        &old.connection_status,
        &new.connection_status,
    );
    d.field("notes", &old.notes, &new.notes);
    if d.is_empty() {
        return Ok(Outcome::unchanged(None));
    }
    // A change of status or connection status is outreach activity on the lead.
    if new.status != old.status || new.connection_status != old.connection_status {
        let wire = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        d.field(
            "last_activity_at",
            &old.last_activity_at.map(wire),
            &Some(wire(tx.now)),
        );
    }

    let mut am = old_model.into_active_model();
    am.campaign_id = Set(new.campaign_id);
    am.search_key = Set(lead_search_key(
        &new.name,
        new.email.as_deref(),
        new.company.as_deref(),
        new.title.as_deref(),
    ));
    am.name = Set(new.name);
    am.email_key = Set(new.email.as_deref().map(str::to_lowercase));
    am.email = Set(new.email);
    am.company = Set(new.company);
    am.title = Set(new.title);
    am.linkedin_url = Set(new.linkedin_url);
    am.status = Set(new.status.as_str().to_owned());
    am.connection_status = Set(new.connection_status.as_str().to_owned());
    am.notes = Set(new.notes);
    if d.names.iter().any(|n| n == "last_activity_at") {
        am.last_activity_at = Set(Some(tx.now));
    }
    am.version = Set(old.version + 1);
    am.updated_at = Set(tx.now);
    let v = view(am.update(&tx.txn).await?)?;
    counts::lead_changed(&tx.txn, ws, &old, &v).await?;
    // A lead that moved is announced to its old campaign's room too.
    let rooms = lead_rooms(Some(id), &[v.campaign_id, old.campaign_id]);
    let change = Change::updated(EntityType::Lead, id, Some(v.campaign_id), d, to_json(&v));
    let recorded = tx.record(change.rooms(rooms)).await?;
    Ok(Outcome::changed(recorded, Some(v)))
}

async fn delete(tx: &mut WriteTx, id: Uuid, if_match: Option<Precondition>) -> Result<Outcome<()>> {
    let old = view(find_in(&tx.txn, tx.ws, id).await?)?;
    check_if_match(if_match.as_ref(), old.version)?;
    lead::Entity::delete_by_id(id).exec(&tx.txn).await?;
    counts::lead_removed(&tx.txn, tx.ws, &old).await?;
    let recorded = tx
        .record(Change::deleted(
            EntityType::Lead,
            id,
            Some(old.campaign_id),
            &to_json(&old),
        ))
        .await?;
    Ok(Outcome::changed(recorded, ()))
}

async fn import(
    tx: &mut WriteTx,
    campaign_id: Uuid,
    rows: Vec<NewLead>,
) -> Result<Outcome<ImportOutcome>> {
    let ws = tx.ws;
    find_campaign(&tx.txn, ws, campaign_id).await?;
    let mut keys = CampaignKeys::read(&tx.txn, ws, campaign_id).await?;
    let (admitted, tally, outcome) = keys.admit(campaign_id, rows);
    let now = tx.now;
    insert_leads(&tx.txn, admitted.into_iter().map(|l| new_model(ws, l, now))).await?;
    if outcome.created == 0 {
        return Ok(Outcome::unchanged(outcome));
    }
    counts::apply(&tx.txn, ws, &tally).await?;
    let recorded = tx.record(imported(campaign_id, outcome)).await?;
    Ok(Outcome::changed(recorded, outcome))
}

/// The one change an import records.
pub(crate) fn imported(campaign_id: Uuid, outcome: ImportOutcome) -> Change {
    let n = i64::try_from(outcome.created).unwrap_or(i64::MAX);
    let skipped = i64::try_from(outcome.skipped).unwrap_or(i64::MAX);
    Change::bulk(
        EntityType::Lead,
        Action::Imported,
        campaign_id,
        n,
        serde_json::json!({ "created": [null, n], "skipped": [null, skipped] }),
    )
}

/// The e-mail keys and LinkedIn URLs a campaign has, and those an import adds: a row
/// repeating one is a duplicate.
#[derive(Debug, Default)]
pub(crate) struct CampaignKeys {
    pub emails: HashSet<String>,
    pub urls: HashSet<String>,
}

/// A lead's duplicate keys, read by name: SQLite's writer (`sqlite_writer`) returns a
/// row's columns by name, not in the order they were selected.
#[derive(Debug, sea_orm::FromQueryResult)]
pub(crate) struct LeadKeys {
    pub email_key: Option<String>,
    pub linkedin_url: Option<String>,
}

impl CampaignKeys {
    /// The keys of the campaign's visible leads.
    pub(crate) async fn read<C: ConnectionTrait>(
        db: &C,
        ws: Uuid,
        campaign_id: Uuid,
    ) -> Result<Self> {
        let existing = scoped(db.get_database_backend(), ws)
            .select_only()
            .column(lead::Column::EmailKey)
            .column(lead::Column::LinkedinUrl)
            .filter(lead::Column::CampaignId.eq(campaign_id))
            .into_model::<LeadKeys>()
            .all(db)
            .await?;
        let mut keys = CampaignKeys::default();
        for k in existing {
            keys.emails.extend(k.email_key);
            keys.urls.extend(k.linkedin_url);
        }
        Ok(keys)
    }

    /// The rows to insert (duplicates of the campaign's keys, or of an earlier row, left
    /// out and counted as skipped), now of `campaign_id`, what they add to the counts, and
    /// the outcome.
    pub(crate) fn admit(
        &mut self,
        campaign_id: Uuid,
        rows: Vec<NewLead>,
    ) -> (Vec<NewLead>, counts::Tally, ImportOutcome) {
        let mut outcome = ImportOutcome::default();
        let mut tally = counts::Tally::default();
        let mut admitted = Vec::with_capacity(rows.len());
        for mut row in rows {
            row.campaign_id = campaign_id;
            let email_key = row.email.as_deref().map(str::to_lowercase);
            let dup = email_key.as_ref().is_some_and(|e| self.emails.contains(e))
                || row
                    .linkedin_url
                    .as_ref()
                    .is_some_and(|u| self.urls.contains(u));
            if dup {
                outcome.skipped += 1;
                continue;
            }
            self.emails.extend(email_key);
            self.urls.extend(row.linkedin_url.clone());
            tally.add(campaign_id, row.status, row.connection_status);
            admitted.push(row);
            outcome.created += 1;
        }
        (admitted, tally, outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_fetches_a_few_candidates_and_walks_past_many() {
        use SearchPath::{Candidates, Walk};
        // The rare-term test's workspace: 301 leads, 8 candidates (3 another workspace's).
        assert_eq!(SearchPath::for_total(8, 301), Candidates);
        assert_eq!(SearchPath::for_page(8, 301, 3), Candidates);
        // A term in most rows: the count stops at the cap, which is always a walk.
        assert_eq!(SearchPath::for_total(301 / ROW_FETCH + 1, 301), Walk);
        // 1 % of 1M: the total fetches the 10 000 rows, the first page walks ≈ 5 100 entries.
        assert_eq!(SearchPath::for_total(10_000, 1_000_000), Candidates);
        // 12.5 % of 100 000: fetching the 12 500 is cheaper than walking all 100 000 (and
        // fetching the matches among them as well); the page walks ≈ 410 entries.
        assert_eq!(SearchPath::for_total(12_500, 100_000), Candidates);
        assert_eq!(SearchPath::for_page(12_500, 100_000, 51), Walk);
        assert_eq!(SearchPath::for_page(10_000, 1_000_000, 51), Walk);
        // A name found once among 1M is fetched, not walked for.
        assert_eq!(SearchPath::for_page(1, 1_000_000, 51), Candidates);
        // Nothing to walk: nothing gains by fetching.
        assert_eq!(SearchPath::for_total(0, 0), Walk);
    }

    #[test]
    fn any_number_of_rows_is_written_with_few_statement_shapes() {
        let mut shapes = BTreeSet::new();
        for n in (0..2_500).chain([99_999, 100_000]) {
            let (mut left, mut written) = (n, 0);
            while left > 0 {
                let size = statement_rows(left);
                assert!(INSERT_SIZES.contains(&size) && size <= left, "{n}: {size}");
                shapes.insert(size);
                written += size;
                left -= size;
            }
            assert_eq!(written, n);
        }
        assert_eq!(shapes.len(), INSERT_SIZES.len());
    }
}
