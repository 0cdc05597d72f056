//! `seed`: a user, a campaign and N leads imported in chunks, the starting point of the
//! other scenarios.

use crate::api::{Api, Session};
use crate::rows;
use anyhow::{Result, ensure};
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// Both servers refuse imports of more than 100 000 rows.
pub const MAX_CHUNK: u64 = 100_000;

#[derive(Debug, Clone)]
pub struct SeedOptions {
    pub leads: u64,
    pub chunk: u64,
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SeedReport {
    pub leads: u64,
    pub imports: u64,
    pub seconds: f64,
    pub session: Session,
}

pub async fn seed(api: &mut Api, opts: &SeedOptions) -> Result<SeedReport> {
    let chunk = opts.chunk.clamp(1, MAX_CHUNK);
    api.register_or_login(&opts.email, &opts.password).await?;
    let tag = rows::run_tag();
    let campaign_id = api
        .create_campaign(&format!("bench {} leads {tag}", opts.leads))
        .await?;
    let started = Instant::now();
    let (mut from, mut imports) = (0, 0);
    while from < opts.leads {
        let to = (from + chunk).min(opts.leads);
        let body = rows::import_body(&tag, from, to)?;
        let outcome = api.import(&campaign_id, body).await?;
        // A silent shortfall would make every later figure about a smaller database.
        ensure!(
            outcome.created == to - from,
            "import of rows {from}..{to} created {} (skipped {}, errors {})",
            outcome.created,
            outcome.skipped,
            outcome.errors
        );
        imports += 1;
        from = to;
    }
    let token = api.token().unwrap_or_default().to_owned();
    Ok(SeedReport {
        leads: opts.leads,
        imports,
        seconds: started.elapsed().as_secs_f64(),
        session: Session {
            base_url: api.base().to_owned(),
            token,
            campaign_id,
            leads: opts.leads,
        },
    })
}
