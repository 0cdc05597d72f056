//! Malformed input: bodies, query strings, path ids, sizes and media types; never a 500.

use super::*;

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
