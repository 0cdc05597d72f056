//! Tenancy: a token of workspace A never reads, changes or learns about workspace B's data.

use kandid_tests::{Res, Session, TestApp, data, id, ids};
use reqwest::Method;
use serde_json::{Value, json};

/// Everything B can see, to compare before and after A's attempts.
async fn snapshot(app: &TestApp, b: &Session, cid: &str, lid: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for path in [
        format!("/api/campaigns/{cid}"),
        format!("/api/campaigns/{cid}/sequence"),
        format!("/api/leads/{lid}"),
        "/api/campaigns".to_owned(),
        "/api/leads?limit=200".to_owned(),
        "/api/activities?limit=200".to_owned(),
        "/api/dashboard".to_owned(),
        "/api/events?limit=1000".to_owned(),
    ] {
        let res = app.get(&path, &b.token).await.expect(200);
        out.push(json!({"path": path, "etag": res.header("etag"), "body": res.body}));
    }
    out
}

/// A 404 that says nothing but "not found": the same as for an id that never existed.
#[track_caller]
fn hidden(res: Res, what: &str) {
    let res = res.problem(404, "not_found");
    assert_eq!(
        res.body,
        json!({"type": "about:blank", "title": "Not found", "status": 404, "code": "not_found",
               "detail": "no such resource"}),
        "{what}"
    );
    assert!(res.header("etag").is_none(), "{what}");
}

#[tokio::test]
async fn a_token_never_touches_another_workspace() {
    let app = TestApp::spawn().await;
    let a = app.register().await;
    let b = app.register().await;

    // B's data: a campaign with a sequence, leads, an update, an import.
    let cb = app
        .create_campaign(
            &b.token,
            json!({"name": "B secret campaign", "description": "shared-word",
                   "sequence": [{"kind": "message", "delay_hours": 1, "template": "hi"}]}),
        )
        .await;
    let cid_b = id(&cb);
    let lb = app
        .create_lead(
            &b.token,
            &cid_b,
            json!({"name": "B lead shared-word", "email": "b@example.com"}),
        )
        .await;
    let lid_b = id(&lb);
    app.patch(
        &format!("/api/leads/{lid_b}"),
        &b.token,
        json!({"status": "contacted"}),
    )
    .await
    .expect(200);
    app.import_json(
        &b.token,
        &cid_b,
        json!([{"name": "B imported shared-word"}]),
    )
    .await
    .expect(200);

    // A's own data.
    let ca = app
        .create_campaign(&a.token, json!({"name": "A campaign shared-word"}))
        .await;
    let cid_a = id(&ca);
    let la = app
        .create_lead(
            &a.token,
            &cid_a,
            json!({"name": "A lead shared-word", "email": "b@example.com"}),
        )
        .await;
    let lid_a = id(&la);

    let before = snapshot(&app, &b, &cid_b, &lid_b).await;
    let t = a.token.as_str();
    let camp = format!("/api/campaigns/{cid_b}");
    let lead = format!("/api/leads/{lid_b}");
    let unknown = uuid::Uuid::now_v7();

    // Every endpoint with B's ids: 404, indistinguishable from an unknown id.
    for path in [camp.clone(), format!("/api/campaigns/{unknown}")] {
        hidden(app.get(&path, t).await, &format!("GET {path}"));
        hidden(
            app.put(&path, t, json!({"name": "pwned"})).await,
            &format!("PUT {path}"),
        );
        hidden(
            app.patch(&path, t, json!({"status": "active"})).await,
            &format!("PATCH {path}"),
        );
        hidden(
            app.patch(&path, t, json!({})).await,
            &format!("empty PATCH {path}"),
        );
        hidden(app.delete(&path, t).await, &format!("DELETE {path}"));
        let seq = format!("{path}/sequence");
        hidden(app.get(&seq, t).await, &format!("GET {seq}"));
        hidden(
            app.put(
                &seq,
                t,
                json!({"steps": [{"kind": "wait", "delay_hours": 1}]}),
            )
            .await,
            &format!("PUT {seq}"),
        );
        let imp = format!("{path}/leads/import");
        hidden(
            app.post(&imp, t, json!([{"name": "intruder"}])).await,
            &format!("import JSON {imp}"),
        );
        hidden(
            app.send_raw(Method::POST, &imp, t, "text/csv", "name\nintruder\n")
                .await,
            &format!("import CSV {imp}"),
        );
        hidden(
            app.post(&imp, t, json!([])).await,
            &format!("empty import {imp}"),
        );
    }
    for path in [lead.clone(), format!("/api/leads/{unknown}")] {
        hidden(app.get(&path, t).await, &format!("GET {path}"));
        hidden(
            app.put(&path, t, json!({"name": "pwned"})).await,
            &format!("PUT {path}"),
        );
        hidden(
            app.patch(&path, t, json!({"campaign_id": cid_a})).await,
            &format!("PATCH {path} into A's campaign"),
        );
        hidden(app.delete(&path, t).await, &format!("DELETE {path}"));
    }
    // If-Match does not reveal the version of B's entities: still 404, never 412.
    for path in [&camp, &lead] {
        for method in [Method::PATCH, Method::PUT, Method::DELETE] {
            let res = app
                .request(method.clone(), path, Some(t), |r| {
                    r.header("if-match", "\"999\"").json(&json!({"name": "x"}))
                })
                .await;
            hidden(res, &format!("{method} {path} with If-Match"));
        }
    }

    // Creating a lead in B's campaign, or moving A's lead there: the 422 of an unknown campaign.
    let into_b = app
        .post(
            "/api/leads",
            t,
            json!({"campaign_id": cid_b, "name": "intruder"}),
        )
        .await
        .problem(422, "validation_failed");
    let into_unknown = app
        .post(
            "/api/leads",
            t,
            json!({"campaign_id": unknown, "name": "intruder"}),
        )
        .await
        .problem(422, "validation_failed");
    assert_eq!(into_b.fields(), ["campaign_id"]);
    assert_eq!(into_b.body, into_unknown.body);
    for method in [Method::PUT, Method::PATCH] {
        let res = app
            .send(
                method,
                &format!("/api/leads/{lid_a}"),
                Some(t),
                Some(json!({"campaign_id": cid_b})),
            )
            .await
            .problem(422, "validation_failed");
        assert_eq!(res.body, into_b.body);
    }
    assert_eq!(
        app.get(&format!("/api/leads/{lid_a}"), t)
            .await
            .expect(200)
            .body,
        la,
        "A's lead moved"
    );

    // Lists never include B's rows, whatever the filter.
    let only = |res: Res, expected: &[&str], what: &str| {
        let res = res.expect(200);
        assert_eq!(ids(&res.body), expected, "{what}: {}", res.body);
        assert_eq!(res.body["total"], expected.len(), "{what}");
    };
    only(app.get("/api/campaigns", t).await, &[&cid_a], "campaigns");
    only(
        app.get("/api/campaigns?q=secret", t).await,
        &[],
        "campaigns q",
    );
    only(
        app.get("/api/campaigns?q=shared-word", t).await,
        &[&cid_a],
        "campaigns q shared",
    );
    only(app.get("/api/leads", t).await, &[&lid_a], "leads");
    only(
        app.get(&format!("/api/leads?campaign_id={cid_b}"), t).await,
        &[],
        "leads of B's campaign",
    );
    only(
        app.get("/api/leads?q=shared-word", t).await,
        &[&lid_a],
        "leads q",
    );
    only(
        app.get("/api/leads?q=b%40example.com", t).await,
        &[&lid_a],
        "leads q email",
    );
    only(
        app.get("/api/leads?status=contacted", t).await,
        &[],
        "leads status",
    );
    only(
        app.get(&format!("/api/activities?campaign_id={cid_b}"), t)
            .await,
        &[],
        "activities of B's campaign",
    );
    only(
        app.get(&format!("/api/activities?lead_id={lid_b}"), t)
            .await,
        &[],
        "activities of B's lead",
    );
    let acts = app.get("/api/activities?limit=200", t).await.expect(200);
    assert_eq!(acts.body["total"], 2, "{}", acts.body);
    for act in data(&acts.body) {
        assert_eq!(act["actor_id"], a.user_id.to_string());
        assert!(act["campaign_id"] == cid_a.as_str(), "{act}");
    }

    // The dashboard counts A's data only.
    let dash = app.get("/api/dashboard", t).await.expect(200).body;
    assert_eq!(dash["campaigns"]["total"], 1, "{dash}");
    assert_eq!(dash["campaigns"]["by_status"]["draft"], 1);
    assert_eq!(dash["leads"]["total"], 1);
    assert_eq!(dash["leads"]["by_status"]["contacted"], 0);
    assert_eq!(dash["recent_activity"].as_array().map(Vec::len), Some(2));
    for act in dash["recent_activity"].as_array().into_iter().flatten() {
        assert_eq!(act["actor_id"], a.user_id.to_string());
    }
    assert_eq!(dash["seq"], 2, "A made two changes");

    // The event log holds A's events only, whatever `since`.
    let ev = app
        .get("/api/events?since=0&limit=1000", t)
        .await
        .expect(200)
        .body;
    assert_eq!(ev["latest_seq"], 2);
    let events = data(&ev);
    let seqs: Vec<i64> = events.iter().filter_map(|e| e["seq"].as_i64()).collect();
    assert_eq!(seqs, [1, 2]);
    for e in &events {
        assert_eq!(e["actor_id"], a.user_id.to_string());
        assert_ne!(e["campaign_id"], cid_b.as_str());
    }
    let ahead = app.get("/api/events?since=3", t).await.expect(200).body;
    assert_eq!(
        ahead["reset"], true,
        "A's log is not B's: seq 3 is ahead of A"
    );
    assert_eq!(data(&ahead).len(), 0);

    // A viewer's token of A is no way in either.
    let viewer = app.member(&a, "viewer").await.token;
    hidden(app.get(&camp, &viewer).await, "viewer GET");
    hidden(app.get(&lead, &viewer).await, "viewer GET lead");

    // B's data is exactly as it was.
    assert_eq!(snapshot(&app, &b, &cid_b, &lid_b).await, before);
    let b_leads = app
        .get(&format!("/api/leads?campaign_id={cid_b}"), &b.token)
        .await
        .expect(200);
    assert_eq!(b_leads.body["total"], 2);
}

#[tokio::test]
async fn a_token_for_a_workspace_that_does_not_exist() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    // A validly signed token for a workspace nobody has: the user is no member of it, so
    // the token is no good at all, for reading or writing.
    let ghost = kandid_tests::Session {
        workspace_id: uuid::Uuid::now_v7(),
        ..s.clone()
    };
    let t = app.token_with_role(&ghost, "owner");
    app.get("/api/campaigns", &t)
        .await
        .problem(401, "unauthorized");
    app.get(&format!("/api/campaigns/{}", id(&c)), &t)
        .await
        .problem(401, "unauthorized");
    app.post("/api/campaigns", &t, json!({"name": "ghost"}))
        .await
        .problem(401, "unauthorized");
    assert_eq!(
        app.get("/api/campaigns", &s.token).await.expect(200).body["total"],
        1
    );
}
