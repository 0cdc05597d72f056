//! Sessions: a token issued before its person's current membership began gives no access
//! (an old copy is not revived by being invited back).

use kandid_tests::{SECRET, Session, TestApp, mint};
use serde_json::{Value, json};

fn str_of(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

/// A session-shaped token of `s`'s user in workspace `ws`, issued at `iat`.
fn issued_at(s: &Session, ws: uuid::Uuid, iat: i64) -> String {
    mint(
        &json!({"sub": s.user_id, "ws": ws, "role": "member", "iat": iat, "exp": iat + 3600}),
        SECRET,
    )
}

#[tokio::test]
async fn invited_back_a_member_s_old_tokens_stay_dead() {
    let app = TestApp::spawn().await;
    let owner = app.register().await;
    let x = app.register().await;
    let ws = owner.workspace_id;
    let now = chrono::Utc::now().timestamp();

    // X joins; their membership is made an hour old, and a token of it ten minutes old.
    let inv = app.invite(&owner, &x.email, "member").await;
    app.post("/api/invitations/accept", &x.token, json!({"token": inv}))
        .await
        .expect(200);
    // (X is the only `member` of either workspace.)
    app.sql(&format!(
        "UPDATE memberships SET joined_at = '{}' WHERE role = 'member'",
        (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339(),
    ))
    .await;
    let old = issued_at(&x, ws, now - 600);
    app.get("/api/campaigns", &old).await.expect(200);

    // Removed, then invited back: the old token stays refused, the new one works.
    app.delete(
        &format!("/api/workspace/members/{}", x.user_id),
        &owner.token,
    )
    .await
    .expect(204);
    app.get("/api/campaigns", &old)
        .await
        .problem(401, "unauthorized");
    let inv = app.invite(&owner, &x.email, "member").await;
    let back = app
        .post("/api/invitations/accept", &x.token, json!({"token": inv}))
        .await
        .expect(200);
    let new = str_of(&back.body["token"]);
    for path in ["/api/campaigns", "/api/auth/me"] {
        app.get(path, &old).await.problem(401, "unauthorized");
    }
    app.post("/api/auth/refresh", &old, json!({}))
        .await
        .problem(401, "unauthorized");
    app.post("/api/campaigns", &old, json!({"name": "x"}))
        .await
        .problem(401, "unauthorized");
    app.get("/api/campaigns", &new).await.expect(200);
    // A token issued in the very second of joining counts (times are compared in seconds).
    let joined = app
        .get("/api/workspace/members", &owner.token)
        .await
        .expect(200);
    let since = kandid_tests::data(&joined.body)
        .into_iter()
        .find(|m| m["id"] == x.user_id.to_string() || m["user_id"] == x.user_id.to_string())
        .and_then(|m| m["joined_at"].as_str().map(str::to_owned))
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.timestamp());
    let Some(since) = since else {
        panic!("no joined_at of {} in {}", x.user_id, joined.body)
    };
    app.get("/api/campaigns", &issued_at(&x, ws, since))
        .await
        .expect(200);
    app.get("/api/campaigns", &issued_at(&x, ws, since - 1))
        .await
        .problem(401, "unauthorized");
}
