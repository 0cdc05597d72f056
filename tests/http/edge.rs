//! The login throttle where an attacker pushes on it: which client it keys on behind
//! proxies, and what one address can do to someone else's account.

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

#[tokio::test]
async fn one_address_failing_cannot_lock_the_owner_out_elsewhere() {
    let app = TestApp::spawn_with(|c| {
        c.auth_rate_per_minute = 3;
        c.trusted_proxies = 1;
    })
    .await;
    let owner = app.register().await;
    // The attacker's address is throttled after its quota...
    let mut statuses = Vec::new();
    for _ in 0..30 {
        let res = login_via(&app, "203.0.113.66", &owner.email, "wrong password").await;
        statuses.push(res.status.as_u16());
    }
    assert_eq!(&statuses[..3], [401, 401, 401]);
    assert!(statuses[3..].iter().all(|s| *s == 429), "{statuses:?}");
    // ...and the owner, elsewhere, signs in all the same: the attacker's refused attempts
    // did not count against the account, only its three failures did (of a ceiling of 30).
    login_via(&app, "198.51.100.7", &owner.email, "correct horse battery")
        .await
        .expect(200);
    // So does the owner from a few more addresses after a few more attackers had a go.
    for attacker in ["203.0.113.67", "203.0.113.68"] {
        for _ in 0..3 {
            login_via(&app, attacker, &owner.email, "wrong password")
                .await
                .problem(401, "unauthorized");
        }
    }
    login_via(&app, "198.51.100.8", &owner.email, "correct horse battery")
        .await
        .expect(200);
}

#[tokio::test]
async fn guessing_one_password_from_many_addresses_hits_the_accounts_ceiling() {
    let app = TestApp::spawn_with(|c| {
        c.auth_rate_per_minute = 2;
        c.auth_email_failures_per_minute = Some(6);
        c.trusted_proxies = 1;
    })
    .await;
    let owner = app.register().await;
    // The account's ceiling of failures, from 3 addresses each within its own quota.
    for a in 0..3 {
        for _ in 0..2 {
            login_via(&app, &format!("203.0.113.{a}"), &owner.email, "guess")
                .await
                .problem(401, "unauthorized");
        }
    }
    // Then a fresh address is throttled on that account (a guess or not)...
    let res = login_via(&app, "203.0.113.200", &owner.email, "guess")
        .await
        .problem(429, "rate_limited");
    assert!(res.header("retry-after").is_some(), "Retry-After missing");
    login_via(&app, "203.0.113.201", &owner.email, "correct horse battery")
        .await
        .problem(429, "rate_limited");
    // ...while other accounts are not.
    let other = app.register().await;
    login_via(&app, "203.0.113.202", &other.email, "correct horse battery")
        .await
        .expect(200);
}

#[tokio::test]
async fn signing_in_successfully_does_not_count_against_the_account() {
    let app = TestApp::spawn_with(|c| {
        c.auth_rate_per_minute = 2;
        c.auth_email_failures_per_minute = Some(4);
        c.trusted_proxies = 1;
    })
    .await;
    let owner = app.register().await;
    // 30 sign-ins from 15 addresses: far over the ceiling, but none of them failed.
    for a in 0..15 {
        for _ in 0..2 {
            login_via(
                &app,
                &format!("198.51.100.{a}"),
                &owner.email,
                "correct horse battery",
            )
            .await
            .expect(200);
        }
    }
}
