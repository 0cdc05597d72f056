//! Lead CRUD, validation, partial updates, moves between campaigns, list filters, sort and
//! cursors, If-Match, and campaign stats computed from leads.

use kandid_tests::{TestApp, assert_rate, column, data, id, ids, urlencode};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashSet;

fn lead_url(lead: &Value) -> String {
    format!("/api/leads/{}", id(lead))
}

#[tokio::test]
async fn crud_round_trip() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let cid = id(&c);

    let res = app
        .post(
            "/api/leads",
            &s.token,
            json!({"campaign_id": cid, "name": "  Ada Lovelace ", "email": "Ada@Example.com",
                   "company": "Analytical Engines", "title": "CTO",
                   "linkedin_url": "https://www.linkedin.com/in/ada", "notes": "met at a conference"}),
        )
        .await
        .expect(201);
    let lead = res.body.clone();
    let lid = id(&lead);
    assert!(uuid::Uuid::parse_str(&lid).is_ok(), "{lead}");
    assert_eq!(
        res.header("location"),
        Some(format!("/api/leads/{lid}").as_str())
    );
    assert_eq!(res.header("etag"), Some("\"1\""));
    assert_eq!(lead["campaign_id"], cid.as_str());
    assert_eq!(lead["name"], "Ada Lovelace", "names are trimmed");
    assert_eq!(lead["email"], "Ada@Example.com");
    assert_eq!(lead["company"], "Analytical Engines");
    assert_eq!(lead["title"], "CTO");
    assert_eq!(lead["linkedin_url"], "https://www.linkedin.com/in/ada");
    assert_eq!(lead["notes"], "met at a conference");
    assert_eq!(lead["status"], "pending", "default status");
    assert_eq!(lead["connection_status"], "not_connected");
    assert_eq!(lead["last_activity_at"], Value::Null);
    assert_eq!(lead["version"], 1);
    assert_eq!(lead["created_at"], lead["updated_at"]);
    for ts in ["created_at", "updated_at"] {
        let t = lead[ts].as_str().unwrap_or_default();
        assert!(
            chrono::DateTime::parse_from_rfc3339(t)
                .is_ok_and(|d| d.offset().local_minus_utc() == 0),
            "{ts} is not RFC 3339 UTC: {t}"
        );
    }

    let got = app.get(&lead_url(&lead), &s.token).await.expect(200);
    assert_eq!(got.body, lead);
    assert_eq!(got.header("etag"), Some("\"1\""));

    // Only the required fields.
    let minimal = app
        .create_lead(&s.token, &cid, json!({"name": "Bob"}))
        .await;
    for f in ["email", "company", "title", "linkedin_url", "notes"] {
        assert_eq!(minimal[f], Value::Null, "{f}");
    }
    // Explicit statuses on create.
    let explicit = app
        .create_lead(
            &s.token,
            &cid,
            json!({"name": "Cy", "status": "responded", "connection_status": "connected"}),
        )
        .await;
    assert_eq!(explicit["status"], "responded");
    assert_eq!(explicit["connection_status"], "connected");

    // PUT changes the status: version, ETag, updated_at and last_activity_at move.
    let put = app
        .put(
            &lead_url(&lead),
            &s.token,
            json!({"status": "contacted", "connection_status": "pending"}),
        )
        .await
        .expect(200);
    assert_eq!(put.body["status"], "contacted");
    assert_eq!(put.body["connection_status"], "pending");
    assert_eq!(put.body["version"], 2);
    assert_eq!(put.header("etag"), Some("\"2\""));
    assert_eq!(put.body["created_at"], lead["created_at"]);
    assert!(put.body["last_activity_at"].is_string(), "{}", put.body);
    assert!(
        put.body["updated_at"].as_str() >= lead["updated_at"].as_str(),
        "{}",
        put.body
    );
    // PATCH changes another field.
    let patch = app
        .patch(&lead_url(&lead), &s.token, json!({"title": "CEO"}))
        .await
        .expect(200);
    assert_eq!(patch.body["title"], "CEO");
    assert_eq!(patch.body["status"], "contacted");
    assert_eq!(patch.body["version"], 3);
    assert_eq!(patch.header("etag"), Some("\"3\""));
    assert_eq!(
        app.get(&lead_url(&lead), &s.token).await.expect(200).body,
        patch.body
    );

    app.delete(&lead_url(&lead), &s.token).await.expect(204);
    app.get(&lead_url(&lead), &s.token)
        .await
        .problem(404, "not_found");
    app.delete(&lead_url(&lead), &s.token)
        .await
        .problem(404, "not_found");
    app.patch(&lead_url(&lead), &s.token, json!({"name": "x"}))
        .await
        .problem(404, "not_found");
    let list = app
        .get(&format!("/api/leads?campaign_id={cid}"), &s.token)
        .await
        .expect(200);
    assert_eq!(list.body["total"], 2);
    assert!(!ids(&list.body).contains(&lid));
}

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

#[tokio::test]
async fn partial_updates() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let full = json!({"name": "Ada", "email": "ada@example.com", "company": "AE", "title": "CTO",
                      "linkedin_url": "https://linkedin.com/in/ada", "notes": "n",
                      "status": "contacted", "connection_status": "pending"});
    let lead = app.create_lead(&s.token, &id(&c), full.clone()).await;
    let url = lead_url(&lead);

    // Send back what we got with one change and bogus read-only fields: those are ignored.
    let mut sent = lead.clone();
    sent["company"] = json!("Analytical Engines");
    sent["id"] = json!(uuid::Uuid::now_v7());
    sent["version"] = json!(42);
    sent["created_at"] = json!("2000-01-01T00:00:00Z");
    sent["updated_at"] = json!("2000-01-01T00:00:00Z");
    sent["last_activity_at"] = json!("2000-01-01T00:00:00Z");
    sent["unknown_field"] = json!({"x": 1});
    let put = app.put(&url, &s.token, sent).await.expect(200);
    assert_eq!(put.body["id"], lead["id"]);
    assert_eq!(put.body["version"], 2);
    assert_eq!(put.body["created_at"], lead["created_at"]);
    assert_ne!(put.body["updated_at"], "2000-01-01T00:00:00Z");
    assert_eq!(put.body["last_activity_at"], lead["last_activity_at"]);
    let mut expected = lead.clone();
    expected["company"] = json!("Analytical Engines");
    for f in ["version", "updated_at"] {
        expected[f] = put.body[f].clone();
    }
    assert_eq!(put.body, expected, "only company may change");

    // Omitted fields are unchanged.
    let p = app
        .patch(&url, &s.token, json!({"notes": "updated"}))
        .await
        .expect(200);
    for f in [
        "name",
        "email",
        "company",
        "title",
        "linkedin_url",
        "status",
        "connection_status",
    ] {
        assert_eq!(p.body[f], put.body[f], "{f} changed");
    }
    assert_eq!(p.body["notes"], "updated");

    // null clears optional fields; PUT and PATCH alike.
    for (method, fields) in [
        (Method::PUT, ["email", "company", "title"].as_slice()),
        (Method::PATCH, ["linkedin_url", "notes"].as_slice()),
    ] {
        let body: serde_json::Map<String, Value> = fields
            .iter()
            .map(|f| ((*f).to_owned(), Value::Null))
            .collect();
        let res = app
            .send(method, &url, Some(&s.token), Some(Value::Object(body)))
            .await
            .expect(200);
        for f in fields {
            assert_eq!(res.body[*f], Value::Null, "{f} not cleared");
        }
        assert_eq!(res.body["name"], "Ada");
    }
    let now = app.get(&url, &s.token).await.expect(200).body;
    for f in ["email", "company", "title", "linkedin_url", "notes"] {
        assert_eq!(now[f], Value::Null, "{f}");
    }
    assert_eq!(now["status"], "contacted");
    assert_eq!(now["version"], 5);

    // A no-op update (same values, empty body) keeps the version.
    for body in [
        json!({}),
        json!({"name": "Ada", "status": "contacted", "email": null}),
    ] {
        let res = app.patch(&url, &s.token, body).await.expect(200);
        assert_eq!(res.body["version"], 5);
        assert_eq!(res.header("etag"), Some("\"5\""));
    }
}

#[tokio::test]
async fn leads_move_between_campaigns_of_the_workspace() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let other = app.register().await;
    let c1 = app.create_campaign(&s.token, json!({"name": "One"})).await;
    let c2 = app.create_campaign(&s.token, json!({"name": "Two"})).await;
    let theirs = app
        .create_campaign(&other.token, json!({"name": "Theirs"}))
        .await;
    let lead = app
        .create_lead(
            &s.token,
            &id(&c1),
            json!({"name": "Mover", "status": "contacted"}),
        )
        .await;
    let url = lead_url(&lead);

    // Not to another workspace's campaign, nor to one that does not exist: the same 422.
    let a = app
        .patch(&url, &s.token, json!({"campaign_id": id(&theirs)}))
        .await
        .problem(422, "validation_failed");
    let b = app
        .patch(&url, &s.token, json!({"campaign_id": uuid::Uuid::now_v7()}))
        .await
        .problem(422, "validation_failed");
    assert_eq!(a.fields(), ["campaign_id"]);
    assert_eq!(a.body, b.body);
    assert_eq!(app.get(&url, &s.token).await.expect(200).body, lead);

    let moved = app
        .put(&url, &s.token, json!({"campaign_id": id(&c2)}))
        .await
        .expect(200);
    assert_eq!(moved.body["campaign_id"], id(&c2).as_str());
    assert_eq!(moved.body["version"], 2);
    let in_campaign = |cid: String| {
        let app = &app;
        let token = s.token.clone();
        async move {
            app.get(&format!("/api/leads?campaign_id={cid}"), &token)
                .await
                .expect(200)
                .body
        }
    };
    assert_eq!(in_campaign(id(&c1)).await["total"], 0);
    assert_eq!(ids(&in_campaign(id(&c2)).await), [id(&lead)]);
    let s1 = app
        .get(&format!("/api/campaigns/{}", id(&c1)), &s.token)
        .await
        .expect(200);
    let s2 = app
        .get(&format!("/api/campaigns/{}", id(&c2)), &s.token)
        .await
        .expect(200);
    assert_eq!(s1.body["stats"]["total_leads"], 0);
    assert_eq!(s2.body["stats"]["total_leads"], 1);
    assert_eq!(s2.body["stats"]["by_status"]["contacted"], 1);

    // Deleting the old campaign leaves the moved lead alone; deleting the new one takes it.
    app.delete(&format!("/api/campaigns/{}", id(&c1)), &s.token)
        .await
        .expect(204);
    app.get(&url, &s.token).await.expect(200);
    app.delete(&format!("/api/campaigns/{}", id(&c2)), &s.token)
        .await
        .expect(204);
    app.get(&url, &s.token).await.problem(404, "not_found");
}

#[tokio::test]
async fn list_filters_and_search() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let other = app.register().await;
    let c1 = app.create_campaign(&s.token, json!({"name": "One"})).await;
    let c2 = app.create_campaign(&s.token, json!({"name": "Two"})).await;
    let (c1, c2) = (id(&c1), id(&c2));
    let rows = [
        (
            &c1,
            "Ada Lovelace",
            "ada@engines.io",
            "Analytical",
            "CTO",
            "pending",
            "not_connected",
            "hidden gem",
        ),
        (
            &c1,
            "Bob Smith",
            "bob@acme.com",
            "ACME Corp",
            "Engineer",
            "contacted",
            "pending",
            "",
        ),
        (
            &c1,
            "Carol",
            "carol@widgets.com",
            "Widgets",
            "Head of Sales",
            "responded",
            "connected",
            "",
        ),
        (
            &c2,
            "Dave",
            "DAVE@ACME.COM",
            "Initech",
            "VP Engineering",
            "contacted",
            "connected",
            "",
        ),
        (
            &c2,
            "Erin 100%",
            "erin@example.com",
            "Hooli",
            "Chief_Officer",
            "converted",
            "connected",
            "",
        ),
    ];
    let mut by_name = std::collections::HashMap::new();
    for (cid, name, email, company, title, status, cs, notes) in rows {
        let l = app
            .create_lead(
                &s.token,
                cid,
                json!({"name": name, "email": email, "company": company, "title": title,
                       "status": status, "connection_status": cs, "notes": notes}),
            )
            .await;
        by_name.insert(name, id(&l));
    }
    // Someone else's leads never show up.
    let theirs = app
        .create_campaign(&other.token, json!({"name": "Theirs"}))
        .await;
    app.create_lead(
        &other.token,
        &id(&theirs),
        json!({"name": "Ada Impostor", "email": "ada@engines.io"}),
    )
    .await;

    let names = |q: &str| {
        let app = &app;
        let token = s.token.clone();
        let q = q.to_owned();
        async move {
            let res = app
                .get(&format!("/api/leads?sort=name&{q}"), &token)
                .await
                .expect(200);
            let names = column(&res.body, "name");
            assert_eq!(
                res.body["total"].as_u64(),
                Some(names.len() as u64),
                "{q}: total"
            );
            names
        }
    };
    assert_eq!(names("").await.len(), 5);
    assert_eq!(
        names(&format!("campaign_id={c1}")).await,
        ["Ada Lovelace", "Bob Smith", "Carol"]
    );
    assert_eq!(
        names(&format!("campaign_id={c2}")).await,
        ["Dave", "Erin 100%"]
    );
    assert_eq!(names("status=contacted").await, ["Bob Smith", "Dave"]);
    assert_eq!(names("status=do_not_contact").await, Vec::<String>::new());
    assert_eq!(
        names("connection_status=connected").await,
        ["Carol", "Dave", "Erin 100%"]
    );
    assert_eq!(
        names(&format!(
            "campaign_id={c2}&status=contacted&connection_status=connected"
        ))
        .await,
        ["Dave"]
    );
    assert_eq!(
        names(&format!("campaign_id={c1}&connection_status=connected")).await,
        ["Carol"]
    );
    // q: case-insensitive substring of name, email, company or title.
    assert_eq!(names("q=LOVE").await, ["Ada Lovelace"], "name");
    assert_eq!(names("q=acme.COM").await, ["Bob Smith", "Dave"], "email");
    assert_eq!(names("q=initech").await, ["Dave"], "company");
    assert_eq!(names("q=engineer").await, ["Bob Smith", "Dave"], "title");
    assert_eq!(
        names("q=acme").await,
        ["Bob Smith", "Dave"],
        "company or email"
    );
    assert_eq!(
        names("q=hidden").await,
        Vec::<String>::new(),
        "notes are not searched"
    );
    assert_eq!(
        names(&format!("q={}", urlencode("100%"))).await,
        ["Erin 100%"]
    );
    assert_eq!(
        names(&format!("q={}", urlencode("%"))).await,
        ["Erin 100%"],
        "% is literal"
    );
    assert_eq!(
        names(&format!("q={}", urlencode("_"))).await,
        ["Erin 100%"],
        "_ is literal"
    );
    assert_eq!(
        names(&format!("q={}", urlencode("ada lovelace"))).await,
        ["Ada Lovelace"]
    );
    assert_eq!(
        names(&format!("q=engineer&campaign_id={c2}")).await,
        ["Dave"]
    );
    assert_eq!(names("q=zzz").await, Vec::<String>::new());
    assert_eq!(names("q=").await.len(), 5, "empty q matches everything");

    // Filtered by another workspace's campaign: empty, not an error.
    assert_eq!(
        names(&format!("campaign_id={}", id(&theirs))).await,
        Vec::<String>::new()
    );
    assert_eq!(
        names(&format!("campaign_id={}", uuid::Uuid::now_v7())).await,
        Vec::<String>::new()
    );

    for bad in [
        "status=bogus",
        "status=Pending",
        "connection_status=bogus",
        "campaign_id=not-a-uuid",
        "sort=bogus",
        "sort=email",
        "limit=0",
        "limit=201",
        "limit=-1",
        "limit=ten",
        "cursor=%21%21%21",
        "cursor=eyJ4IjoxfQ",
    ] {
        app.get(&format!("/api/leads?{bad}"), &s.token)
            .await
            .problem(400, "bad_request");
    }
}

/// Reads every page of `url` (which has no cursor) and returns the ids in order.
async fn all_pages(app: &TestApp, token: &str, url: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..1000 {
        let page_url = match &cursor {
            Some(c) => format!("{url}&cursor={c}"),
            None => url.to_owned(),
        };
        let page = app.get(&page_url, token).await.expect(200);
        seen.extend(ids(&page.body));
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return seen,
        }
    }
    panic!("pagination of {url} does not terminate");
}

#[tokio::test]
async fn sort_limit_and_cursor_pagination() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let cid = id(&c);
    // One by one: distinct created_at, names out of creation order.
    let names = ["mango", "Apple", "kiwi", "banana", "Cherry", "apple", "fig"];
    let mut created = Vec::new();
    let mut updated_at = Vec::new();
    for n in names {
        let l = app.create_lead(&s.token, &cid, json!({"name": n})).await;
        created.push(id(&l));
        updated_at.push(l["updated_at"].as_str().unwrap_or_default().to_owned());
    }
    // Touch the third lead: it becomes the most recently updated.
    let touched = app
        .patch(
            &format!("/api/leads/{}", created[2]),
            &s.token,
            json!({"notes": "x"}),
        )
        .await
        .expect(200);
    updated_at[2] = touched.body["updated_at"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let base = format!("/api/leads?campaign_id={cid}");
    let first = app.get(&base, &s.token).await.expect(200);
    let mut newest_first = created.clone();
    newest_first.reverse();
    assert_eq!(
        ids(&first.body),
        newest_first,
        "default sort is -created_at"
    );
    assert_eq!(first.body["next_cursor"], Value::Null);
    assert_eq!(first.body["total"], 7);

    let sorted_by_name = |desc: bool| {
        let mut pairs: Vec<(&str, &String)> = names.iter().copied().zip(created.iter()).collect();
        pairs.sort_by(|a, b| a.0.cmp(b.0).then(a.1.cmp(b.1)));
        if desc {
            pairs.reverse();
        }
        pairs.into_iter().map(|p| p.1.clone()).collect::<Vec<_>>()
    };
    // Ties in updated_at (same millisecond) are broken by id.
    let mut keyed: Vec<(&String, &String)> = updated_at.iter().zip(created.iter()).collect();
    keyed.sort();
    let by_updated: Vec<String> = keyed.into_iter().map(|k| k.1.clone()).collect();
    assert_eq!(by_updated.last(), Some(&created[2]));
    let mut by_updated_desc = by_updated.clone();
    by_updated_desc.reverse();
    for (sort, expected) in [
        ("created_at", created.clone()),
        ("-created_at", newest_first.clone()),
        ("name", sorted_by_name(false)),
        ("-name", sorted_by_name(true)),
        ("updated_at", by_updated),
        ("-updated_at", by_updated_desc),
    ] {
        let one_page = app
            .get(&format!("{base}&sort={sort}"), &s.token)
            .await
            .expect(200);
        assert_eq!(ids(&one_page.body), expected, "sort={sort}");
        for limit in [1, 2, 3, 7] {
            let paged =
                all_pages(&app, &s.token, &format!("{base}&sort={sort}&limit={limit}")).await;
            assert_eq!(paged, expected, "sort={sort} limit={limit}");
        }
        let page = app
            .get(&format!("{base}&sort={sort}&limit=3"), &s.token)
            .await
            .expect(200);
        assert_eq!(data(&page.body).len(), 3);
        assert_eq!(page.body["total"], 7, "total counts every page");
        assert!(page.body["next_cursor"].is_string());
    }

    // Cursors combine with filters.
    for i in [0, 3, 5] {
        app.patch(
            &format!("/api/leads/{}", created[i]),
            &s.token,
            json!({"status": "contacted"}),
        )
        .await
        .expect(200);
    }
    let contacted = all_pages(
        &app,
        &s.token,
        &format!("{base}&status=contacted&sort=created_at&limit=1"),
    )
    .await;
    assert_eq!(
        contacted,
        [created[0].clone(), created[3].clone(), created[5].clone()]
    );

    // A cursor of another sort order is refused.
    let p = app
        .get(&format!("{base}&sort=name&limit=2"), &s.token)
        .await
        .expect(200);
    let cur = p.body["next_cursor"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    app.get(&format!("{base}&sort=-name&limit=2&cursor={cur}"), &s.token)
        .await
        .problem(400, "bad_request");
    app.get(&format!("{base}&limit=2&cursor={cur}"), &s.token)
        .await
        .problem(400, "bad_request");
}

#[tokio::test]
async fn default_limit_and_ties_in_created_at() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let cid = id(&c);
    // One import: every row shares its created_at, so the keyset relies on the id.
    let rows: Vec<Value> = (0..120)
        .map(|i| json!({"name": format!("Lead {:03}", i % 7)}))
        .collect();
    let res = app
        .import_json(&s.token, &cid, json!(rows))
        .await
        .expect(200);
    assert_eq!(res.body["created"], 120);
    let base = format!("/api/leads?campaign_id={cid}");
    let page = app.get(&base, &s.token).await.expect(200);
    assert_eq!(data(&page.body).len(), 50, "default limit is 50");
    assert_eq!(page.body["total"], 120);
    let max = app
        .get(&format!("{base}&limit=200"), &s.token)
        .await
        .expect(200);
    assert_eq!(data(&max.body).len(), 120);
    assert_eq!(max.body["next_cursor"], Value::Null);
    for sort in [
        "created_at",
        "-created_at",
        "name",
        "-name",
        "updated_at",
        "-updated_at",
    ] {
        let all = all_pages(&app, &s.token, &format!("{base}&sort={sort}&limit=7")).await;
        let one = app
            .get(&format!("{base}&sort={sort}&limit=200"), &s.token)
            .await
            .expect(200);
        assert_eq!(all, ids(&one.body), "sort={sort}");
        let unique: HashSet<&String> = all.iter().collect();
        assert_eq!(unique.len(), 120, "sort={sort}: duplicates or gaps");
    }
}

#[tokio::test]
async fn if_match_and_etag() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let lead = app
        .create_lead(&s.token, &id(&c), json!({"name": "v1"}))
        .await;
    let url = lead_url(&lead);
    let send = |method: Method, etag: &'static str, body: Option<Value>| {
        let app = &app;
        let url = url.clone();
        let token = s.token.clone();
        async move {
            app.request(method, &url, Some(&token), move |r| {
                let r = r.header("if-match", etag);
                match body {
                    Some(b) => r.json(&b),
                    None => r,
                }
            })
            .await
        }
    };
    let r = send(Method::PUT, "\"1\"", Some(json!({"name": "v2"})))
        .await
        .expect(200);
    assert_eq!(r.header("etag"), Some("\"2\""));
    for (method, body) in [
        (Method::PUT, Some(json!({"name": "stale"}))),
        (Method::PATCH, Some(json!({"name": "stale"}))),
        (Method::DELETE, None),
    ] {
        for stale in ["\"1\"", "\"3\"", "garbage", "W/\"1\""] {
            send(method.clone(), stale, body.clone())
                .await
                .problem(412, "precondition_failed");
        }
    }
    let cur = app.get(&url, &s.token).await.expect(200);
    assert_eq!(cur.body["name"], "v2", "a 412 changed the lead");
    assert_eq!(cur.header("etag"), Some("\"2\""));
    // If-Match compares strongly (RFC 9110): a weak tag of the current version fails.
    send(Method::PATCH, "W/\"2\"", Some(json!({"name": "v3"})))
        .await
        .problem(412, "precondition_failed");
    let r = send(Method::PATCH, "\"2\"", Some(json!({"name": "v3"})))
        .await
        .expect(200);
    assert_eq!(r.header("etag"), Some("\"3\""));
    let r = send(Method::PATCH, "*", Some(json!({"name": "v4"})))
        .await
        .expect(200);
    assert_eq!(r.header("etag"), Some("\"4\""));
    // A 412 precedes validation only when the lead exists; a stale DELETE keeps it.
    send(Method::DELETE, "\"3\"", None)
        .await
        .problem(412, "precondition_failed");
    app.get(&url, &s.token).await.expect(200);
    send(Method::DELETE, "\"4\"", None).await.expect(204);
    app.get(&url, &s.token).await.problem(404, "not_found");
    // On a lead that is gone: 404, not 412.
    send(Method::PATCH, "\"1\"", Some(json!({"name": "x"})))
        .await
        .problem(404, "not_found");
}

#[tokio::test]
async fn campaign_stats_follow_the_leads() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app
        .create_campaign(&s.token, json!({"name": "Stats"}))
        .await;
    let cid = id(&c);
    let url = format!("/api/campaigns/{cid}");

    let empty = app.get(&url, &s.token).await.expect(200).body["stats"].clone();
    assert_eq!(
        empty,
        json!({"total_leads": 0,
               "by_status": {"pending": 0, "contacted": 0, "responded": 0, "converted": 0, "do_not_contact": 0},
               "by_connection_status": {"not_connected": 0, "pending": 0, "connected": 0},
               "acceptance_rate": 0.0, "response_rate": 0.0, "conversion_rate": 0.0, "progress": 0.0})
    );

    let groups = [
        ("pending", "not_connected", 3),
        ("contacted", "pending", 2),
        ("contacted", "not_connected", 2),
        ("responded", "connected", 2),
        ("responded", "pending", 1),
        ("converted", "connected", 2),
        ("do_not_contact", "not_connected", 1),
    ];
    let mut leads = Vec::new();
    for (status, cs, n) in groups {
        for i in 0..n {
            leads.push(
                app.create_lead(
                    &s.token,
                    &cid,
                    json!({"name": format!("{status}/{cs}/{i}"), "status": status, "connection_status": cs}),
                )
                .await,
            );
        }
    }
    // A lead of another campaign does not count.
    let other = app
        .create_campaign(&s.token, json!({"name": "Other"}))
        .await;
    app.create_lead(
        &s.token,
        &id(&other),
        json!({"name": "x", "status": "converted", "connection_status": "connected"}),
    )
    .await;

    let check = |stats: &Value, by_status: Value, by_conn: Value, rates: [f64; 4]| {
        let total: i64 = by_status
            .as_object()
            .map(|m| m.values().filter_map(Value::as_i64).sum())
            .unwrap_or_default();
        assert_eq!(stats["total_leads"], total, "{stats}");
        assert_eq!(stats["by_status"], by_status, "{stats}");
        assert_eq!(stats["by_connection_status"], by_conn, "{stats}");
        assert_rate(&stats["acceptance_rate"], rates[0], "acceptance_rate");
        assert_rate(&stats["response_rate"], rates[1], "response_rate");
        assert_rate(&stats["conversion_rate"], rates[2], "conversion_rate");
        assert_rate(&stats["progress"], rates[3], "progress");
    };
    // 13 leads. connected 4 / (pending 3 + connected 4); (responded 3 + converted 2) /
    // (contacted 4 + 3 + 2); converted 2 / 13; not pending 10 / 13.
    let expect_1 = |stats: &Value| {
        check(
            stats,
            json!({"pending": 3, "contacted": 4, "responded": 3, "converted": 2, "do_not_contact": 1}),
            json!({"not_connected": 6, "pending": 3, "connected": 4}),
            [4.0 / 7.0, 5.0 / 9.0, 2.0 / 13.0, 10.0 / 13.0],
        );
    };
    expect_1(&app.get(&url, &s.token).await.expect(200).body["stats"]);
    let list = app
        .get("/api/campaigns?sort=created_at", &s.token)
        .await
        .expect(200);
    expect_1(&data(&list.body)[0]["stats"]);

    // A pending lead gets contacted with a pending invitation; a converted lead is deleted.
    let first = &leads[0];
    app.patch(
        &lead_url(first),
        &s.token,
        json!({"status": "contacted", "connection_status": "pending"}),
    )
    .await
    .expect(200);
    let converted = leads
        .iter()
        .find(|l| l["status"] == "converted")
        .cloned()
        .unwrap_or_default();
    app.delete(&lead_url(&converted), &s.token)
        .await
        .expect(204);
    // 12 leads: pending 2, contacted 5, responded 3, converted 1, dnc 1;
    // not_connected 5, pending 4, connected 3.
    let stats = app.get(&url, &s.token).await.expect(200).body["stats"].clone();
    check(
        &stats,
        json!({"pending": 2, "contacted": 5, "responded": 3, "converted": 1, "do_not_contact": 1}),
        json!({"not_connected": 5, "pending": 4, "connected": 3}),
        [3.0 / 7.0, 4.0 / 9.0, 1.0 / 12.0, 10.0 / 12.0],
    );
    // The stats in a mutation's response are current too.
    let patched = app
        .patch(&url, &s.token, json!({"daily_limit": 7}))
        .await
        .expect(200);
    assert_eq!(patched.body["stats"], stats);
}

#[tokio::test]
async fn search_folds_case_beyond_ascii_on_every_path() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let cid = id(&c);
    let lead = app
        .create_lead(
            &s.token,
            &cid,
            json!({"name": "Ödön Ügyes", "company": "ÉLŐ Kft", "title": "ΔΙΕΥΘΥΝΤΉΣ"}),
        )
        .await;
    let hits = |q: &'static str| {
        let app = &app;
        let token = s.token.clone();
        async move {
            let res = app
                .get(&format!("/api/leads?q={}", urlencode(q)), &token)
                .await
                .expect(200);
            res.body["total"].as_u64().unwrap_or(u64::MAX)
        }
    };
    assert_eq!(hits("ödön").await, 1, "name");
    assert_eq!(hits("élő").await, 1, "company");
    assert_eq!(hits("διευθυντής").await, 1, "title");
    // The search key follows updates and imports.
    app.patch(
        &format!("/api/leads/{}", id(&lead)),
        &s.token,
        json!({"name": "Zoë Brontë"}),
    )
    .await
    .expect(200);
    assert_eq!(hits("ödön").await, 0);
    assert_eq!(hits("ZOË").await, 1);
    app.post(
        &format!("/api/campaigns/{cid}/leads/import"),
        &s.token,
        json!([{"name": "Łukasz Żółć"}]),
    )
    .await
    .expect(200);
    assert_eq!(hits("ŁUKASZ").await, 1);
}
