//! Webhooks: management, address checks, and signed, ordered, at-least-once delivery to a
//! real receiver on loopback.

mod crud;
mod delivery;
mod failures;
mod ssrf;

use kandid_tests::TestApp;
use serde_json::{Value, json};
use std::time::Duration;

/// How long a test waits for deliveries before it fails.
pub const WAIT: Duration = Duration::from_secs(30);

/// Settings that let webhooks reach the loopback receiver, and retry quickly.
pub fn local(c: &mut kandid::Config) {
    c.webhook_allow_http = true;
    c.webhook_allow_private = true;
    c.webhook_retry_base = Duration::from_millis(100);
    c.catch_up_interval = Duration::from_millis(200);
}

pub async fn app() -> TestApp {
    TestApp::spawn_with(local).await
}

/// Creates a webhook; returns its body (with `secret`).
pub async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    app.post("/api/webhooks", token, body)
        .await
        .expect(201)
        .body
}

pub async fn create_for(app: &TestApp, token: &str, url: &str) -> Value {
    create(app, token, json!({ "url": url })).await
}

pub fn str_of(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

/// A campaign write: one `campaigns_updated` event.
pub async fn write(app: &TestApp, token: &str, n: usize) -> Value {
    app.create_campaign(token, json!({ "name": format!("Campaign {n}") }))
        .await
}
