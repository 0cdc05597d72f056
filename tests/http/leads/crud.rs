//! Creating, reading, updating, moving and deleting one lead; its ETag and If-Match.

use super::*;

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
