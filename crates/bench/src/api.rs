//! A thin client of the contract's REST API: only the calls the scenarios need, against
//! any server by base URL (kandid or the Node comparison server alike).

use anyhow::{Context, Result, bail};
use reqwest::{RequestBuilder, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::time::Duration;

/// What a scenario needs to act as a seeded user: written by `seed`, read by the others.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    pub base_url: String,
    pub token: String,
    pub campaign_id: String,
    /// Leads created in `campaign_id` by the seed.
    pub leads: u64,
}

impl Session {
    pub fn load(path: &std::path::Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading session {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("parsing session {}", path.display()))
    }
}

/// The answer to an import.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub created: u64,
    pub skipped: u64,
    pub errors: u64,
}

#[derive(Debug, Clone)]
pub struct Api {
    base: String,
    http: reqwest::Client,
    token: Option<String>,
}

impl Api {
    /// A client keeping up to `connections` keep-alive connections, so that C concurrent
    /// workers each reuse one instead of paying a TCP handshake per request.
    pub fn new(base: &str, connections: usize) -> Result<Self> {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(connections.max(1))
            .tcp_nodelay(true)
            // Imports of 100 000 rows and 1M-lead aggregates take a while; a stuck server
            // should still end the run.
            .timeout(Duration::from_secs(600))
            .build()
            .context("building the HTTP client")?;
        Ok(Self {
            base: base.trim_end_matches('/').to_owned(),
            http,
            token: None,
        })
    }

    #[must_use]
    pub fn with_token(mut self, token: &str) -> Self {
        self.token = Some(token.to_owned());
        self
    }

    #[must_use]
    pub fn base(&self) -> &str {
        &self.base
    }

    #[must_use]
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    fn authed(&self, r: RequestBuilder) -> RequestBuilder {
        match &self.token {
            Some(t) => r.bearer_auth(t),
            None => r,
        }
    }

    pub fn get(&self, path: &str) -> RequestBuilder {
        self.authed(self.http.get(format!("{}{path}", self.base)))
    }

    pub fn post(&self, path: &str) -> RequestBuilder {
        self.authed(self.http.post(format!("{}{path}", self.base)))
    }

    /// Registers `email` with a workspace of its own, or logs in when it exists already, so
    /// that seeding twice against one server reuses the user; keeps the token.
    pub async fn register_or_login(&mut self, email: &str, password: &str) -> Result<()> {
        let body = json!({"name": "Bench User", "email": email, "password": password,
                          "workspace_name": "bench"});
        let res = self.post("/api/auth/register").json(&body).send().await?;
        let session = if res.status() == StatusCode::CONFLICT {
            let res = self
                .post("/api/auth/login")
                .json(&json!({"email": email, "password": password}))
                .send()
                .await?;
            expect(res, StatusCode::OK, "login").await?
        } else {
            expect(res, StatusCode::CREATED, "register").await?
        };
        let token = session["token"]
            .as_str()
            .context("no token in the register/login answer")?;
        self.token = Some(token.to_owned());
        Ok(())
    }

    /// Creates a draft campaign; returns its id.
    pub async fn create_campaign(&self, name: &str) -> Result<String> {
        let res = self
            .post("/api/campaigns")
            .json(&json!({"name": name}))
            .send()
            .await?;
        let body = expect(res, StatusCode::CREATED, "create campaign").await?;
        Ok(body["id"]
            .as_str()
            .context("no id in the created campaign")?
            .to_owned())
    }

    /// Imports a JSON array (already serialised, so callers can keep encoding out of timings).
    pub async fn import(&self, campaign_id: &str, body: Vec<u8>) -> Result<ImportOutcome> {
        let res = self
            .post(&format!("/api/campaigns/{campaign_id}/leads/import"))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await?;
        let body = expect(res, StatusCode::OK, "import").await?;
        let count = |k: &str| body[k].as_u64();
        Ok(ImportOutcome {
            created: count("created").context("no `created` in the import answer")?,
            skipped: count("skipped").unwrap_or(0),
            errors: body["errors"].as_array().map_or(0, |a| a.len() as u64),
        })
    }
}

/// The JSON body of a response with the expected status, or an error naming what failed
/// with the server's problem body (which says why far better than the status alone).
pub async fn expect(res: reqwest::Response, status: StatusCode, what: &str) -> Result<Value> {
    let got = res.status();
    let bytes = res.bytes().await?;
    if got != status {
        bail!(
            "{what}: expected {status}, got {got}: {}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(500)])
        );
    }
    serde_json::from_slice(&bytes).with_context(|| format!("{what}: answer is not JSON"))
}
