//! Campaign CRUD, partial updates, the status state machine, ETags and pagination.

use kandid_tests::{TestApp, id, urlencode};
use serde_json::json;

#[tokio::test]
async fn crud_round_trip() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let res = app
        .post(
            "/api/campaigns",
            &s.token,
            json!({"name": "Q4 outreach", "description": "CTOs", "daily_limit": 20,
                   "sequence": [{"kind": "connection_request", "delay_hours": 0}, {"kind": "message", "delay_hours": 48, "template": "Hi {{name}}"}]}),
        )
        .await
        .expect(201);
    let c = res.body.clone();
    let cid = id(&c);
    assert_eq!(
        res.header("location"),
        Some(format!("/api/campaigns/{cid}").as_str())
    );
    assert_eq!(res.header("etag"), Some("\"1\""));
    assert_eq!(c["status"], "draft");
    assert_eq!(c["version"], 1);
    assert_eq!(c["created_by"], s.user_id.to_string());
    assert_eq!(c["sequence"][1]["template"], "Hi {{name}}");
    assert_eq!(c["stats"]["total_leads"], 0);

    let got = app
        .get(&format!("/api/campaigns/{cid}"), &s.token)
        .await
        .expect(200);
    assert_eq!(got.body, c);
    assert_eq!(got.header("etag"), Some("\"1\""));

    // Partial update: omitted unchanged, null clears, read-only fields ignored.
    let mut sent_back = c.clone();
    sent_back["name"] = json!("Renamed");
    sent_back["description"] = json!(null);
    sent_back["version"] = json!(99);
    sent_back["stats"] = json!({"bogus": true});
    let upd = app
        .put(&format!("/api/campaigns/{cid}"), &s.token, sent_back)
        .await
        .expect(200);
    assert_eq!(upd.body["name"], "Renamed");
    assert_eq!(upd.body["description"], json!(null));
    assert_eq!(upd.body["daily_limit"], 20);
    assert_eq!(upd.body["version"], 2);
    assert_eq!(upd.header("etag"), Some("\"2\""));

    let p = app
        .patch(
            &format!("/api/campaigns/{cid}"),
            &s.token,
            json!({"daily_limit": 30}),
        )
        .await
        .expect(200);
    assert_eq!(p.body["name"], "Renamed");
    assert_eq!(p.body["daily_limit"], 30);
    assert_eq!(p.body["version"], 3);

    // Sequence endpoints.
    let seq = app
        .get(&format!("/api/campaigns/{cid}/sequence"), &s.token)
        .await
        .expect(200);
    assert_eq!(seq.body["steps"].as_array().map(Vec::len), Some(2));
    let put = app
        .put(
            &format!("/api/campaigns/{cid}/sequence"),
            &s.token,
            json!({"steps": [{"kind": "wait", "delay_hours": 24}]}),
        )
        .await
        .expect(200);
    assert_eq!(
        put.body,
        json!({"steps": [{"kind": "wait", "delay_hours": 24}]})
    );
    assert_eq!(put.header("etag"), Some("\"4\""));

    // Delete cascades to leads.
    let lead = app
        .create_lead(&s.token, &cid, json!({"name": "Lead"}))
        .await;
    app.delete(&format!("/api/campaigns/{cid}"), &s.token)
        .await
        .expect(204);
    app.get(&format!("/api/campaigns/{cid}"), &s.token)
        .await
        .problem(404, "not_found");
    app.get(&format!("/api/leads/{}", id(&lead)), &s.token)
        .await
        .problem(404, "not_found");
    app.delete(&format!("/api/campaigns/{cid}"), &s.token)
        .await
        .problem(404, "not_found");
}

/// JSON Schema's `integer` (what the OpenAPI document says) includes `20.0`; a fraction is
/// still a wrong type.
#[tokio::test]
async fn integral_numbers_with_a_decimal_point_are_integers() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app
        .post(
            "/api/campaigns",
            &s.token,
            json!({"name": "C", "daily_limit": 20.0,
                   "sequence": [{"kind": "wait", "delay_hours": 48.0}]}),
        )
        .await
        .expect(201)
        .body
        .clone();
    assert_eq!(c["daily_limit"], 20);
    assert_eq!(c["sequence"][0]["delay_hours"], 48);
    app.post(
        "/api/campaigns",
        &s.token,
        json!({"name": "C", "daily_limit": 20.5}),
    )
    .await
    .expect(400);
}

#[tokio::test]
async fn create_as_active_but_not_paused_or_completed() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app
        .create_campaign(&s.token, json!({"name": "a", "status": "active"}))
        .await;
    assert_eq!(c["status"], "active");
    for status in ["paused", "completed"] {
        let res = app
            .post(
                "/api/campaigns",
                &s.token,
                json!({"name": "a", "status": status}),
            )
            .await
            .problem(422, "validation_failed");
        assert_eq!(res.fields(), ["status"]);
    }
}

#[tokio::test]
async fn every_status_transition() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let all = ["draft", "active", "paused", "completed"];
    let allowed = [
        ("draft", "active"),
        ("active", "paused"),
        ("paused", "active"),
        ("active", "completed"),
        ("paused", "completed"),
    ];
    // Reach each starting status through allowed steps.
    let path_to = |status: &str| -> Vec<&'static str> {
        match status {
            "draft" => vec![],
            "active" => vec!["active"],
            "paused" => vec!["active", "paused"],
            _ => vec!["active", "completed"],
        }
    };
    for from in all {
        for to in all {
            let c = app
                .create_campaign(&s.token, json!({"name": format!("{from}->{to}")}))
                .await;
            let url = format!("/api/campaigns/{}", id(&c));
            for step in path_to(from) {
                app.patch(&url, &s.token, json!({"status": step}))
                    .await
                    .expect(200);
            }
            let res = app.patch(&url, &s.token, json!({"status": to})).await;
            if from == to {
                // Setting the current status again is a no-op, not a transition.
                let v = res.expect(200);
                assert_eq!(v.body["status"], from);
            } else if allowed.contains(&(from, to)) {
                assert_eq!(res.expect(200).body["status"], to);
            } else {
                let r = res.problem(409, "invalid_transition");
                let after = app.get(&url, &s.token).await.expect(200);
                assert_eq!(after.body["status"], from, "{}", r.body);
            }
        }
    }
}

#[tokio::test]
async fn no_op_update_keeps_the_version() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "same"})).await;
    let url = format!("/api/campaigns/{}", id(&c));
    let res = app
        .patch(&url, &s.token, json!({"name": "same", "status": "draft"}))
        .await
        .expect(200);
    assert_eq!(res.body["version"], 1);
    let acts = app
        .get(&format!("/api/activities?campaign_id={}", id(&c)), &s.token)
        .await
        .expect(200);
    assert_eq!(acts.body["total"], 1, "a no-op must not log an activity");
}

#[tokio::test]
async fn if_match_is_honoured() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "v"})).await;
    let url = format!("/api/campaigns/{}", id(&c));
    let with = |etag: &'static str, name: &'static str| {
        move |r: reqwest::RequestBuilder| r.header("if-match", etag).json(&json!({ "name": name }))
    };
    app.request(
        reqwest::Method::PATCH,
        &url,
        Some(&s.token),
        with("\"1\"", "a"),
    )
    .await
    .expect(200);
    app.request(
        reqwest::Method::PATCH,
        &url,
        Some(&s.token),
        with("\"1\"", "b"),
    )
    .await
    .problem(412, "precondition_failed");
    app.request(
        reqwest::Method::PATCH,
        &url,
        Some(&s.token),
        with("not-an-etag", "b"),
    )
    .await
    .problem(412, "precondition_failed");
    // If-Match compares strongly (RFC 9110): a weak tag of the current version fails.
    app.request(
        reqwest::Method::PUT,
        &url,
        Some(&s.token),
        with("W/\"2\"", "b"),
    )
    .await
    .problem(412, "precondition_failed");
    app.request(
        reqwest::Method::PUT,
        &url,
        Some(&s.token),
        with("\"2\"", "b"),
    )
    .await
    .expect(200);
    app.request(reqwest::Method::PATCH, &url, Some(&s.token), with("*", "c"))
        .await
        .expect(200);
    // A list matches when any of its tags does, and fails when none does.
    app.request(
        reqwest::Method::PATCH,
        &url,
        Some(&s.token),
        with("\"1\", \"2\"", "x"),
    )
    .await
    .problem(412, "precondition_failed");
    app.request(
        reqwest::Method::PATCH,
        &url,
        Some(&s.token),
        with("\"1\", W/\"4\", \"4\"", "d"),
    )
    .await
    .expect(200);
    let after = app.get(&url, &s.token).await.expect(200);
    assert_eq!(after.body["name"], "d");
    assert_eq!(after.header("etag"), Some("\"5\""));
    app.request(reqwest::Method::DELETE, &url, Some(&s.token), |r| {
        r.header("if-match", "\"1\"")
    })
    .await
    .problem(412, "precondition_failed");
    app.request(reqwest::Method::DELETE, &url, Some(&s.token), |r| {
        r.header("if-match", "\"5\"")
    })
    .await
    .expect(204);
}

#[tokio::test]
async fn validation_names_every_bad_field() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let long = "x".repeat(201);
    let res = app
        .post(
            "/api/campaigns",
            &s.token,
            json!({"name": long, "description": "d".repeat(2001), "status": "bogus", "daily_limit": 1001,
                   "sequence": [{"kind": "fax", "delay_hours": -1}, {"delay_hours": 2161, "template": "t".repeat(8001)}]}),
        )
        .await
        .problem(422, "validation_failed");
    let mut f = res.fields();
    f.sort();
    assert_eq!(
        f,
        [
            "daily_limit",
            "description",
            "name",
            "sequence[0].delay_hours",
            "sequence[0].kind",
            "sequence[1].delay_hours",
            "sequence[1].kind",
            "sequence[1].template",
            "status"
        ]
    );
    // A step without its delay is refused by name, not taken as "at once"; on the
    // sequence endpoint too.
    let res = app
        .post(
            "/api/campaigns",
            &s.token,
            json!({"name": "n", "sequence": [{"kind": "wait", "delay_hours": 2}, {"kind": "message"}]}),
        )
        .await
        .problem(422, "validation_failed");
    assert_eq!(res.fields(), ["sequence[1].delay_hours"]);
    let c = app.create_campaign(&s.token, json!({"name": "seq"})).await;
    let res = app
        .put(
            &format!(
                "/api/campaigns/{}/sequence",
                c["id"].as_str().unwrap_or_default()
            ),
            &s.token,
            json!({"steps": [{"kind": "visit_profile"}]}),
        )
        .await
        .problem(422, "validation_failed");
    assert_eq!(res.fields(), ["steps[0].delay_hours"]);
    let steps: Vec<_> = (0..21)
        .map(|_| json!({"kind": "wait", "delay_hours": 1}))
        .collect();
    let res = app
        .post(
            "/api/campaigns",
            &s.token,
            json!({"name": "n", "sequence": steps}),
        )
        .await
        .problem(422, "validation_failed");
    assert_eq!(res.fields(), ["sequence"]);
    // 200 characters of a multi-byte script are fine.
    app.post(
        "/api/campaigns",
        &s.token,
        json!({"name": "ü".repeat(200), "daily_limit": 1000}),
    )
    .await
    .expect(201);
    let res = app
        .post("/api/campaigns", &s.token, json!({}))
        .await
        .problem(422, "validation_failed");
    assert_eq!(res.fields(), ["name"]);
    let c = app.create_campaign(&s.token, json!({"name": "n"})).await;
    let res = app
        .patch(
            &format!("/api/campaigns/{}", id(&c)),
            &s.token,
            json!({"name": null, "daily_limit": 0}),
        )
        .await;
    let mut f = res.problem(422, "validation_failed").fields();
    f.sort();
    assert_eq!(f, ["daily_limit", "name"]);
}

#[tokio::test]
async fn list_filters_sorts_and_searches() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    for (name, status) in [
        ("Alpha", "draft"),
        ("beta", "active"),
        ("Gamma ray", "active"),
        ("delta", "draft"),
    ] {
        app.create_campaign(&s.token, json!({"name": name, "status": status}))
            .await;
    }
    let names = |v: &serde_json::Value| -> Vec<String> {
        v["data"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|c| c["name"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let all = app.get("/api/campaigns", &s.token).await.expect(200);
    assert_eq!(
        names(&all.body),
        ["delta", "Gamma ray", "beta", "Alpha"],
        "default is -created_at"
    );
    assert_eq!(all.body["total"], 4);
    let active = app
        .get("/api/campaigns?status=active&sort=created_at", &s.token)
        .await
        .expect(200);
    assert_eq!(names(&active.body), ["beta", "Gamma ray"]);
    assert_eq!(active.body["total"], 2);
    let q = app.get("/api/campaigns?q=RAY", &s.token).await.expect(200);
    assert_eq!(names(&q.body), ["Gamma ray"]);
    let by_name = app
        .get("/api/campaigns?sort=-name", &s.token)
        .await
        .expect(200);
    assert_eq!(
        names(&by_name.body),
        ["delta", "beta", "Gamma ray", "Alpha"]
    );
    let pct = app.get("/api/campaigns?q=%25", &s.token).await.expect(200);
    assert_eq!(pct.body["total"], 0, "% is matched literally");
    // Case folding is Unicode-aware on every backend, in name and description.
    app.create_campaign(
        &s.token,
        json!({"name": "Müller GmbH", "description": "Ärzte in Zürich"}),
    )
    .await;
    for q in ["M%C3%9CLLER", "%C3%A4RZTE", "z%C3%BCrich"] {
        let found = app
            .get(&format!("/api/campaigns?q={q}"), &s.token)
            .await
            .expect(200);
        assert_eq!(names(&found.body), ["Müller GmbH"], "q={q}");
    }
    for bad in [
        "status=bogus",
        "sort=bogus",
        "sort=-",
        "limit=0",
        "limit=201",
        "limit=x",
        "cursor=!!!",
        "cursor=abc",
    ] {
        app.get(&format!("/api/campaigns?{bad}"), &s.token)
            .await
            .problem(400, "bad_request");
    }
}

#[tokio::test]
async fn pagination_stays_correct_while_rows_are_inserted() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    for sort in [
        "-created_at",
        "created_at",
        "name",
        "-name",
        "updated_at",
        "-updated_at",
    ] {
        let prefix = format!("{sort}-");
        let mut created: Vec<String> = Vec::new();
        for i in 0..7 {
            created.push(id(&app
                .create_campaign(&s.token, json!({"name": format!("{prefix}{i:02}")}))
                .await));
        }
        let q = format!("q={}", urlencode(&prefix));
        let mut seen: Vec<String> = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let url = match &cursor {
                Some(c) => format!("/api/campaigns?{q}&sort={sort}&limit=3&cursor={c}"),
                None => format!("/api/campaigns?{q}&sort={sort}&limit=3"),
            };
            let page = app.get(&url, &s.token).await.expect(200);
            seen.extend(page.body["data"].as_array().into_iter().flatten().map(id));
            // Insert a row between pages: it sorts before or after what we've read, never duplicates.
            app.create_campaign(&s.token, json!({"name": format!("{prefix}zz{pages}")}))
                .await;
            pages += 1;
            match page.body["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
            assert!(pages < 20, "pagination does not terminate");
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "{sort}: duplicates across pages");
        for c in &created {
            assert!(seen.contains(c), "{sort}: row {c} skipped");
        }
    }
    // A cursor of another sort order is refused.
    let first = app
        .get("/api/campaigns?limit=1", &s.token)
        .await
        .expect(200);
    let c = first.body["next_cursor"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    app.get(
        &format!("/api/campaigns?limit=1&sort=name&cursor={c}"),
        &s.token,
    )
    .await
    .problem(400, "bad_request");
}

#[tokio::test]
async fn nul_characters_are_client_errors_not_database_errors() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let res = app
        .post("/api/campaigns", &s.token, json!({"name": "a\u{0}b", "sequence": [{"kind": "message", "delay_hours": 1, "template": "x\u{0}"}]}))
        .await
        .problem(422, "validation_failed");
    let mut f = res.fields();
    f.sort();
    assert_eq!(f, ["name", "sequence[0].template"]);
    app.get("/api/campaigns?q=a%00b", &s.token)
        .await
        .problem(400, "bad_request");
    let c = app.create_campaign(&s.token, json!({"name": "c"})).await;
    let res = app
        .post(
            "/api/leads",
            &s.token,
            json!({"campaign_id": id(&c), "name": "n", "email": "a\u{0}@b.co", "notes": "\u{0}"}),
        )
        .await
        .problem(422, "validation_failed");
    let mut f = res.fields();
    f.sort();
    assert_eq!(f, ["email", "notes"]);
    app.send(
        reqwest::Method::POST,
        "/api/auth/login",
        None,
        Some(json!({"email": "a\u{0}@b.co", "password": "12345678"})),
    )
    .await
    .problem(422, "validation_failed");
    let cursor = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(
            json!({"f": "name", "d": false, "s": "a\u{0}", "i": uuid::Uuid::nil()}).to_string(),
        )
    };
    app.get(
        &format!("/api/campaigns?sort=name&cursor={cursor}"),
        &s.token,
    )
    .await
    .problem(400, "bad_request");
}

#[tokio::test]
async fn a_cursor_carrying_the_wrong_key_type_is_refused() {
    use base64::Engine;
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let enc = |v: serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let nil = uuid::Uuid::nil();
    let mixed_name =
        enc(json!({"f": "name", "d": true, "t": "2020-01-01T00:00:00Z", "s": "x", "i": nil}));
    let mixed_time =
        enc(json!({"f": "created_at", "d": true, "t": "2020-01-01T00:00:00Z", "s": "x", "i": nil}));
    for path in ["/api/campaigns", "/api/leads"] {
        app.get(&format!("{path}?sort=-name&cursor={mixed_name}"), &s.token)
            .await
            .problem(400, "bad_request");
        app.get(&format!("{path}?cursor={mixed_time}"), &s.token)
            .await
            .problem(400, "bad_request");
    }
}
