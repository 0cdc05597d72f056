//! Limits: password hashes at once, and the size of the login/register throttle's table.

use kandid_tests::TestApp;
use reqwest::Method;
use serde_json::json;
use std::time::Duration;
use tokio::task::JoinSet;

/// Fires `n` registrations at once; returns each (status, code, Retry-After).
async fn register_flood(app: &TestApp, n: usize) -> Vec<(u16, String, Option<String>)> {
    let mut set = JoinSet::new();
    for i in 0..n {
        let (client, base) = (app.client.clone(), app.base.clone());
        set.spawn(async move {
            let body = json!({"name": "Flood", "email": format!("flood{i}-{}@example.com", uuid::Uuid::new_v4().simple()), "password": "correct horse"});
            let res = client
                .post(format!("{base}/api/auth/register"))
                .json(&body)
                .send()
                .await;
            match res {
                Ok(r) => {
                    let status = r.status().as_u16();
                    let retry = r
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned);
                    let body: serde_json::Value = r.json().await.unwrap_or_default();
                    (status, body["code"].as_str().unwrap_or("").to_owned(), retry)
                }
                Err(e) => panic!("register failed: {e}"),
            }
        });
    }
    let mut out = Vec::new();
    while let Some(r) = set.join_next().await {
        match r {
            Ok(r) => out.push(r),
            Err(e) => panic!("task failed: {e}"),
        }
    }
    out
}

#[tokio::test]
async fn password_hashes_beyond_the_limit_wait_their_turn() {
    let app = TestApp::spawn_with(|c| {
        c.password_hash_concurrency = std::num::NonZeroUsize::new(1);
        c.password_hash_wait = Duration::from_secs(60);
    })
    .await;
    let results = register_flood(&app, 8).await;
    assert!(
        results.iter().all(|(s, _, _)| *s == 201),
        "every registration queued for its turn: {results:?}"
    );
}

/// Every registration of a flood was either served or refused with 429 `rate_limited` and
/// `Retry-After: 1`.
fn assert_served_or_throttled(results: &[(u16, String, Option<String>)]) {
    for (status, code, retry) in results {
        match status {
            201 => {}
            429 => {
                assert_eq!(code, "rate_limited");
                assert_eq!(retry.as_deref(), Some("1"), "Retry-After");
            }
            other => panic!("unexpected {other} {code}: {results:?}"),
        }
    }
}

#[tokio::test]
async fn a_flood_beyond_the_hashing_queue_is_refused_at_once() {
    // One hash at a time and a long wait: the queue (32 per permit) holds the excess.
    let app = TestApp::spawn_with(|c| {
        c.password_hash_concurrency = std::num::NonZeroUsize::new(1);
        c.password_hash_wait = Duration::from_secs(120);
    })
    .await;
    let results = register_flood(&app, 100).await;
    assert_served_or_throttled(&results);
    let served = results.iter().filter(|(s, _, _)| *s == 201).count();
    assert!(
        served > 32,
        "the running hash and a full queue are served: {served}"
    );
    assert!(served < 100, "100 at once overflow a queue of 32");
}

#[tokio::test]
async fn a_hashing_queue_too_long_is_throttled_and_others_go_on() {
    let app = TestApp::spawn_with(|c| {
        c.password_hash_concurrency = std::num::NonZeroUsize::new(1);
        c.password_hash_wait = Duration::ZERO;
    })
    .await;
    let s = app.register().await;
    let results = register_flood(&app, 16).await;
    assert_served_or_throttled(&results);
    assert!(
        results.iter().any(|(s, _, _)| *s == 201),
        "one at a time gets through: {results:?}"
    );
    assert!(
        results.iter().any(|(s, _, _)| *s == 429),
        "16 hashes at once with room for one and no wait: {results:?}"
    );
    // Requests that hash nothing are served meanwhile and after; the queue is free again.
    app.get("/api/auth/me", &s.token).await.expect(200);
    app.post_login(json!({"email": s.email, "password": "correct horse battery"}))
        .await
        .expect(200);
}

async fn login_as(app: &TestApp, ip: &str, email: &str) -> u16 {
    let body = json!({"email": email, "password": "12345678"});
    let ip = ip.to_owned();
    app.request(Method::POST, "/api/auth/login", None, move |r| {
        r.header("x-forwarded-for", ip).json(&body)
    })
    .await
    .status
    .as_u16()
}

#[tokio::test]
async fn the_throttle_tracks_a_bounded_number_of_keys_and_keeps_the_tracked_ones() {
    // Each failed attempt is tracked under its IP and its e-mail, each table with room
    // for two: room for two clients.
    let app = TestApp::spawn_with(|c| {
        c.auth_rate_per_minute = 3;
        c.trusted_proxies = 1;
        c.auth_throttle_max_keys = 2;
    })
    .await;
    assert_eq!(login_as(&app, "10.0.0.1", "a@example.com").await, 401);
    assert_eq!(login_as(&app, "10.0.0.2", "b@example.com").await, 401);
    // A flood of new clients while the table is full: all refused, none tracked.
    for i in 3..40 {
        let res = app
            .request(Method::POST, "/api/auth/login", None, move |r| {
                r.header("x-forwarded-for", format!("10.0.1.{i}"))
                    .json(&json!({"email": format!("new{i}@example.com"), "password": "12345678"}))
            })
            .await
            .problem(429, "rate_limited");
        assert!(res.header("retry-after").is_some());
    }
    // The tracked clients keep their own quota: not reset, not pushed out.
    assert_eq!(login_as(&app, "10.0.0.1", "a@example.com").await, 401);
    assert_eq!(login_as(&app, "10.0.0.1", "a@example.com").await, 401);
    assert_eq!(
        login_as(&app, "10.0.0.1", "a@example.com").await,
        429,
        "the fourth attempt of a tracked client is over its quota of 3"
    );
    assert_eq!(login_as(&app, "10.0.0.2", "b@example.com").await, 401);
}

#[tokio::test]
async fn ipv6_clients_are_throttled_by_their_64() {
    let app = TestApp::spawn_with(|c| {
        c.auth_rate_per_minute = 2;
        c.trusted_proxies = 1;
    })
    .await;
    assert_eq!(
        login_as(&app, "2001:db8:1:2::1", "v1@example.com").await,
        401
    );
    assert_eq!(
        login_as(&app, "2001:db8:1:2::2", "v2@example.com").await,
        401
    );
    assert_eq!(
        login_as(&app, "2001:db8:1:2:ffff::3", "v3@example.com").await,
        429,
        "a third address of the same /64"
    );
    assert_eq!(
        login_as(&app, "2001:db8:1:3::1", "v4@example.com").await,
        401,
        "another /64 has its own bucket"
    );
}
