//! Register, login, me; token rejection; rate limiting.

use kandid_tests::{SECRET, TestApp, mint};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn register_login_me() {
    let app = TestApp::spawn().await;
    let res = app.post_register(json!({"name": "Ada", "email": "Ada@Example.com", "password": "12345678", "workspace_name": "Acme"}))
        .await
        .expect(201);
    assert_eq!(res.body["user"]["email"], "ada@example.com");
    assert_eq!(res.body["user"]["role"], "owner");
    assert_eq!(res.body["workspace"]["name"], "Acme");
    assert!(res.body["user"].get("password_hash").is_none());

    let login = app
        .post_login(json!({"email": "ada@example.com", "password": "12345678"}))
        .await
        .expect(200);
    let token = login.body["token"].as_str().unwrap_or_default().to_owned();
    let me = app.get("/api/auth/me", &token).await.expect(200);
    assert_eq!(me.body["user"]["id"], res.body["user"]["id"]);
    assert_eq!(me.body["workspace"]["id"], res.body["workspace"]["id"]);

    // A wrong password and an unknown e-mail read the same, and say what a person can fix.
    for body in [
        json!({"email": "ada@example.com", "password": "wrong-password"}),
        json!({"email": "nobody@example.com", "password": "12345678"}),
    ] {
        let res = app.post_login(body).await.problem(401, "unauthorized");
        assert_eq!(res.body["detail"], "wrong e-mail or password");
    }
    app.post_register(json!({"name": "Ada", "email": "ADA@example.com", "password": "12345678"}))
        .await
        .problem(409, "conflict");
}

#[tokio::test]
async fn register_validation_names_every_field() {
    let app = TestApp::spawn().await;
    let res = app
        .post_register(json!({"name": "", "email": "nope", "password": "short"}))
        .await
        .problem(422, "validation_failed");
    let mut fields = res.fields();
    fields.sort();
    assert_eq!(fields, ["email", "name", "password"]);
    let res = app
        .post_register(json!({}))
        .await
        .problem(422, "validation_failed");
    assert_eq!(res.fields().len(), 3);
    // Lengths count characters: 8 two-byte characters are a valid password.
    app.post_register(json!({"name": "é", "email": "e@example.com", "password": "éééééééé"}))
        .await
        .expect(201);
    app.post_register(json!({"name": "x", "email": "f@example.com", "password": "ééé"}))
        .await
        .problem(422, "validation_failed");
}

#[tokio::test]
async fn bad_tokens_are_401() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let now = chrono::Utc::now().timestamp();
    let claims = |exp: i64| json!({"sub": s.user_id, "ws": s.workspace_id, "role": "owner", "iat": now, "exp": exp});
    let expired = mint(&claims(now - 120), SECRET);
    let foreign = mint(&claims(now + 600), "another-secret");
    let valid_minted = mint(&claims(now + 600), SECRET);
    // alg: none, with otherwise valid claims.
    use base64::Engine;
    let b64 = |v: &serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&claims(now + 600))
    );
    // HS384 with the right secret is still not HS256.
    let hs384 = match jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS384),
        &claims(now + 600),
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    ) {
        Ok(t) => t,
        Err(e) => panic!("encoding an HS384 token: {e}"),
    };

    for bad in [
        expired.as_str(),
        foreign.as_str(),
        none.as_str(),
        hs384.as_str(),
        "garbage",
        "a.b.c",
        "",
    ] {
        let res = app
            .get("/api/campaigns", bad)
            .await
            .problem(401, "unauthorized");
        assert_eq!(res.header("www-authenticate"), Some("Bearer"));
    }
    app.send(Method::GET, "/api/campaigns", None, None)
        .await
        .problem(401, "unauthorized");
    let raw = app
        .request(Method::GET, "/api/campaigns", None, |r| {
            r.header("authorization", "Basic abc")
        })
        .await;
    raw.problem(401, "unauthorized");
    app.get("/api/campaigns", &valid_minted).await.expect(200);
    app.get("/api/auth/me", &valid_minted).await.expect(200);
}

#[tokio::test]
async fn viewers_are_read_only() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let owner_campaign = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let viewer = app.member(&s, "viewer").await.token;
    app.get("/api/campaigns", &viewer).await.expect(200);
    app.get("/api/dashboard", &viewer).await.expect(200);
    app.post("/api/campaigns", &viewer, json!({"name": "x"}))
        .await
        .problem(403, "forbidden");
    let id = owner_campaign["id"].as_str().unwrap_or_default();
    app.patch(
        &format!("/api/campaigns/{id}"),
        &viewer,
        json!({"name": "y"}),
    )
    .await
    .problem(403, "forbidden");
    app.delete(&format!("/api/campaigns/{id}"), &viewer)
        .await
        .problem(403, "forbidden");
    app.post(
        "/api/leads",
        &viewer,
        json!({"name": "x", "campaign_id": id}),
    )
    .await
    .problem(403, "forbidden");
}

#[tokio::test]
async fn the_role_claim_is_not_trusted() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let viewer = app.member(&s, "viewer").await;
    // The viewer signs themself an "owner" token: the membership says viewer.
    let forged = app.token_with_role(&viewer, "owner");
    app.post("/api/campaigns", &forged, json!({"name": "x"}))
        .await
        .problem(403, "forbidden");
    let me = app.get("/api/auth/me", &forged).await.expect(200);
    assert_eq!(me.body["user"]["role"], "viewer");
    // And an owner's token that claims "viewer" still acts as the owner.
    let modest = app.token_with_role(&s, "viewer");
    app.post("/api/campaigns", &modest, json!({"name": "y"}))
        .await
        .expect(201);
}

#[tokio::test]
async fn login_and_register_are_rate_limited() {
    let app = TestApp::spawn_with(|c| c.auth_rate_per_minute = 3).await;
    let body = json!({"email": "nobody@example.com", "password": "12345678"});
    for _ in 0..3 {
        app.post_login(body.clone())
            .await
            .problem(401, "unauthorized");
    }
    let res = app.post_login(body).await.problem(429, "rate_limited");
    let retry: u64 = res
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!(retry >= 1, "Retry-After missing");
    // The limit is per IP: register from the same address is throttled too.
    app.post_register(json!({"name": "a", "email": "a@b.co", "password": "12345678"}))
        .await
        .problem(429, "rate_limited");
}

/// A failed login with a fresh e-mail (so only the IP bucket counts); returns the status.
async fn login_from(app: &TestApp, n: u32, forwarded: &'static str) -> u16 {
    let body = json!({"email": format!("nobody{n}@example.com"), "password": "12345678"});
    app.request(Method::POST, "/api/auth/login", None, move |r| {
        r.header("x-forwarded-for", forwarded).json(&body)
    })
    .await
    .status
    .as_u16()
}

#[tokio::test]
async fn behind_trusted_proxies_the_forwarded_client_is_throttled() {
    // One proxy in front: the last X-Forwarded-For entry is the client; what the client
    // itself put further left is not trusted.
    let app = TestApp::spawn_with(|c| {
        c.auth_rate_per_minute = 2;
        c.trusted_proxies = 1;
    })
    .await;
    assert_eq!(login_from(&app, 1, "6.6.6.6, 10.0.0.1").await, 401);
    assert_eq!(login_from(&app, 2, "7.7.7.7, 10.0.0.1").await, 401);
    assert_eq!(login_from(&app, 3, "8.8.8.8, 10.0.0.1").await, 429);
    assert_eq!(
        login_from(&app, 4, "10.0.0.2").await,
        401,
        "another client has its own bucket"
    );

    // No trusted proxy: the header is ignored and the TCP peer is throttled.
    let app = TestApp::spawn_with(|c| c.auth_rate_per_minute = 2).await;
    assert_eq!(login_from(&app, 1, "10.0.0.1").await, 401);
    assert_eq!(login_from(&app, 2, "10.0.0.2").await, 401);
    assert_eq!(login_from(&app, 3, "10.0.0.3").await, 429);
}

#[tokio::test]
async fn one_e_mail_is_throttled_whatever_address_it_comes_from() {
    // A password guesser spreading over many addresses still hits the e-mail's ceiling of
    // failed logins (here as low as the address quota, to need few addresses).
    let app = TestApp::spawn_with(|c| {
        c.auth_rate_per_minute = 2;
        c.auth_email_failures_per_minute = Some(2);
        c.trusted_proxies = 1;
    })
    .await;
    let attempt = |ip: &'static str, email: &'static str| {
        let body = json!({"email": email, "password": "12345678"});
        app.request(Method::POST, "/api/auth/login", None, move |r| {
            r.header("x-forwarded-for", ip).json(&body)
        })
    };
    assert_eq!(attempt("10.0.0.1", "target@example.com").await.status, 401);
    assert_eq!(attempt("10.0.0.2", "target@example.com").await.status, 401);
    let res = attempt("10.0.0.3", "target@example.com")
        .await
        .problem(429, "rate_limited");
    assert!(res.header("retry-after").is_some(), "Retry-After missing");
    // From a fresh address, another e-mail is not held back by the first one's bucket.
    assert_eq!(attempt("10.0.0.4", "other@example.com").await.status, 401);
}
