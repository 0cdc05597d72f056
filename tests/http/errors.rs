//! The error table of the contract, row by row, on REST; health endpoints; request ids.

use kandid_tests::{Res, TestApp, id};
use reqwest::Method;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Every route of the REST API with a placeholder `{c}` (campaign) or `{l}` (lead) id.
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/campaigns"),
    ("POST", "/api/campaigns"),
    ("GET", "/api/campaigns/{c}"),
    ("PUT", "/api/campaigns/{c}"),
    ("PATCH", "/api/campaigns/{c}"),
    ("DELETE", "/api/campaigns/{c}"),
    ("GET", "/api/campaigns/{c}/sequence"),
    ("PUT", "/api/campaigns/{c}/sequence"),
    ("POST", "/api/campaigns/{c}/leads/import"),
    ("GET", "/api/leads"),
    ("POST", "/api/leads"),
    ("GET", "/api/leads/{l}"),
    ("PUT", "/api/leads/{l}"),
    ("PATCH", "/api/leads/{l}"),
    ("DELETE", "/api/leads/{l}"),
    ("GET", "/api/activities"),
    ("GET", "/api/dashboard"),
    ("GET", "/api/events"),
    ("GET", "/api/auth/me"),
];

fn method(m: &str) -> Method {
    Method::from_bytes(m.as_bytes()).unwrap_or(Method::GET)
}

fn route(path: &str, c: &str, l: &str) -> String {
    path.replace("{c}", c).replace("{l}", l)
}

/// A body that would be accepted by the route, so only the error under test can fail it.
fn valid_body(m: &str, path: &str, campaign: &str) -> Option<Value> {
    match (m, path) {
        (_, p) if p.ends_with("/sequence") => Some(json!({"steps": []})),
        (_, p) if p.ends_with("/import") => Some(json!([{"name": "x"}])),
        ("POST", "/api/leads") => Some(json!({"name": "x", "campaign_id": campaign})),
        ("POST" | "PUT" | "PATCH", _) => Some(json!({"name": "x"})),
        _ => None,
    }
}

#[tokio::test]
async fn malformed_json_and_wrong_types_are_400() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let lead = app
        .create_lead(&s.token, &id(&c), json!({"name": "L"}))
        .await;
    let raw = |m: Method, path: String, body: Vec<u8>| {
        let app = &app;
        let token = s.token.clone();
        async move {
            app.send_raw(m, &path, &token, "application/json", body)
                .await
        }
    };
    let deep = "[".repeat(100_000);
    let campaign_bodies: Vec<Vec<u8>> = [
        "{\"name\":",
        "{name: \"x\"}",
        "{\"name\": \"x\",}",
        "{\"name\": \"x\"} trailing",
        "",
        "[]",
        "null",
        "\"x\"",
        "42",
        "{\"name\": 5}",
        "{\"name\": [\"x\"]}",
        "{\"name\": \"x\", \"daily_limit\": \"10\"}",
        "{\"name\": \"x\", \"daily_limit\": 1.5}",
        "{\"name\": \"x\", \"daily_limit\": 1e300}",
        "{\"name\": \"x\", \"daily_limit\": 99999999999999999999}",
        "{\"name\": \"x\", \"status\": true}",
        "{\"name\": \"x\", \"description\": {}}",
        "{\"name\": \"x\", \"sequence\": {}}",
        "{\"name\": \"x\", \"sequence\": [{\"kind\": \"wait\", \"delay_hours\": \"1\"}]}",
        "{\"name\": \"x\", \"sequence\": [5]}",
        "{\"name\": \"x\", \"sequence\": [[\"wait\", 1]]}",
        "[\"x\"]",
        "[\"x\", null, \"draft\"]",
        deep.as_str(),
    ]
    .iter()
    .map(|b| b.as_bytes().to_vec())
    .chain([b"{\"name\": \"\xff\xfe\"}".to_vec()])
    .collect();
    for body in campaign_bodies {
        let shown = String::from_utf8_lossy(&body)
            .chars()
            .take(60)
            .collect::<String>();
        for (m, path) in [
            (Method::POST, "/api/campaigns".to_owned()),
            (Method::PATCH, format!("/api/campaigns/{}", id(&c))),
            (Method::PUT, format!("/api/campaigns/{}", id(&c))),
        ] {
            let res = raw(m.clone(), path, body.clone()).await;
            assert_eq!(res.status.as_u16(), 400, "{m} {shown}: {}", res.body);
            res.problem(400, "bad_request");
        }
    }
    for body in [
        json!({"name": "x", "campaign_id": 5}),
        json!({"name": {"first": "x"}, "campaign_id": id(&c)}),
        json!({"name": "x", "campaign_id": id(&c), "status": 1}),
        json!({"name": "x", "campaign_id": id(&c), "email": false}),
        json!({"name": "x", "campaign_id": id(&c), "notes": ["a"]}),
    ] {
        app.post("/api/leads", &s.token, body)
            .await
            .problem(400, "bad_request");
    }
    for body in [
        json!({"notes": 1}),
        json!({"connection_status": []}),
        json!([]),
    ] {
        for m in [Method::PUT, Method::PATCH] {
            app.send(
                m,
                &format!("/api/leads/{}", id(&lead)),
                Some(&s.token),
                Some(body.clone()),
            )
            .await
            .problem(400, "bad_request");
        }
    }
    for body in [
        json!({"steps": "x"}),
        json!({"steps": [{"kind": 1}]}),
        json!([]),
    ] {
        app.put(
            &format!("/api/campaigns/{}/sequence", id(&c)),
            &s.token,
            body,
        )
        .await
        .problem(400, "bad_request");
    }
    for (path, body) in [
        (
            "/api/auth/register",
            json!({"name": "x", "email": 5, "password": "12345678"}),
        ),
        (
            "/api/auth/login",
            json!({"email": "a@b.co", "password": 12345678}),
        ),
    ] {
        app.send(Method::POST, path, None, Some(body))
            .await
            .problem(400, "bad_request");
    }
    // Nothing was changed by any of it.
    let after = app
        .get(&format!("/api/campaigns/{}", id(&c)), &s.token)
        .await
        .expect(200);
    assert_eq!(after.body["version"], 1);
    assert_eq!(after.body["sequence"], json!([]));
    let list = app.get("/api/campaigns", &s.token).await.expect(200);
    assert_eq!(list.body["total"], 1);
}

#[tokio::test]
async fn bad_query_strings_and_path_ids_are_400() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    for q in [
        "/api/campaigns?limit=0",
        "/api/campaigns?limit=201",
        "/api/campaigns?limit=-5",
        "/api/campaigns?limit=abc",
        "/api/campaigns?limit=99999999999999999999999",
        "/api/campaigns?limit=1&limit=2",
        "/api/campaigns?status=archived",
        "/api/campaigns?sort=-",
        "/api/campaigns?sort=status",
        "/api/campaigns?cursor=%%%",
        "/api/campaigns?cursor=bm90IGpzb24",
        "/api/leads?campaign_id=42",
        "/api/leads?status=lost",
        "/api/leads?connection_status=1",
        "/api/leads?limit=1000",
        "/api/leads?cursor=eyJmIjoibmFtZSIsImQiOnRydWUsImkiOiJ4In0",
        "/api/activities?campaign_id=nope",
        "/api/activities?lead_id=nope",
        "/api/activities?limit=0",
        "/api/activities?cursor=garbage",
        "/api/events?since=abc",
        "/api/events?since=-1",
        "/api/events?since=1.5",
        "/api/events?limit=0",
        "/api/events?limit=1001",
        "/api/events?limit=x",
    ] {
        let res = app.get(q, &s.token).await;
        assert_eq!(res.status.as_u16(), 400, "{q}: {}", res.body);
        res.problem(400, "bad_request");
    }
    // Anything that is not a UUID where an id goes.
    for bad in [
        "123",
        "not-a-uuid",
        "0192f2b4-0000-7000-8000-00000000000g",
        "%20",
    ] {
        for (m, path) in ROUTES.iter().filter(|(_, p)| p.contains('{')) {
            let url = route(path, bad, bad);
            let res = app
                .send(method(m), &url, Some(&s.token), valid_body(m, path, bad))
                .await;
            assert_eq!(res.status.as_u16(), 400, "{m} {url}: {}", res.body);
            res.problem(400, "bad_request");
        }
    }
}

#[tokio::test]
async fn every_route_needs_a_valid_token() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let l = app
        .create_lead(&s.token, &id(&c), json!({"name": "L"}))
        .await;
    let now = chrono::Utc::now().timestamp();
    let no_ws = kandid_tests::mint(
        &json!({"sub": s.user_id, "role": "owner", "iat": now, "exp": now + 600}),
        kandid_tests::SECRET,
    );
    let bad_role = kandid_tests::mint(
        &json!({"sub": s.user_id, "ws": s.workspace_id, "role": "root", "iat": now, "exp": now + 600}),
        kandid_tests::SECRET,
    );
    for (m, path) in ROUTES {
        // Auth comes first: even with a bad id or body, no token is a 401.
        for url in [route(path, &id(&c), &id(&l)), route(path, "x", "x")] {
            let res = app
                .send(method(m), &url, None, valid_body(m, path, &id(&c)))
                .await;
            assert_eq!(res.status.as_u16(), 401, "{m} {url}");
            let res = res.problem(401, "unauthorized");
            assert_eq!(res.header("www-authenticate"), Some("Bearer"));
            for token in [no_ws.as_str(), bad_role.as_str(), "Bearer", "null"] {
                let res = app
                    .send(method(m), &url, Some(token), valid_body(m, path, &id(&c)))
                    .await;
                assert_eq!(res.status.as_u16(), 401, "{m} {url} with {token}");
            }
        }
    }
    // Nothing changed.
    assert_eq!(
        app.get(&format!("/api/leads/{}", id(&l)), &s.token)
            .await
            .expect(200)
            .body,
        l
    );
    assert_eq!(
        app.get("/api/campaigns", &s.token).await.expect(200).body["total"],
        1
    );
}

#[tokio::test]
async fn viewers_get_403_on_every_write_and_can_read() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let l = app
        .create_lead(&s.token, &id(&c), json!({"name": "L"}))
        .await;
    let viewer = app.member(&s, "viewer").await.token;
    let before = app.get("/api/events", &s.token).await.expect(200).body["latest_seq"].clone();
    for (m, path) in ROUTES {
        let url = route(path, &id(&c), &id(&l));
        let res = app
            .send(method(m), &url, Some(&viewer), valid_body(m, path, &id(&c)))
            .await;
        if *m == "GET" {
            assert_eq!(res.status.as_u16(), 200, "{m} {url}: {}", res.body);
        } else {
            assert_eq!(res.status.as_u16(), 403, "{m} {url}: {}", res.body);
            res.problem(403, "forbidden");
        }
    }
    let after = app.get("/api/events", &s.token).await.expect(200).body["latest_seq"].clone();
    assert_eq!(before, after, "a viewer changed something");
    // Members and admins may write.
    for role in ["member", "admin"] {
        let t = app.member(&s, role).await.token;
        app.post("/api/campaigns", &t, json!({"name": role}))
            .await
            .expect(201);
        app.patch(
            &format!("/api/leads/{}", id(&l)),
            &t,
            json!({"notes": role}),
        )
        .await
        .expect(200);
    }
}

#[tokio::test]
async fn not_found_conflict_and_precondition() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    // 404: unknown routes and unknown ids, with and without a token.
    for path in [
        "/api/nope",
        "/nope",
        "/api",
        "/api/campaigns/x/y/z",
        "/api/leads/x/y",
    ] {
        let res = app.get(path, &s.token).await;
        assert_eq!(res.status.as_u16(), 404, "{path}");
        res.problem(404, "not_found");
        app.send(Method::GET, path, None, None)
            .await
            .problem(404, "not_found");
    }
    let unknown = uuid::Uuid::now_v7().to_string();
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    for (m, path) in ROUTES.iter().filter(|(_, p)| p.contains('{')) {
        let url = route(path, &unknown, &unknown);
        let res = app
            .send(
                method(m),
                &url,
                Some(&s.token),
                valid_body(m, path, &id(&c)),
            )
            .await;
        assert_eq!(res.status.as_u16(), 404, "{m} {url}: {}", res.body);
        res.problem(404, "not_found");
    }
    // A method a route does not have: still problem+json.
    let res = app.delete("/api/campaigns", &s.token).await;
    assert_eq!(res.status.as_u16(), 405);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    assert!(res.header("x-request-id").is_some());

    // 409: a taken e-mail, an illegal status change.
    app.send(
        Method::POST,
        "/api/auth/register",
        None,
        Some(json!({"name": "x", "email": s.email.to_uppercase(), "password": "12345678"})),
    )
    .await
    .problem(409, "conflict");
    let url = format!("/api/campaigns/{}", id(&c));
    app.patch(&url, &s.token, json!({"status": "completed"}))
        .await
        .problem(409, "invalid_transition");
    app.patch(&url, &s.token, json!({"status": "paused"}))
        .await
        .problem(409, "invalid_transition");
    // 412 on every conditional write of a campaign.
    for (m, path) in [
        (Method::PUT, url.clone()),
        (Method::PATCH, url.clone()),
        (Method::DELETE, url.clone()),
        (Method::PUT, format!("{url}/sequence")),
    ] {
        let body = if path.ends_with("sequence") {
            json!({"steps": []})
        } else {
            json!({"name": "y"})
        };
        app.request(m, &path, Some(&s.token), |r| {
            r.header("if-match", "\"7\"").json(&body)
        })
        .await
        .problem(412, "precondition_failed");
    }
    assert_eq!(app.get(&url, &s.token).await.expect(200).body, c);
}

#[tokio::test]
async fn body_limits_and_media_types() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let l = app
        .create_lead(&s.token, &id(&c), json!({"name": "L"}))
        .await;
    let lead_url = format!("/api/leads/{}", id(&l));

    // 413 over 1 MiB; just under it the body is read (and its value judged).
    let over = json!({"name": "x", "description": "d".repeat(1024 * 1024)});
    app.post("/api/campaigns", &s.token, over)
        .await
        .problem(413, "payload_too_large");
    let under = json!({"name": "x", "description": "d".repeat(1024 * 1024 - 100)});
    let res = app
        .post("/api/campaigns", &s.token, under)
        .await
        .problem(422, "validation_failed");
    assert_eq!(res.fields(), ["description"]);
    app.post(
        "/api/leads",
        &s.token,
        json!({"name": "x", "campaign_id": id(&c), "notes": "n".repeat(2 * 1024 * 1024)}),
    )
    .await
    .problem(413, "payload_too_large");
    app.patch(
        &lead_url,
        &s.token,
        json!({"notes": "n".repeat(1024 * 1024 + 1)}),
    )
    .await
    .problem(413, "payload_too_large");

    // 415 when the body is not declared as JSON.
    let body = r#"{"name": "plain"}"#;
    for ct in [
        "text/plain",
        "",
        "application/x-www-form-urlencoded",
        "text/csv",
    ] {
        app.send_raw(Method::POST, "/api/campaigns", &s.token, ct, body)
            .await
            .problem(415, "unsupported_media_type");
        app.send_raw(Method::PATCH, &lead_url, &s.token, ct, body)
            .await
            .problem(415, "unsupported_media_type");
    }
    app.send_raw(
        Method::POST,
        "/api/auth/login",
        "",
        "text/plain",
        r#"{"email": "a@b.co", "password": "12345678"}"#,
    )
    .await
    .problem(415, "unsupported_media_type");
    // A charset parameter is fine.
    app.send_raw(
        Method::POST,
        "/api/campaigns",
        &s.token,
        "application/json; charset=utf-8",
        body,
    )
    .await
    .expect(201);
    let list = app.get("/api/campaigns", &s.token).await.expect(200);
    assert_eq!(
        list.body["total"], 2,
        "only the last request created a campaign"
    );
    assert_eq!(app.get(&lead_url, &s.token).await.expect(200).body, l);
}

/// Values no database can store and strings PostgreSQL refuses: 422 or 400, never a 500.
#[tokio::test]
async fn no_input_produces_a_500() {
    use base64::Engine;
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let cid = id(&c);
    let l = app.create_lead(&s.token, &cid, json!({"name": "L"})).await;
    let lead_url = format!("/api/leads/{}", id(&l));
    let nul = "a\u{0}b";
    let invalid = |res: Res, field: &str, what: &str| {
        assert_eq!(res.status.as_u16(), 422, "{what}: {}", res.body);
        let res = res.problem(422, "validation_failed");
        assert_eq!(res.fields(), [field], "{what}");
    };
    for field in ["name", "description"] {
        invalid(
            app.post(
                "/api/campaigns",
                &s.token,
                json!({"name": "ok", field: nul}),
            )
            .await,
            field,
            "campaign",
        );
    }
    invalid(
        app.post(
            "/api/campaigns",
            &s.token,
            json!({"name": "ok", "sequence": [{"kind": "message", "delay_hours": 1, "template": nul}]}),
        )
        .await,
        "sequence[0].template",
        "template",
    );
    invalid(
        app.put(
            &format!("/api/campaigns/{cid}/sequence"),
            &s.token,
            json!({"steps": [{"kind": "message", "delay_hours": 1, "template": nul}]}),
        )
        .await,
        "steps[0].template",
        "sequence template",
    );
    for field in ["name", "email", "company", "title", "linkedin_url", "notes"] {
        let value = match field {
            "email" => "a\u{0}@example.com".to_owned(),
            "linkedin_url" => "https://linkedin.com/in/a\u{0}".to_owned(),
            _ => nul.to_owned(),
        };
        invalid(
            app.post(
                "/api/leads",
                &s.token,
                json!({"name": "ok", "campaign_id": cid, field: value}),
            )
            .await,
            field,
            "lead create",
        );
        invalid(
            app.patch(&lead_url, &s.token, json!({ field: value }))
                .await,
            field,
            "lead update",
        );
    }
    // A LinkedIn URL is at most 500 characters, counted as characters: 500 CJK characters
    // (1500 bytes) are fine.
    let cjk: String = (0..500u32)
        .filter_map(|i| char::from_u32(0x4e00 + (i * 7919) % 20000))
        .collect();
    let long = format!("https://linkedin.com/in/{cjk}");
    invalid(
        app.post(
            "/api/leads",
            &s.token,
            json!({"name": "ok", "campaign_id": cid, "linkedin_url": long}),
        )
        .await,
        "linkedin_url",
        "long URL",
    );
    let ok: String = long.chars().take(500).collect();
    let created = app
        .create_lead(&s.token, &cid, json!({"name": "ok", "linkedin_url": ok}))
        .await;
    assert_eq!(created["linkedin_url"], ok.as_str());
    for body in [
        json!({"name": "x", "email": "b\u{0}@example.com", "password": "12345678"}),
        json!({"name": nul, "email": "nul@example.com", "password": "12345678"}),
        json!({"name": "x", "email": "nul@example.com", "password": "12345678", "workspace_name": nul}),
    ] {
        let res = app
            .send(Method::POST, "/api/auth/register", None, Some(body.clone()))
            .await;
        assert_eq!(res.status.as_u16(), 422, "{body}: {}", res.body);
    }
    let res = app
        .send(
            Method::POST,
            "/api/auth/login",
            None,
            Some(json!({"email": "a\u{0}@example.com", "password": "12345678"})),
        )
        .await;
    assert!(matches!(res.status.as_u16(), 401 | 422), "{}", res.body);
    // Imports report such rows like any invalid row.
    let res = app
        .import_json(
            &s.token,
            &cid,
            json!([{"name": nul}, {"name": "fine", "notes": nul}, {"name": "kept"}]),
        )
        .await
        .expect(200);
    assert_eq!(res.body["created"], 1, "{}", res.body);
    let res = app
        .import_csv(&s.token, &cid, "name,company\nx,a\u{0}b\nkept too,\n")
        .await
        .expect(200);
    assert_eq!(res.body["created"], 1, "{}", res.body);
    assert_eq!(res.body["errors"][0]["field"], "company");
    // The query string: search text and cursors.
    let b64 = |v: Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let some_id = uuid::Uuid::now_v7();
    for q in [
        "/api/leads?q=%00".to_owned(),
        "/api/campaigns?q=a%00".to_owned(),
        format!(
            "/api/leads?sort=name&cursor={}",
            b64(json!({"f": "name", "d": false, "s": "\u{0}", "i": some_id}))
        ),
        format!(
            "/api/campaigns?cursor={}",
            b64(
                json!({"f": "created_at", "d": true, "t": "-262143-01-01T00:00:00Z", "i": some_id})
            )
        ),
        format!(
            "/api/activities?cursor={}",
            b64(
                json!({"f": "created_at", "d": true, "t": "+262142-01-01T00:00:00Z", "i": some_id})
            )
        ),
    ] {
        let res = app.get(&q, &s.token).await;
        assert_eq!(res.status.as_u16(), 400, "{q}: {}", res.body);
        res.problem(400, "bad_request");
    }
    // A far but representable cursor is just a position.
    let far = b64(json!({"f": "created_at", "d": true, "t": "9999-12-31T23:59:59Z", "i": some_id}));
    let res = app
        .get(&format!("/api/leads?cursor={far}"), &s.token)
        .await
        .expect(200);
    assert_eq!(res.body["total"], 4);
}

#[tokio::test]
async fn validation_errors_name_fields_with_codes() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let res = app
        .post(
            "/api/campaigns",
            &s.token,
            json!({"name": "", "daily_limit": 5000}),
        )
        .await
        .problem(422, "validation_failed");
    assert_eq!(res.body["type"], "about:blank");
    assert_eq!(res.body["title"], "Validation failed");
    assert_eq!(res.body["detail"], "2 fields are invalid");
    let errors = res.body["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), 2);
    for e in &errors {
        for k in ["field", "code", "message"] {
            assert!(e[k].as_str().is_some_and(|v| !v.is_empty()), "{e}");
        }
    }
}

#[tokio::test]
async fn request_ids_and_health() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    for path in ["/healthz", "/readyz"] {
        let res = app.send(Method::GET, path, None, None).await.expect(200);
        assert_eq!(res.body, json!({"status": "ok"}));
        assert!(res.header("x-request-id").is_some(), "{path}");
    }
    // Every response carries a request id, a fresh one per request, or the caller's own.
    let a = app.get("/api/campaigns", &s.token).await.expect(200);
    let b = app.get("/api/campaigns", &s.token).await.expect(200);
    let (a, b) = (a.header("x-request-id"), b.header("x-request-id"));
    assert!(a.is_some_and(|v| !v.is_empty()));
    assert_ne!(a, b);
    let own = app
        .request(Method::GET, "/api/nope", Some(&s.token), |r| {
            r.header("x-request-id", "trace-me-123")
        })
        .await
        .problem(404, "not_found");
    assert_eq!(own.header("x-request-id"), Some("trace-me-123"));
}

/// A TCP proxy in front of PostgreSQL that can be cut (connections dropped, new ones
/// refused after the handshake) and restored.
struct Proxy {
    addr: SocketAddr,
    up: Arc<AtomicBool>,
    conns: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accept: JoinHandle<()>,
}

async fn pump(from: Arc<TcpStream>, to: Arc<TcpStream>) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        if from.readable().await.is_err() {
            return;
        }
        let n = match from.try_read(&mut buf) {
            Ok(0) => return,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(_) => return,
        };
        let mut rest = &buf[..n];
        while !rest.is_empty() {
            if to.writable().await.is_err() {
                return;
            }
            match to.try_write(rest) {
                Ok(w) => rest = &rest[w..],
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(_) => return,
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Proxy {
    async fn start(target: SocketAddr) -> Self {
        let listener = match TcpListener::bind("127.0.0.1:0").await {
            Ok(l) => l,
            Err(e) => panic!("proxy bind: {e}"),
        };
        let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        let up = Arc::new(AtomicBool::new(true));
        let conns: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (up2, conns2) = (Arc::clone(&up), Arc::clone(&conns));
        let accept = tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                // Checked and registered under the lock, so `cut` never misses a connection.
                let mut guard = lock(&conns2);
                if !up2.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                guard.push(tokio::spawn(async move {
                    let Ok(outbound) = TcpStream::connect(target).await else {
                        return;
                    };
                    let (a, b) = (Arc::new(inbound), Arc::new(outbound));
                    tokio::select! {
                        () = pump(Arc::clone(&a), Arc::clone(&b)) => {}
                        () = pump(b, a) => {}
                    }
                }));
            }
        });
        Proxy {
            addr,
            up,
            conns,
            accept,
        }
    }

    /// Drops every proxied connection and refuses new ones; returns once they are closed.
    async fn cut(&self) {
        let handles = {
            let mut guard = lock(&self.conns);
            self.up.store(false, Ordering::SeqCst);
            std::mem::take(&mut *guard)
        };
        for h in handles {
            h.abort();
            let _ = h.await;
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
        for h in lock(&self.conns).drain(..) {
            h.abort();
        }
    }
}

/// `host:port` of a `postgres://user@host:port/db?...` URL.
fn authority(url: &str) -> (usize, usize) {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..].find('/').map_or(url.len(), |i| start + i);
    let at = url[start..end].rfind('@').map_or(start, |i| start + i + 1);
    (at, end)
}

#[track_caller]
fn unavailable(res: Res, what: &str) {
    assert_eq!(res.status.as_u16(), 503, "{what}: {}", res.body);
    let res = res.problem(503, "unavailable");
    let text = res.body.to_string().to_lowercase();
    for leak in [
        "sqlx",
        "sql",
        "127.0.0.1",
        "pool",
        "communicating",
        "locked",
    ] {
        assert!(
            !text.contains(leak),
            "{what}: the body shows internals: {text}"
        );
    }
}

/// Another session of the test's database locks every workspace's counter row (and, on
/// SQLite, the database's write lock) until the returned transaction ends.
async fn hold_write_lock(app: &TestApp) -> kandid::sea_orm::DatabaseTransaction {
    use kandid::sea_orm::{ConnectionTrait, Database, TransactionTrait};
    let db = match Database::connect(&app.database_url).await {
        Ok(db) => db,
        Err(e) => panic!("{e}"),
    };
    let lock = match db.begin().await {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    if let Err(e) = lock
        .execute_unprepared("UPDATE workspaces SET last_seq = last_seq")
        .await
    {
        panic!("{e}");
    }
    lock
}

/// A write that waits on a lock longer than `WRITE_TIMEOUT` answers 503 instead of hanging:
/// SQLite's busy timeout, or PostgreSQL's `lock_timeout` on the workspace's counter row
/// (held here by another session, as another node's batch would hold it).
#[tokio::test]
async fn a_write_waiting_on_a_lock_past_the_timeout_is_503() {
    let app = TestApp::spawn_with(|c| c.write_timeout = Duration::from_millis(300)).await;
    let s = app.register().await;
    let lock = hold_write_lock(&app).await;
    let res = app
        .post("/api/campaigns", &s.token, json!({"name": "refused"}))
        .await;
    unavailable(res, "write waiting on the lock");
    if let Err(e) = lock.rollback().await {
        panic!("{e}");
    }
    app.create_campaign(&s.token, json!({"name": "after"}))
        .await;
    let events = app.get("/api/events?since=0", &s.token).await.expect(200);
    assert_eq!(
        events.body["latest_seq"], 1,
        "the refused write left no seq behind"
    );
}

#[tokio::test]
async fn database_unreachable_is_503_and_recovers() {
    match std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(url) => postgres_outage(&url).await,
        None => sqlite_busy().await,
    }
}

/// PostgreSQL behind a proxy that goes away and comes back.
async fn postgres_outage(admin_url: &str) {
    let (from, to) = authority(admin_url);
    let target = match tokio::net::lookup_host(&admin_url[from..to]).await {
        Ok(mut addrs) => addrs.next(),
        Err(e) => panic!("{e}"),
    };
    let Some(target) = target else {
        panic!("cannot resolve {admin_url}")
    };
    let proxy = Proxy::start(target).await;
    let proxied = proxy.addr.to_string();
    let app = TestApp::spawn_with(|c| {
        if let Some(url) = c.database.database_url.as_mut() {
            let (from, to) = authority(url);
            url.replace_range(from..to, &proxied);
        }
    })
    .await;
    let s = app.register().await;
    app.create_campaign(&s.token, json!({"name": "before"}))
        .await;

    proxy.cut().await;
    unavailable(app.get("/api/campaigns", &s.token).await, "read");
    unavailable(
        app.post("/api/campaigns", &s.token, json!({"name": "during"}))
            .await,
        "write",
    );
    unavailable(app.get("/api/dashboard", &s.token).await, "dashboard");
    unavailable(app.send(Method::GET, "/readyz", None, None).await, "readyz");
    app.send(Method::GET, "/healthz", None, None)
        .await
        .expect(200);

    proxy.restore();
    // No restart: the next requests find the database again. On PostgreSQL the signal path
    // between nodes reconnects with backoff, and `/readyz` waits for it too.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let ready = app.send(Method::GET, "/readyz", None, None).await;
        if ready.status.as_u16() == 200 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "/readyz did not recover: {}",
            ready.body
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let list = app.get("/api/campaigns", &s.token).await.expect(200);
    let names: Vec<&str> = list.body["data"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["before"],
        "the write during the outage must not exist"
    );
    app.create_campaign(&s.token, json!({"name": "after"}))
        .await;
}

/// SQLite cannot become unreachable; the closest is a database another process keeps
/// locked while a write holds the server's only connection, waiting for it: a request that
/// cannot get a connection in time is a 503, and once the lock is gone everything works again.
async fn sqlite_busy() {
    let app = TestApp::spawn_with(|c| c.write_timeout = Duration::from_millis(300)).await;
    let s = app.register().await;
    // Another process holds SQLite's write lock.
    let lock = hold_write_lock(&app).await;
    // Writes neither hang nor fail with a 500: the one waiting for the lock and the one
    // queued behind it both give up after the write timeout.
    let (first, second) = tokio::join!(
        app.post("/api/campaigns", &s.token, json!({"name": "refused"})),
        app.post("/api/campaigns", &s.token, json!({"name": "refused too"})),
    );
    unavailable(first, "write waiting for the lock");
    unavailable(second, "write queued behind it");
    // Reads don't wait for writers.
    app.get("/api/campaigns", &s.token).await.expect(200);
    app.send(Method::GET, "/healthz", None, None)
        .await
        .expect(200);
    if let Err(e) = lock.rollback().await {
        panic!("{e}");
    }
    // Nothing of the refused writes was kept, and writing works again without a restart.
    let created = app
        .create_campaign(&s.token, json!({"name": "after"}))
        .await;
    let list = app.get("/api/campaigns", &s.token).await.expect(200);
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["data"][0]["id"], created["id"]);
    let events = app.get("/api/events?since=0", &s.token).await.expect(200);
    assert_eq!(events.body["latest_seq"], 1);
}
