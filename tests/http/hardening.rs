//! Defaults that hold when nobody configured them: tokens not valid yet, a guessable
//! signing secret, the pages' browser protections, which origins may open a socket, and who
//! may read `/metrics`.

use kandid_tests::{Res, SECRET, TestApp, mint, test_config};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_token_not_valid_yet_is_refused() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let now = chrono::Utc::now().timestamp();
    let claims = |nbf: i64| {
        json!({"sub": s.user_id, "ws": s.workspace_id, "role": "owner", "iat": now,
               "exp": now + 3600, "nbf": nbf})
    };
    let early = mint(&claims(now + 600), SECRET);
    let res = app
        .get("/api/auth/me", &early)
        .await
        .problem(401, "unauthorized");
    assert_eq!(res.header("www-authenticate"), Some("Bearer"));
    app.get("/api/auth/me", &mint(&claims(now - 5), SECRET))
        .await
        .expect(200);
}

#[tokio::test]
async fn a_short_jwt_secret_refuses_to_start_and_says_which_setting() {
    let dir = std::env::temp_dir().join(format!("kandid-secret-{}", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}/kandid.db?mode=rwc", dir.display());
    for short in ["x", "0123456789abcdef0123456789abcde"] {
        let mut c = test_config(&url);
        c.jwt_secret = Some(short.into());
        match kandid::build(c).await {
            Ok(_) => panic!("started with a {}-byte JWT_SECRET", short.len()),
            Err(e) => {
                let msg = format!("{e:#}");
                assert!(msg.contains("JWT_SECRET"), "{msg}");
                assert!(msg.contains("32"), "says how long it must be: {msg}");
            }
        }
    }
    let mut c = test_config(&url);
    c.jwt_secret = Some("0123456789abcdef0123456789abcdef".into());
    assert!(kandid::build(c).await.is_ok(), "32 bytes are enough");
    let _ = std::fs::remove_dir_all(&dir);
}

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Res {
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    app.request(Method::GET, path, None, move |mut r| {
        for (k, v) in headers {
            r = r.header(k, v);
        }
        r
    })
    .await
}

#[tokio::test]
async fn pages_are_not_framed_sniffed_or_leaking_referrers() {
    let app = TestApp::spawn().await;
    for path in ["/app/", "/app/app.js", "/docs/", "/docs/swagger-ui.css"] {
        let res = get(&app, path, &[]).await.expect(200);
        let csp = res.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("default-src"), "{path}: CSP {csp:?}");
        assert!(
            csp.contains("frame-ancestors 'none'"),
            "{path}: CSP {csp:?}"
        );
        assert!(!csp.contains("unsafe-eval"), "{path}: CSP {csp:?}");
        assert_eq!(res.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(res.header("referrer-policy"), Some("no-referrer"), "{path}");
        assert_eq!(
            res.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
    }
    // Every answer, JSON and errors included, says what it is.
    let s = app.register().await;
    for (path, status) in [
        ("/api/auth/me", 401),
        ("/api/campaigns", 200),
        ("/healthz", 200),
        ("/nowhere", 404),
        ("/socket.io/?EIO=4&transport=polling", 200),
    ] {
        let token = (status == 200).then_some(s.token.as_str());
        let res = app.send(Method::GET, path, token, None).await;
        assert_eq!(res.status.as_u16(), status, "{path}");
        assert_eq!(
            res.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
    }
}
/// Opens a Socket.IO polling handshake with these headers; returns the status.
async fn handshake(app: &TestApp, headers: &[(&str, &str)]) -> u16 {
    get(app, "/socket.io/?EIO=4&transport=polling", headers)
        .await
        .status
        .as_u16()
}

#[tokio::test]
async fn only_configured_origins_open_a_socket_whatever_the_host_says() {
    let app = TestApp::spawn().await;
    let port = app.base.rsplit(':').next().unwrap_or_default().to_owned();
    // A page elsewhere that names itself as the host (DNS rebinding does exactly this).
    for host in [
        "evil.example",
        "evil.example:80",
        &format!("evil.example:{port}"),
    ] {
        let origin = format!("http://{host}");
        assert_eq!(
            handshake(&app, &[("origin", &origin), ("host", host)]).await,
            403,
            "{origin}"
        );
    }
    assert_eq!(
        handshake(&app, &[("origin", "https://127.0.0.1.evil.example")]).await,
        403
    );
    // What is allowed: CORS_ORIGINS, this server's own pages on the loopback origins of
    // its port (the /app page of a local run), and clients that send no Origin at all.
    for origin in [
        "http://localhost:3000".to_owned(),
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
    ] {
        assert_eq!(
            handshake(&app, &[("origin", &origin)]).await,
            200,
            "{origin}"
        );
    }
    assert_eq!(handshake(&app, &[]).await, 200);
    // Another port on loopback is another site.
    assert_eq!(
        handshake(&app, &[("origin", "http://127.0.0.1:1")]).await,
        403
    );

    // The public origin, when set, is this server's own too; `*` still allows any.
    let app =
        TestApp::spawn_with(|c| c.public_origin = Some("https://kandid.example".into())).await;
    assert_eq!(
        handshake(&app, &[("origin", "https://kandid.example")]).await,
        200
    );
    let app = TestApp::spawn_with(|c| c.cors_origins = vec!["*".into()]).await;
    assert_eq!(
        handshake(&app, &[("origin", "http://evil.example"), ("host", "x")]).await,
        200
    );
}
#[tokio::test]
async fn metrics_answer_local_scrapers_and_no_one_else_by_default() {
    let app = TestApp::spawn().await;
    let res = get(&app, "/metrics", &[]).await.expect(200);
    assert!(
        res.header("content-type")
            .unwrap_or("")
            .contains("openmetrics")
    );
    // Through a proxy on this host the TCP peer is loopback too, but the request is not local.
    for (name, value) in [
        ("x-forwarded-for", "203.0.113.9"),
        ("forwarded", "for=203.0.113.9"),
        ("x-real-ip", "203.0.113.9"),
    ] {
        get(&app, "/metrics", &[(name, value)])
            .await
            .problem(403, "forbidden");
    }
}

#[tokio::test]
async fn with_a_metrics_token_metrics_need_it() {
    const TOKEN: &str = "scrape-token-0123456789";
    let app = TestApp::spawn_with(|c| c.metrics_token = Some(TOKEN.into())).await;
    let res = get(&app, "/metrics", &[])
        .await
        .problem(401, "unauthorized");
    assert_eq!(res.header("www-authenticate"), Some("Bearer"));
    for wrong in [
        "Bearer nope",
        "Bearer scrape-token-012345678",
        "Basic c2NyYXBl",
    ] {
        get(&app, "/metrics", &[("authorization", wrong)])
            .await
            .problem(401, "unauthorized");
    }
    let good = format!("Bearer {TOKEN}");
    get(&app, "/metrics", &[("authorization", &good)])
        .await
        .expect(200);
    // The token works through a proxy as well.
    get(
        &app,
        "/metrics",
        &[("authorization", &good), ("x-forwarded-for", "203.0.113.9")],
    )
    .await
    .expect(200);
}
