//! Test harness: starts the real server on a random port with a database of its own
//! (a fresh SQLite file, or a fresh PostgreSQL database when `TEST_POSTGRES_URL` is set)
//! and offers typed helpers over HTTP.

pub mod receiver;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use uuid::Uuid;

pub const SECRET: &str = "test-secret-with-enough-entropy-0123456789";

/// Where the test databases live.
enum Db {
    Sqlite { dir: std::path::PathBuf },
    Postgres { admin_url: String, name: String },
}

impl Db {
    async fn create() -> (Self, String) {
        match std::env::var("TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.is_empty())
        {
            Some(admin_url) => {
                let name = format!("kandid_t_{}", Uuid::new_v4().simple());
                let admin = sea(&admin_url).await;
                exec(&admin, &format!("CREATE DATABASE {name}")).await;
                let url = replace_db(&admin_url, &name);
                (Db::Postgres { admin_url, name }, url)
            }
            None => {
                let dir =
                    std::env::temp_dir().join(format!("kandid-test-{}", Uuid::new_v4().simple()));
                let url = format!("sqlite://{}/kandid.db?mode=rwc", dir.display());
                (Db::Sqlite { dir }, url)
            }
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        match self {
            Db::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Db::Postgres { admin_url, name } => {
                let (url, name) = (admin_url.clone(), name.clone());
                // The test's runtime is shutting down; drop the database from a runtime of our own.
                let _ = std::thread::spawn(move || {
                    if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    {
                        rt.block_on(async {
                            let admin = sea(&url).await;
                            exec(
                                &admin,
                                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                            )
                            .await;
                        });
                    }
                })
                .join();
            }
        }
    }
}

async fn sea(url: &str) -> kandid::sea_orm::DatabaseConnection {
    match kandid::sea_orm::Database::connect(url).await {
        Ok(c) => c,
        Err(e) => panic!("cannot reach PostgreSQL at {url}: {e}"),
    }
}

async fn exec(db: &kandid::sea_orm::DatabaseConnection, sql: &str) {
    use kandid::sea_orm::ConnectionTrait;
    if let Err(e) = db.execute_unprepared(sql).await {
        panic!("{sql}: {e}");
    }
}

fn replace_db(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let base = match base.rsplit_once('/') {
        Some((host, _)) if host.contains("://") => host.to_owned(),
        _ => base.to_owned(),
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// A response: status, headers and the JSON body (Null when empty or not JSON).
#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Res {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the status, printing the body when it differs.
    #[track_caller]
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.body
        );
        self
    }

    /// Asserts a problem+json with this status and code.
    #[track_caller]
    pub fn problem(self, status: u16, code: &str) -> Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.body
        );
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{}",
            self.body
        );
        assert_eq!(self.body["code"], code, "{}", self.body);
        assert_eq!(self.body["status"], status, "{}", self.body);
        assert!(self.header("x-request-id").is_some());
        self
    }

    /// The `field`s named by a 422.
    pub fn fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A running server.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub database_url: String,
    server: tokio::task::JoinHandle<()>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _db: Db,
}

/// Settings of a test server; adjust before spawning.
pub fn test_config(database_url: &str) -> kandid::Config {
    let mut c = kandid::Config::from_env_defaults();
    c.listen.bind = std::net::IpAddr::from([127, 0, 0, 1]);
    c.listen.port = 0;
    c.database.database_url = Some(database_url.to_owned());
    c.database_max_connections = 8;
    c.redis_url = None;
    c.jwt_secret = Some(SECRET.into());
    c.jwt_ttl = Duration::from_secs(3600);
    c.auth_rate_per_minute = 0;
    c.cors_origins = vec!["http://localhost:3000".into()];
    c
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut kandid::Config)) -> Self {
        let (db, url) = Db::create().await;
        let mut config = test_config(&url);
        adjust(&mut config);
        let (base, server, stop) = start(config).await;
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()
            .unwrap_or_default();
        TestApp {
            base,
            client,
            database_url: url,
            server,
            stop: Some(stop),
            _db: db,
        }
    }

    /// Stops the server as SIGTERM does and starts a new one on the same database, with
    /// other settings; `base` then points at the new one.
    pub async fn restart_with(&mut self, adjust: impl FnOnce(&mut kandid::Config)) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.server).await;
        let mut config = test_config(&self.database_url);
        adjust(&mut config);
        let (base, server, stop) = start(config).await;
        self.base = base;
        self.server = server;
        self.stop = Some(stop);
    }

    /// Stops the server, runs `statements` on its database (changes made by hand while it
    /// is stopped) and starts a new one with the same settings.
    pub async fn restart_after_sql(&mut self, statements: &[&str]) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.server).await;
        for statement in statements {
            self.sql(statement).await;
        }
        let (base, server, stop) = start(test_config(&self.database_url)).await;
        self.base = base;
        self.server = server;
        self.stop = Some(stop);
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Res {
        self.request(method, path, token, |r| match body {
            Some(b) => r.json(&b),
            None => r,
        })
        .await
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        build: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Res {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = match build(req).send().await {
            Ok(r) => r,
            Err(e) => panic!("request to {path} failed: {e}"),
        };
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.unwrap_or_default();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Res {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Res {
        self.send(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Res {
        self.send(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> Res {
        self.send(Method::PUT, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Res {
        self.send(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Res {
        self.send(Method::DELETE, path, Some(token), None).await
    }

    /// `POST /api/auth/register` with this body, without a token.
    pub async fn post_register(&self, body: Value) -> Res {
        self.send(Method::POST, "/api/auth/register", None, Some(body))
            .await
    }

    /// `POST /api/auth/login` with this body, without a token.
    pub async fn post_login(&self, body: Value) -> Res {
        self.send(Method::POST, "/api/auth/login", None, Some(body))
            .await
    }

    /// Workspace A with campaigns "Big" and "Small", workspace B with "B": their owners'
    /// sessions and the campaigns' ids.
    pub async fn two_workspaces(&self) -> (Session, Session, [String; 3]) {
        let a = self.register().await;
        let b = self.register().await;
        let big = id(&self.create_campaign(&a.token, json!({"name": "Big"})).await);
        let small = id(&self
            .create_campaign(&a.token, json!({"name": "Small"}))
            .await);
        let theirs = id(&self.create_campaign(&b.token, json!({"name": "B"})).await);
        (a, b, [big, small, theirs])
    }

    /// Registers a new user with a workspace of their own; returns the session body.
    pub async fn register(&self) -> Session {
        let email = format!("user-{}@example.com", Uuid::new_v4().simple());
        let res = self
            .send(
                Method::POST,
                "/api/auth/register",
                None,
                Some(json!({"name": "Test User", "email": email, "password": "correct horse battery"})),
            )
            .await
            .expect(201);
        session_of(&res.body, email)
    }

    pub async fn create_campaign(&self, token: &str, body: Value) -> Value {
        self.post("/api/campaigns", token, body)
            .await
            .expect(201)
            .body
    }

    /// Sends a raw body with the given `Content-Type` (none when `content_type` is empty).
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        token: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> Res {
        let body = body.into();
        self.request(method, path, Some(token), |r| {
            let r = if content_type.is_empty() {
                r
            } else {
                r.header("content-type", content_type)
            };
            r.body(body)
        })
        .await
    }

    /// `POST /api/campaigns/{id}/leads/import` with a JSON array.
    pub async fn import_json(&self, token: &str, campaign_id: &str, rows: Value) -> Res {
        self.post(
            &format!("/api/campaigns/{campaign_id}/leads/import"),
            token,
            rows,
        )
        .await
    }

    /// `POST /api/campaigns/{id}/leads/import` with a `text/csv` body.
    pub async fn import_csv(&self, token: &str, campaign_id: &str, csv: impl Into<String>) -> Res {
        self.send_raw(
            Method::POST,
            &format!("/api/campaigns/{campaign_id}/leads/import"),
            token,
            "text/csv",
            csv.into(),
        )
        .await
    }

    /// A token of the same user and workspace whose `role` claim says something else (the
    /// server goes by the membership, not the claim).
    pub fn token_with_role(&self, s: &Session, role: &str) -> String {
        let now = chrono::Utc::now().timestamp();
        mint(
            &json!({"sub": s.user_id, "ws": s.workspace_id, "role": role, "iat": now, "exp": now + 600}),
            SECRET,
        )
    }

    /// Runs a statement directly on the test's database (to set up what the API can't,
    /// such as an expired invitation).
    pub async fn sql(&self, statement: &str) {
        let db = sea(&self.database_url).await;
        exec(&db, statement).await;
        let _ = db.close().await;
    }

    /// The first column of the first row of `query`, an integer (e.g. a `COUNT(*)`).
    pub async fn count(&self, query: &str) -> i64 {
        use kandid::sea_orm::{ConnectionTrait, Statement};
        let db = sea(&self.database_url).await;
        let stmt = Statement::from_string(db.get_database_backend(), query);
        let n = match db.query_one_raw(stmt).await {
            Ok(Some(row)) => row.try_get_by_index::<i64>(0),
            Ok(None) => panic!("{query}: no row"),
            Err(e) => panic!("{query}: {e}"),
        };
        let _ = db.close().await;
        n.unwrap_or_else(|e| panic!("{query}: {e}"))
    }

    /// Invites `email` into `by`'s workspace with `role`; returns the invitation's token.
    pub async fn invite(&self, by: &Session, email: &str, role: &str) -> String {
        let res = self
            .post(
                "/api/workspace/invitations",
                &by.token,
                json!({"email": email, "role": role}),
            )
            .await
            .expect(201);
        match res.body["token"].as_str() {
            Some(t) if !t.is_empty() => t.to_owned(),
            _ => panic!("no invitation token in {}", res.body),
        }
    }

    /// `DELETE /api/workspace/members/{user_id}` as `by`.
    pub async fn remove_member(&self, by: &Session, user_id: Uuid) -> Res {
        self.delete(&format!("/api/workspace/members/{user_id}"), &by.token)
            .await
    }

    /// A new user who joined `owner`'s workspace by invitation with `role`.
    pub async fn member(&self, owner: &Session, role: &str) -> Session {
        let email = format!("{role}-{}@example.com", Uuid::new_v4().simple());
        let invitation = self.invite(owner, &email, role).await;
        let res = self
            .post_register(json!({"name": role, "email": email, "password": "correct horse battery", "invitation": invitation}))
            .await
            .expect(201);
        session_of(&res.body, email)
    }

    pub async fn create_lead(&self, token: &str, campaign_id: &str, body: Value) -> Value {
        let mut b = body;
        b["campaign_id"] = json!(campaign_id);
        self.post("/api/leads", token, b).await.expect(201).body
    }
}

async fn start(
    config: kandid::Config,
) -> (
    String,
    tokio::task::JoinHandle<()>,
    tokio::sync::oneshot::Sender<()>,
) {
    let app = match kandid::build(config).await {
        Ok(a) => a,
        Err(e) => panic!("server failed to start: {e:#}"),
    };
    let base = format!("http://127.0.0.1:{}", app.port());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let _ = app
            .run_until_stopped(async move {
                let _ = stopped.await;
            })
            .await;
    });
    (base, server, stop)
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub user_id: Uuid,
    pub workspace_id: Uuid,
    pub email: String,
}

/// The session of a `{token, user, workspace}` body; panics on anything else, so a helper
/// can never hand a test an empty token or a nil id that later fails for another reason.
#[track_caller]
pub fn session_of(body: &Value, email: String) -> Session {
    let uuid = |v: &Value, what: &str| -> Uuid {
        match v.as_str().map(str::parse) {
            Some(Ok(id)) => id,
            _ => panic!("{what} is not a UUID in {body}"),
        }
    };
    let Some(token) = body["token"].as_str().filter(|t| !t.is_empty()) else {
        panic!("no token in {body}")
    };
    Session {
        token: token.to_owned(),
        user_id: uuid(&body["user"]["id"], "user.id"),
        workspace_id: uuid(&body["workspace"]["id"], "workspace.id"),
        email,
    }
}

/// Mints a token with the test secret and arbitrary claims.
pub fn mint(claims: &Value, secret: &str) -> String {
    use jsonwebtoken::{EncodingKey, Header, encode};
    match encode(
        &Header::default(),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    ) {
        Ok(t) => t,
        Err(e) => panic!("minting a token for {claims}: {e}"),
    }
}

pub fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_default().to_owned()
}

/// The `data` array of a list or events response (empty when absent).
pub fn data(body: &Value) -> Vec<Value> {
    body["data"].as_array().cloned().unwrap_or_default()
}

/// The ids of the rows in a list response's `data`, in order.
pub fn ids(body: &Value) -> Vec<String> {
    data(body).iter().map(id).collect()
}

/// One string field of every row in a list response's `data`, in order.
pub fn column(body: &Value, field: &str) -> Vec<String> {
    data(body)
        .iter()
        .map(|r| r[field].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Percent-encodes everything but ASCII letters, digits and `_` (for query strings).
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'_' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A JSON number as f64 (NaN when it is not a number, so comparisons fail loudly).
pub fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// Asserts two rates are equal up to rounding.
#[track_caller]
pub fn assert_rate(actual: &Value, expected: f64, what: &str) {
    let a = num(actual);
    assert!(
        (a - expected).abs() < 1e-9,
        "{what}: expected {expected}, got {actual}"
    );
}

/// An event sink for a `Store` opened beside the server by a test that only reads or
/// builds statements: nothing it writes is published.
pub struct NoEvents;

impl kandid_store::EventSink for NoEvents {
    fn reserve(&self, _: Uuid, _: i64) {}
    fn cancel(&self, _: Uuid, _: i64) {}
    fn publish(&self, _: kandid_store::StoredEvent) {}
    fn revoke(&self, _: kandid_store::Revoked) {}
}

/// A `Store` over the test server's database, beside it.
pub async fn store_beside(app: &TestApp) -> kandid_store::Store {
    let db = kandid::sea_orm::Database::connect(&app.database_url)
        .await
        .unwrap_or_else(|e| panic!("connect to {}: {e}", app.database_url));
    kandid_store::Store::new(db, std::sync::Arc::new(NoEvents))
}
