//! Imports on SQLite: rows staged in short writes, shown by one.
//!
//! SQLite has one writer, so an import written in one transaction would make every other
//! workspace's writes wait for all of it. Instead an import is listed in `lead_imports`
//! first; its rows are then written in short writes that queue with everybody else's, each
//! row carrying the import's id, and every read of leads leaves out the rows of listed
//! imports (`leads::visible`). A last short write deletes the listing, applies the counts
//! and records the import's one event: the rows appear together, at that commit. An import
//! that fails, or creates nothing, deletes its rows (in short writes too) and its listing;
//! one cut short by a crash is removed at the next start-up. Until then its rows are
//! invisible, so nothing uncommitted is ever seen or announced.
//!
//! Duplicates: the campaign's keys are read once the import is listed, outside the writer.
//! Leads that reach the campaign while the rows are staged (created, edited or moved
//! there) are checked again when the import is shown: an import row repeating one of them
//! is dropped as a duplicate, as it would have been had the import run after them. Imports
//! run one at a time, so each sees the rows of the one before it.

use crate::counts::Tally;
use crate::entity::{lead, lead_import};
use crate::error::{Result, StoreError};
use crate::leads::{
    CampaignKeys, INSERT_SIZES, ImportOutcome, LeadKeys, imported, insert_leads, new_model, visible,
};
use crate::query::find_campaign;
use crate::tx::{Outcome, WriteTx};
use crate::{Actor, Store, counts};
use chrono::{DateTime, Utc};
use kandid_domain::input::NewLead;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseBackend, EntityTrait, QueryFilter,
    QuerySelect,
};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How long one staging write should take while other writes queue behind it: each of
/// them waits about that long for its turn. Rows per write follow from the time the last
/// one took (the cost of a row grows with the indexes and varies with the load).
const STAGE_TIME_SHARED: Duration = Duration::from_millis(25);
/// The same while nobody else writes: every commit rewrites the index pages the rows
/// touched, so fewer, larger writes cost less in all; a write that arrives meanwhile waits
/// for one of them, and the ones after it are short again.
const STAGE_TIME_ALONE: Duration = Duration::from_millis(100);
/// Rows of the first staging write, and the bounds of the later ones.
const STAGE_ROWS: (usize, usize, usize) = (500, 100, 5000);

/// Rows a cleanup deletes per write.
const DISCARD_ROWS: u64 = 5000;

/// What showing an import needs to know of its staging.
struct Staged {
    import_id: Uuid,
    campaign_id: Uuid,
    /// When the import was listed: leads written from then on were not in the keys read.
    since: DateTime<Utc>,
    keys: CampaignKeys,
    tally: Tally,
    outcome: ImportOutcome,
}

impl Store {
    /// `import_leads` on SQLite (see the module's doc).
    pub(crate) async fn import_staged(
        &self,
        ws: Uuid,
        actor: Actor,
        campaign_id: Uuid,
        rows: Vec<NewLead>,
    ) -> Result<ImportOutcome> {
        let store = self.clone();
        // A task of its own: a request abandoned by its client must not stop an import
        // between its writes, with rows staged and nobody left to show or remove them.
        tokio::spawn(async move {
            let _turn = store.imports.lock().await;
            store.stage_and_show(ws, actor, campaign_id, rows).await
        })
        .await
        .map_err(|e| StoreError::Corrupt(format!("import task failed: {e}")))?
    }

    async fn stage_and_show(
        &self,
        ws: Uuid,
        actor: Actor,
        campaign_id: Uuid,
        rows: Vec<NewLead>,
    ) -> Result<ImportOutcome> {
        let import_id = Uuid::now_v7();
        // Listed before any row is written, so that every row is hidden from its first commit.
        let since = self
            .write_without_event(ws, actor, move |tx| {
                Box::pin(async move {
                    find_campaign(&tx.txn, tx.ws, campaign_id).await?;
                    lead_import::Entity::insert(lead_import::ActiveModel {
                        id: Set(import_id),
                        workspace_id: Set(tx.ws),
                        campaign_id: Set(campaign_id),
                        created_at: Set(tx.now),
                    })
                    .exec_without_returning(&tx.txn)
                    .await?;
                    Ok(tx.now)
                })
            })
            .await?;
        let result = self
            .stage(ws, actor, import_id, campaign_id, since, rows)
            .await;
        match result {
            Ok(outcome) if outcome.created > 0 => Ok(outcome),
            // Nothing shown: whatever was staged goes.
            other => {
                if let Err(e) = self.discard_import(import_id, campaign_id).await {
                    tracing::warn!(error = %e, %import_id,
                        "the rows of a failed import stay hidden until the next start-up removes them");
                }
                other
            }
        }
    }

    async fn stage(
        &self,
        ws: Uuid,
        actor: Actor,
        import_id: Uuid,
        campaign_id: Uuid,
        since: DateTime<Utc>,
        rows: Vec<NewLead>,
    ) -> Result<ImportOutcome> {
        // A snapshot holding every write committed before the listing; later ones are
        // checked when the import is shown.
        let mut keys = CampaignKeys::read(&self.db, ws, campaign_id).await?;
        let (admitted, tally, outcome) = keys.admit(campaign_id, rows);
        if outcome.created == 0 {
            return Ok(outcome);
        }
        let mut admitted = admitted.into_iter().peekable();
        let (mut rows, min, max) = STAGE_ROWS;
        while admitted.peek().is_some() {
            let chunk: Vec<NewLead> = admitted.by_ref().take(rows).collect();
            let n = chunk.len();
            let took = self
                .write_alone(ws, actor, move |tx| {
                    Box::pin(async move {
                        let started = Instant::now();
                        let ws = tx.ws;
                        // Every row of an import has the import's time.
                        let models = chunk.into_iter().map(|l| lead::ActiveModel {
                            import_id: Set(Some(import_id)),
                            ..new_model(ws, l, since)
                        });
                        insert_leads(&tx.txn, models).await?;
                        // The rows' trigram indexing, queued by the triggers, done here so
                        // that the chunk's time, which sizes the next chunk, counts it.
                        crate::search_queue::apply(&tx.txn).await?;
                        Ok(started.elapsed())
                    })
                })
                .await?;
            if n == rows {
                let per_row = took.as_secs_f64() / n as f64;
                let target = if self.others_writing() {
                    STAGE_TIME_SHARED
                } else {
                    STAGE_TIME_ALONE
                };
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let fit = (target.as_secs_f64() / per_row.max(1e-7)) as usize;
                // Whole statements of the middle size: only the import's last write has a
                // ragged end.
                let step = INSERT_SIZES[1];
                rows = (fit.clamp(min, max) / step * step).max(step);
            }
        }
        let staged = Staged {
            import_id,
            campaign_id,
            since,
            keys,
            tally,
            outcome,
        };
        self.write(ws, actor, move |tx| Box::pin(show(tx, staged)))
            .await
    }

    /// Deletes an unfinished import's rows and its listing, a short write at a time.
    async fn discard_import(&self, import_id: Uuid, campaign_id: Uuid) -> Result<()> {
        loop {
            let deleted = self
                .write_unchecked(move |tx| {
                    Box::pin(async move {
                        let ids: Vec<Uuid> = lead::Entity::find()
                            .select_only()
                            .column(lead::Column::Id)
                            .filter(lead::Column::CampaignId.eq(campaign_id))
                            .filter(lead::Column::ImportId.eq(import_id))
                            .limit(DISCARD_ROWS)
                            .into_tuple()
                            .all(&tx.txn)
                            .await?;
                        if ids.is_empty() {
                            return Ok(0);
                        }
                        let r = lead::Entity::delete_many()
                            .filter(lead::Column::Id.is_in(ids))
                            .exec(&tx.txn)
                            .await?;
                        Ok(r.rows_affected)
                    })
                })
                .await?;
            if deleted == 0 {
                break;
            }
        }
        self.write_unchecked(move |tx| {
            Box::pin(async move {
                lead_import::Entity::delete_by_id(import_id)
                    .exec(&tx.txn)
                    .await?;
                Ok(())
            })
        })
        .await
    }

    /// Removes the rows of imports that a crash left unfinished (SQLite; they were never
    /// visible). Run at start-up, before requests are served. Returns how many there were.
    pub async fn discard_unfinished_imports(&self) -> Result<usize> {
        if self.backend() != DatabaseBackend::Sqlite {
            return Ok(0);
        }
        let unfinished = lead_import::Entity::find().all(&self.db).await?;
        for i in &unfinished {
            self.discard_import(i.id, i.campaign_id).await?;
        }
        Ok(unfinished.len())
    }
}

/// The last write of an import: drops the rows that turned out duplicates, deletes the
/// listing (the rows appear at this commit), applies the counts and records the event.
async fn show(tx: &mut WriteTx, s: Staged) -> Result<Outcome<ImportOutcome>> {
    let Staged {
        import_id,
        campaign_id,
        since,
        keys,
        mut tally,
        mut outcome,
    } = s;
    // The listing went with its campaign (deleted meanwhile, with the staged rows).
    lead_import::Entity::find_by_id(import_id)
        .one(&tx.txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let recent = lead::Entity::find()
        .select_only()
        .column(lead::Column::EmailKey)
        .column(lead::Column::LinkedinUrl)
        .filter(lead::Column::CampaignId.eq(campaign_id))
        .filter(lead::Column::UpdatedAt.gte(since))
        .filter(visible())
        .into_model::<LeadKeys>()
        .all(&tx.txn)
        .await?;
    let emails: Vec<String> = recent
        .iter()
        .filter_map(|k| k.email_key.clone())
        .filter(|e| keys.emails.contains(e))
        .collect();
    let urls: Vec<String> = recent
        .into_iter()
        .filter_map(|k| k.linkedin_url)
        .filter(|u| keys.urls.contains(u))
        .collect();
    if !emails.is_empty() || !urls.is_empty() {
        let mut dup = Condition::any();
        if !emails.is_empty() {
            dup = dup.add(lead::Column::EmailKey.is_in(emails));
        }
        if !urls.is_empty() {
            dup = dup.add(lead::Column::LinkedinUrl.is_in(urls));
        }
        let dropped = lead::Entity::delete_many()
            .filter(lead::Column::CampaignId.eq(campaign_id))
            .filter(lead::Column::ImportId.eq(import_id))
            .filter(dup)
            .exec_with_returning(&tx.txn)
            .await?;
        for l in dropped {
            let bad = || StoreError::Corrupt(format!("lead {} status", l.id));
            tally.remove(
                campaign_id,
                l.status.parse().map_err(|_| bad())?,
                l.connection_status.parse().map_err(|_| bad())?,
            );
            outcome.created = outcome.created.saturating_sub(1);
            outcome.skipped += 1;
        }
        if outcome.created == 0 {
            return Ok(Outcome::unchanged(outcome));
        }
    }
    lead_import::Entity::delete_by_id(import_id)
        .exec(&tx.txn)
        .await?;
    counts::apply(&tx.txn, tx.ws, &tally).await?;
    let recorded = tx.record(imported(campaign_id, outcome)).await?;
    Ok(Outcome::changed(recorded, outcome))
}
