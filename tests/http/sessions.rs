//! Sessions: logout ends a sign-in session in every workspace it reached; refresh keeps
//! it up to `SESSION_MAX_AGE`; a token issued before its person's current membership began
//! gives no access (an old copy is not revived by being invited back).

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
    app.remove_member(&owner, x.user_id).await.expect(204);
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

/// Claim `name` of a token.
fn claim(token: &str, name: &str) -> Option<Value> {
    use base64::Engine;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let mut claims: Value = serde_json::from_slice(&bytes).ok()?;
    Some(claims[name].take())
}

/// The `sid` claim of a token.
fn sid_of(token: &str) -> Option<String> {
    claim(token, "sid")?.as_str().map(str::to_owned)
}

/// An owner, and X, who joins the owner's workspace by invitation while signed in: X's
/// token there, of X's sign-in session.
async fn x_joins(app: &TestApp) -> (Session, Session, String) {
    let owner = app.register().await;
    let x = app.register().await;
    let inv = app.invite(&owner, &x.email, "member").await;
    let accepted = app
        .post("/api/invitations/accept", &x.token, json!({"token": inv}))
        .await
        .expect(200);
    let there = str_of(&accepted.body["token"]);
    (owner, x, there)
}

/// The tokens the server issues carry their issue time to the millisecond: one issued
/// before a removal stays dead when its person is invited back within the same second.
#[tokio::test]
async fn invited_back_in_the_same_second_a_token_from_before_stays_dead() {
    let app = TestApp::spawn().await;
    let (owner, x, mut old) = x_joins(&app).await;
    let issued = |t: &str| claim(t, "iat_ms").and_then(|v| v.as_i64()).unwrap_or(-1);
    // One issued before the last millisecond of its second, so a membership can begin
    // after it within that second.
    while issued(&old) % 1000 == 999 {
        let res = app
            .post("/api/auth/refresh", &old, json!({}))
            .await
            .expect(200);
        old = str_of(&res.body["token"]);
    }
    let iat_ms = issued(&old);
    assert!(iat_ms > 0, "no iat_ms in {old}");
    app.remove_member(&owner, x.user_id).await.expect(204);
    let inv = app.invite(&owner, &x.email, "member").await;
    let back = app
        .post("/api/invitations/accept", &x.token, json!({"token": inv}))
        .await
        .expect(200);
    let new = str_of(&back.body["token"]);
    // The new membership began in the old token's second, after it, and no later than the
    // new token. (X is the only `member` of either workspace.)
    let joined = issued(&new).min(iat_ms - iat_ms % 1000 + 999);
    assert!(joined > iat_ms, "{new} issued no later than {old}");
    let joined = chrono::DateTime::from_timestamp_millis(joined)
        .map(|t| t.to_rfc3339())
        .unwrap_or_default();
    app.sql(&format!(
        "UPDATE memberships SET joined_at = '{joined}' WHERE role = 'member'"
    ))
    .await;
    for path in ["/api/campaigns", "/api/auth/me"] {
        app.get(path, &old).await.problem(401, "unauthorized");
        app.get(path, &new).await.expect(200);
    }
}

fn token_of(res: &kandid_tests::Res) -> String {
    str_of(&res.body["token"])
}

#[tokio::test]
async fn logout_ends_the_session_in_every_workspace_it_reached() {
    let app = TestApp::spawn().await;
    let owner = app.register().await;
    let x = app.register().await;
    let first = x.token.clone();
    let Some(sid) = sid_of(&first) else {
        panic!("no sid in a registration's token")
    };
    // Refreshed, switched and joined: every token keeps the sign-in's session.
    let refreshed = token_of(
        &app.post("/api/auth/refresh", &first, json!({}))
            .await
            .expect(200),
    );
    let inv = app.invite(&owner, &x.email, "member").await;
    let joined = token_of(
        &app.post("/api/invitations/accept", &refreshed, json!({"token": inv}))
            .await
            .expect(200),
    );
    let switched = token_of(
        &app.post(
            "/api/auth/switch",
            &joined,
            json!({"workspace_id": x.workspace_id}),
        )
        .await
        .expect(200),
    );
    for t in [&refreshed, &joined, &switched] {
        assert_eq!(sid_of(t).as_deref(), Some(sid.as_str()));
    }
    // Another sign-in of the same person is another session, untouched by this logout.
    let elsewhere = token_of(
        &app.post_login(json!({"email": x.email, "password": "correct horse battery"}))
            .await
            .expect(200),
    );
    assert_ne!(sid_of(&elsewhere), Some(sid.clone()));

    app.send(
        reqwest::Method::POST,
        "/api/auth/logout",
        Some(&joined),
        None,
    )
    .await
    .expect(204);
    for t in [&first, &refreshed, &joined, &switched] {
        app.get("/api/campaigns", t)
            .await
            .problem(401, "unauthorized");
        app.post("/api/auth/refresh", t, json!({}))
            .await
            .problem(401, "unauthorized");
        app.post(
            "/api/auth/switch",
            t,
            json!({"workspace_id": owner.workspace_id}),
        )
        .await
        .problem(401, "unauthorized");
    }
    app.send(
        reqwest::Method::POST,
        "/api/auth/logout",
        Some(&first),
        None,
    )
    .await
    .problem(401, "unauthorized");
    app.get("/api/campaigns", &elsewhere).await.expect(200);
    app.get("/api/campaigns", &owner.token).await.expect(200);
}

#[tokio::test]
async fn tokens_without_a_session_live_until_exp_and_integration_tokens_may_not_log_out() {
    let app = TestApp::spawn().await;
    let owner = app.register().await;
    // Minted with the secret, as an integration may: no session to end.
    let minted = app.token_with_role(&owner, "owner");
    app.send(
        reqwest::Method::POST,
        "/api/auth/logout",
        Some(&minted),
        None,
    )
    .await
    .expect(204);
    app.get("/api/campaigns", &minted).await.expect(200);
    // Its refresh starts a session of its own, which logout then ends.
    let refreshed = token_of(
        &app.post("/api/auth/refresh", &minted, json!({}))
            .await
            .expect(200),
    );
    assert!(sid_of(&refreshed).is_some());
    app.send(
        reqwest::Method::POST,
        "/api/auth/logout",
        Some(&refreshed),
        None,
    )
    .await
    .expect(204);
    app.get("/api/campaigns", &refreshed)
        .await
        .problem(401, "unauthorized");
    app.get("/api/campaigns", &minted).await.expect(200);
    // An integration token is revoked, not logged out.
    let it = app
        .post(
            "/api/tokens",
            &owner.token,
            json!({"name": "it", "role": "member"}),
        )
        .await
        .expect(201);
    let it = token_of(&it);
    app.send(reqwest::Method::POST, "/api/auth/logout", Some(&it), None)
        .await
        .problem(403, "forbidden");
    app.get("/api/campaigns", &it).await.expect(200);
    app.get("/api/campaigns", &owner.token).await.expect(200);
}

#[tokio::test]
async fn refresh_keeps_the_session_until_its_max_age() {
    let app =
        TestApp::spawn_with(|c| c.session_max_age = std::time::Duration::from_secs(3600)).await;
    let s = app.register().await;
    let mut token = s.token.clone();
    for _ in 0..3 {
        let next = token_of(
            &app.post("/api/auth/refresh", &token, json!({}))
                .await
                .expect(200),
        );
        assert_eq!(sid_of(&next), sid_of(&s.token), "refresh keeps the session");
        token = next;
    }
    // The sign-in was longer ago than SESSION_MAX_AGE: no more refreshes.
    app.sql(&format!(
        "UPDATE sessions SET created_at = '{}'",
        (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc3339(),
    ))
    .await;
    app.post("/api/auth/refresh", &token, json!({}))
        .await
        .problem(401, "unauthorized");
    // Nor a fresh token by switching workspace (to the same one, or any other).
    app.post(
        "/api/auth/switch",
        &token,
        json!({"workspace_id": s.workspace_id}),
    )
    .await
    .problem(401, "unauthorized");
    // Signing in again starts a new session, which refreshes.
    let again = token_of(
        &app.post_login(json!({"email": s.email, "password": "correct horse battery"}))
            .await
            .expect(200),
    );
    assert_ne!(sid_of(&again), sid_of(&s.token));
    app.post("/api/auth/refresh", &again, json!({}))
        .await
        .expect(200);
}

#[tokio::test]
async fn sessions_whose_tokens_have_all_expired_are_deleted() {
    // Tokens of an hour at first (the test default); then tokens of 2 s, which prunes
    // every second: a session keeps its own expiry, whatever the pruning node's JWT_TTL.
    let mut app = TestApp::spawn().await;
    let long = app.register().await;
    let old = app.register().await;
    let legacy = app.register().await;
    let an_hour_ago = if app.database_url.starts_with("sqlite") {
        "datetime('now', '-1 hour')"
    } else {
        "now() - interval '1 hour'"
    };
    let of = |s: &Session| {
        format!(
            "user_id IN (SELECT id FROM users WHERE email = '{}')",
            s.email
        )
    };
    // `old`'s last token expired an hour ago; `legacy` is from before expiries were kept
    // and last got a token an hour ago.
    app.sql(&format!(
        "UPDATE sessions SET refreshed_at = {an_hour_ago}, expires_at = {an_hour_ago} WHERE {}",
        of(&old)
    ))
    .await;
    app.sql(&format!(
        "UPDATE sessions SET refreshed_at = {an_hour_ago}, expires_at = NULL WHERE {}",
        of(&legacy)
    ))
    .await;
    app.restart_with(|c| c.jwt_ttl = std::time::Duration::from_secs(2))
        .await;
    let current = app.register().await;
    assert_ne!(sid_of(&old.token), sid_of(&current.token));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.count("SELECT COUNT(*) FROM sessions").await != 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "not exactly the two expired sessions were deleted"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // A refresh under the shorter JWT_TTL leaves `long`'s kept expiry where its hour-long
    // token put it.
    app.post("/api/auth/refresh", &long.token, json!({}))
        .await
        .expect(200);
    let held = if app.database_url.starts_with("sqlite") {
        "julianday(expires_at) > julianday('now', '+30 minutes')"
    } else {
        "expires_at > now() + interval '30 minutes'"
    };
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sessions WHERE {held} AND {}",
            of(&long)
        ))
        .await,
        1,
        "a refresh moved the session's expiry earlier than its first token's"
    );
    // Left: the current session and the one whose hour-long token is still valid.
    for s in [&current, &long] {
        app.post("/api/auth/refresh", &s.token, json!({}))
            .await
            .expect(200);
    }
    for s in [&old, &legacy] {
        app.post("/api/auth/refresh", &s.token, json!({}))
            .await
            .problem(401, "unauthorized");
    }
}

/// Nothing a session writes commits after its logout was answered: a logout during a long
/// import by the same session either waits for the import to commit, or the import is
/// refused whole (PostgreSQL: the import's transaction holds the session row; SQLite: the
/// import's next staged write checks the session again).
#[tokio::test]
async fn a_logout_during_an_import_of_its_session_is_not_outlived_by_it() {
    const N: usize = 20_000;
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let cid = kandid_tests::id(&app.create_campaign(&s.token, json!({"name": "Big"})).await);
    let rows: Value = (0..N)
        .map(|i| json!({"name": format!("lead {i}"), "email": format!("lead-{i}@example.com")}))
        .collect();
    // The import is under way once its rows are being written.
    let under_way = if app.database_url.starts_with("postgres") {
        "SELECT COUNT(*) FROM pg_locks WHERE relation = 'leads'::regclass \
         AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid()"
    } else {
        "SELECT COUNT(*) FROM lead_imports"
    };
    // Leads anyone may see: on SQLite, not the rows of an import still being staged.
    let visible = "SELECT COUNT(*) FROM leads \
         WHERE import_id IS NULL OR import_id NOT IN (SELECT id FROM lead_imports)";
    let import = async { app.import_json(&s.token, &cid, rows).await.status.as_u16() };
    let logout = async {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while app.count(under_way).await == 0 {
            assert!(
                std::time::Instant::now() < deadline,
                "the import never got under way"
            );
            tokio::task::yield_now().await;
        }
        app.post("/api/auth/logout", &s.token, json!({}))
            .await
            .expect(204);
        // What had committed when the logout was answered.
        app.count(visible).await
    };
    let (status, at_logout) = tokio::join!(import, logout);
    let leads = app.count("SELECT COUNT(*) FROM leads").await;
    match status {
        200 => {
            assert_eq!(
                at_logout, N as i64,
                "the import committed after the logout was answered"
            );
            assert_eq!(leads, N as i64);
        }
        401 => {
            assert_eq!(at_logout, 0, "a refused import was seen");
            assert_eq!(leads, 0, "a refused import left rows");
        }
        other => panic!("import answered {other}"),
    }
}

/// A token for a workspace its person was removed from still ends its session, whose other
/// tokens (the person's own workspace) die with it; a second logout finds nothing to end.
#[tokio::test]
async fn a_token_of_a_workspace_left_behind_still_signs_the_session_out() {
    let app = TestApp::spawn().await;
    let (owner, x, there) = x_joins(&app).await;
    app.remove_member(&owner, x.user_id).await.expect(204);
    app.get("/api/auth/me", &there)
        .await
        .problem(401, "unauthorized");
    app.get("/api/auth/me", &x.token).await.expect(200);

    app.post("/api/auth/logout", &there, json!({}))
        .await
        .expect(204);
    app.get("/api/auth/me", &x.token)
        .await
        .problem(401, "unauthorized");
    app.post("/api/auth/refresh", &x.token, json!({}))
        .await
        .problem(401, "unauthorized");
    for token in [&there, &x.token] {
        app.post("/api/auth/logout", token, json!({}))
            .await
            .problem(401, "unauthorized");
    }
}
