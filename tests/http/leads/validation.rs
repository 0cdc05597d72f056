//! Validation of lead bodies: every bad field named, nothing changed by a refused update.

use super::*;

/// Sends a lead body that differs from a valid one by `patch`, expects a 422 naming exactly `fields`.
async fn rejects(app: &TestApp, token: &str, cid: &str, patch: Value, fields: &[&str]) {
    let mut body = json!({"campaign_id": cid, "name": "Valid"});
    if let (Some(b), Some(p)) = (body.as_object_mut(), patch.as_object()) {
        for (k, v) in p {
            b.insert(k.clone(), v.clone());
        }
    }
    let res = app
        .post("/api/leads", token, body.clone())
        .await
        .problem(422, "validation_failed");
    let mut got = res.fields();
    got.sort();
    let mut want: Vec<String> = fields.iter().map(|f| (*f).to_owned()).collect();
    want.sort();
    assert_eq!(got, want, "body {body} → {}", res.body);
    for e in res.body["errors"].as_array().into_iter().flatten() {
        assert!(e["code"].is_string() && e["message"].is_string(), "{e}");
    }
}

async fn accepts(app: &TestApp, token: &str, cid: &str, patch: Value) -> Value {
    let mut body = json!({"campaign_id": cid, "name": "Valid"});
    if let (Some(b), Some(p)) = (body.as_object_mut(), patch.as_object()) {
        for (k, v) in p {
            b.insert(k.clone(), v.clone());
        }
    }
    app.post("/api/leads", token, body).await.expect(201).body
}

#[tokio::test]
async fn create_validates_every_field() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let other = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let cid = id(&c);
    let t = s.token.as_str();

    // name: 1–200 characters, counted in characters.
    rejects(&app, t, &cid, json!({"name": ""}), &["name"]).await;
    rejects(&app, t, &cid, json!({"name": "   "}), &["name"]).await;
    rejects(&app, t, &cid, json!({"name": null}), &["name"]).await;
    rejects(&app, t, &cid, json!({"name": "x".repeat(201)}), &["name"]).await;
    rejects(&app, t, &cid, json!({"name": "é".repeat(201)}), &["name"]).await;
    rejects(&app, t, &cid, json!({"name": "😀".repeat(201)}), &["name"]).await;
    let l = accepts(&app, t, &cid, json!({"name": "é".repeat(200)})).await;
    assert_eq!(l["name"].as_str().map(|n| n.chars().count()), Some(200));
    accepts(&app, t, &cid, json!({"name": "😀".repeat(200)})).await;
    accepts(&app, t, &cid, json!({"name": "x"})).await;
    let res = app
        .post("/api/leads", t, json!({"campaign_id": cid}))
        .await
        .problem(422, "validation_failed");
    assert_eq!(res.fields(), ["name"]);

    // email
    for bad in [
        "nope",
        "a@b",
        "@example.com",
        "a@@example.com",
        "a b@example.com",
        "a@.com",
        "a@example.",
    ] {
        rejects(&app, t, &cid, json!({"email": bad}), &["email"]).await;
    }
    let res = app
        .post(
            "/api/leads",
            t,
            json!({"campaign_id": cid, "name": "x", "email": "nope"}),
        )
        .await
        .problem(422, "validation_failed");
    assert_eq!(res.body["errors"][0]["code"], "invalid_email");
    accepts(
        &app,
        t,
        &cid,
        json!({"email": "first.last+tag@sub.example.co.uk"}),
    )
    .await;

    // linkedin_url: http(s) only.
    for bad in [
        "linkedin.com/in/ada",
        "ftp://linkedin.com/in/ada",
        "javascript:alert(1)",
        "https://",
        "https:// linkedin.com/in/ada",
        "http://[",
        "https://someone@linkedin.com/in/ada",
        "https://linkedin.com:https/in/ada",
        "https://linkedin.com:99999/in/ada",
        "https://linkedin.com:65536/in/ada",
    ] {
        rejects(
            &app,
            t,
            &cid,
            json!({"linkedin_url": bad}),
            &["linkedin_url"],
        )
        .await;
    }
    accepts(
        &app,
        t,
        &cid,
        json!({"linkedin_url": "http://linkedin.com/in/a"}),
    )
    .await;
    accepts(
        &app,
        t,
        &cid,
        json!({"linkedin_url": "https://www.linkedin.com/in/a?x=1"}),
    )
    .await;

    // company and title ≤ 200, notes ≤ 8000, in characters.
    for f in ["company", "title"] {
        rejects(&app, t, &cid, json!({ f: "ß".repeat(201) }), &[f]).await;
        let l = accepts(&app, t, &cid, json!({ f: "ß".repeat(200) })).await;
        assert_eq!(l[f].as_str().map(|v| v.chars().count()), Some(200));
    }
    rejects(
        &app,
        t,
        &cid,
        json!({"notes": "n".repeat(8001)}),
        &["notes"],
    )
    .await;
    let l = accepts(&app, t, &cid, json!({"notes": "ü".repeat(8000)})).await;
    assert_eq!(l["notes"].as_str().map(|v| v.chars().count()), Some(8000));

    // Unknown enum values name the field.
    for bad in ["bogus", "Pending", "", "PENDING"] {
        rejects(&app, t, &cid, json!({"status": bad}), &["status"]).await;
        rejects(
            &app,
            t,
            &cid,
            json!({"connection_status": bad}),
            &["connection_status"],
        )
        .await;
    }
    rejects(&app, t, &cid, json!({"status": null}), &["status"]).await;
    rejects(
        &app,
        t,
        &cid,
        json!({"connection_status": null}),
        &["connection_status"],
    )
    .await;
    for s in [
        "pending",
        "contacted",
        "responded",
        "converted",
        "do_not_contact",
    ] {
        assert_eq!(
            accepts(&app, t, &cid, json!({"status": s})).await["status"],
            s
        );
    }
    for cs in ["not_connected", "pending", "connected"] {
        assert_eq!(
            accepts(&app, t, &cid, json!({"connection_status": cs})).await["connection_status"],
            cs
        );
    }

    // campaign_id: missing, null, not a UUID, unknown, another workspace's.
    let res = app
        .post("/api/leads", t, json!({"name": "x"}))
        .await
        .problem(422, "validation_failed");
    assert_eq!(res.fields(), ["campaign_id"]);
    rejects(
        &app,
        t,
        &cid,
        json!({"campaign_id": null}),
        &["campaign_id"],
    )
    .await;
    rejects(
        &app,
        t,
        &cid,
        json!({"campaign_id": "not-a-uuid"}),
        &["campaign_id"],
    )
    .await;
    let foreign = app
        .create_campaign(&other.token, json!({"name": "Theirs"}))
        .await;
    let unknown = app
        .post(
            "/api/leads",
            t,
            json!({"campaign_id": uuid::Uuid::now_v7(), "name": "x"}),
        )
        .await
        .problem(422, "validation_failed");
    let theirs = app
        .post(
            "/api/leads",
            t,
            json!({"campaign_id": id(&foreign), "name": "x"}),
        )
        .await
        .problem(422, "validation_failed");
    assert_eq!(unknown.fields(), ["campaign_id"]);
    assert_eq!(
        unknown.body, theirs.body,
        "another workspace's campaign must look exactly like a missing one"
    );
    let theirs_list = app
        .get(
            &format!("/api/leads?campaign_id={}", id(&foreign)),
            &other.token,
        )
        .await
        .expect(200);
    assert_eq!(theirs_list.body["total"], 0, "nothing was created in B");

    // Everything wrong at once: every field is named.
    let res = app
        .post(
            "/api/leads",
            t,
            json!({"name": "", "email": "x", "linkedin_url": "x", "company": "c".repeat(201),
                   "title": "t".repeat(201), "notes": "n".repeat(8001), "status": "x",
                   "connection_status": "x"}),
        )
        .await
        .problem(422, "validation_failed");
    let mut f = res.fields();
    f.sort();
    assert_eq!(
        f,
        [
            "campaign_id",
            "company",
            "connection_status",
            "email",
            "linkedin_url",
            "name",
            "notes",
            "status",
            "title"
        ]
    );
    assert_eq!(res.body["detail"], "9 fields are invalid");
}

#[tokio::test]
async fn update_validates_and_leaves_the_lead_unchanged() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let lead = app
        .create_lead(
            &s.token,
            &id(&c),
            json!({"name": "Ada", "email": "ada@example.com"}),
        )
        .await;
    let url = lead_url(&lead);
    for (body, field) in [
        (json!({"name": null}), "name"),
        (json!({"name": ""}), "name"),
        (json!({"name": "n".repeat(201)}), "name"),
        (json!({"email": "nope"}), "email"),
        (json!({"linkedin_url": "ftp://x.y"}), "linkedin_url"),
        (json!({"company": "c".repeat(201)}), "company"),
        (json!({"title": "t".repeat(201)}), "title"),
        (json!({"notes": "n".repeat(8001)}), "notes"),
        (json!({"status": "won"}), "status"),
        (json!({"status": null}), "status"),
        (json!({"connection_status": "maybe"}), "connection_status"),
        (json!({"campaign_id": null}), "campaign_id"),
        (json!({"campaign_id": "zzz"}), "campaign_id"),
        (json!({"campaign_id": uuid::Uuid::now_v7()}), "campaign_id"),
    ] {
        for method in [Method::PUT, Method::PATCH] {
            let res = app
                .send(method.clone(), &url, Some(&s.token), Some(body.clone()))
                .await
                .problem(422, "validation_failed");
            assert_eq!(res.fields(), [field], "{method} {body}");
        }
    }
    let after = app.get(&url, &s.token).await.expect(200);
    assert_eq!(after.body, lead, "a rejected update changed the lead");
}
