//! The login throttle where an attacker pushes on it: which client it keys on behind
//! proxies.

use kandid_tests::{Res, TestApp};
use reqwest::Method;
use serde_json::json;

/// A login sent through a proxy that says the request came for `forwarded`.
async fn login_via(app: &TestApp, forwarded: &str, email: &str, password: &str) -> Res {
    let body = json!({"email": email, "password": password});
    let forwarded = forwarded.to_owned();
    app.request(Method::POST, "/api/auth/login", None, move |r| {
        r.header("x-forwarded-for", forwarded).json(&body)
    })
    .await
}

/// A failed login with a fresh e-mail through `forwarded` (so only the address counts).
async fn attempt(app: &TestApp, forwarded: &str) -> u16 {
    let email = format!("nobody-{}@example.com", uuid::Uuid::new_v4().simple());
    login_via(app, forwarded, &email, "12345678")
        .await
        .status
        .as_u16()
}

/// Sends `forwarded(i)` for i in 0..10 with the quota at 3: the client the proxy saw must
/// be throttled after its third attempt, whatever it wrote to the left.
async fn assert_keyed_on_the_proxy_entry(app: &TestApp, forwarded: impl Fn(u32) -> String) {
    let mut statuses = Vec::new();
    for i in 0..10 {
        statuses.push(attempt(app, &forwarded(i)).await);
    }
    assert_eq!(
        statuses,
        [401, 401, 401, 429, 429, 429, 429, 429, 429, 429],
        "e.g. {}",
        forwarded(0)
    );
}

#[tokio::test]
async fn a_forwarded_entry_with_a_port_is_the_client_not_skipped() {
    for entry in ["192.0.2.88:40001", "[2001:db8::1]:443", "[2001:db8::2]"] {
        let app = TestApp::spawn_with(|c| {
            c.auth_rate_per_minute = 3;
            c.trusted_proxies = 1;
        })
        .await;
        // The left-hand entry rotates: it is what the client sent, and must not matter.
        assert_keyed_on_the_proxy_entry(&app, |i| format!("6.6.{i}.6, {entry}")).await;
    }
}

#[tokio::test]
async fn with_and_without_a_port_an_address_is_one_client() {
    let app = TestApp::spawn_with(|c| {
        c.auth_rate_per_minute = 3;
        c.trusted_proxies = 1;
    })
    .await;
    assert_keyed_on_the_proxy_entry(&app, |i| match i % 3 {
        0 => "192.0.2.7".to_owned(),
        1 => format!("192.0.2.7:{}", 1000 + i),
        _ => format!("6.6.{i}.6,192.0.2.7:{}", 2000 + i),
    })
    .await;
}

#[tokio::test]
async fn an_unreadable_entry_where_the_client_should_be_never_lets_the_client_choose() {
    for garbage in [
        "not-an-ip",
        "unknown",
        "_hidden",
        "1.2.3.4:99999",
        "[::1",
        "",
    ] {
        let app = TestApp::spawn_with(|c| {
            c.auth_rate_per_minute = 3;
            c.trusted_proxies = 1;
        })
        .await;
        assert_keyed_on_the_proxy_entry(&app, |i| format!("6.6.{i}.6, {garbage}")).await;
    }
    // Two proxies: the entry the outer one wrote is unreadable; the inner one's is ignored
    // as well, and so is everything the client wrote.
    let app = TestApp::spawn_with(|c| {
        c.auth_rate_per_minute = 3;
        c.trusted_proxies = 2;
    })
    .await;
    assert_keyed_on_the_proxy_entry(&app, |i| format!("6.6.{i}.6, garbage, 10.0.0.1")).await;
}
