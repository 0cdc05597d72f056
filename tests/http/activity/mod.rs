//! The activity log, the dashboard, and `GET /api/events`.

mod dashboard;
mod events;
mod log;

use kandid_tests::{Session, TestApp, assert_rate, data, id, ids};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;

async fn activities(app: &TestApp, token: &str, query: &str) -> Value {
    app.get(&format!("/api/activities?limit=200&{query}"), token)
        .await
        .expect(200)
        .body
}

/// The newest activity of the workspace.
async fn newest(app: &TestApp, token: &str) -> Value {
    let body = app
        .get("/api/activities?limit=1", token)
        .await
        .expect(200)
        .body;
    data(&body).into_iter().next().unwrap_or_default()
}

async fn total_activities(app: &TestApp, token: &str) -> u64 {
    app.get("/api/activities?limit=1", token)
        .await
        .expect(200)
        .body["total"]
        .as_u64()
        .unwrap_or_default()
}

#[track_caller]
fn check_activity(
    a: &Value,
    s: &Session,
    entity_type: &str,
    entity_id: Option<&str>,
    campaign_id: &str,
    action: &str,
) {
    let keys: BTreeSet<&str> = a
        .as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        BTreeSet::from([
            "action",
            "actor_id",
            "campaign_id",
            "changes",
            "created_at",
            "entity_id",
            "entity_type",
            "id"
        ]),
        "{a}"
    );
    assert_eq!(a["actor_id"], s.user_id.to_string(), "{a}");
    assert_eq!(a["entity_type"], entity_type, "{a}");
    assert_eq!(
        a["entity_id"],
        entity_id.map_or(Value::Null, |i| json!(i)),
        "{a}"
    );
    assert_eq!(a["campaign_id"], campaign_id, "{a}");
    assert_eq!(a["action"], action, "{a}");
    assert!(a["changes"].is_object(), "{a}");
    let t = a["created_at"].as_str().unwrap_or_default();
    assert!(chrono::DateTime::parse_from_rfc3339(t).is_ok(), "{a}");
}
