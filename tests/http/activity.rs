//! The activity log, the dashboard, and `GET /api/events`.

use kandid_tests::{Session, TestApp, assert_rate, data, id, ids};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;

async fn activities(app: &TestApp, token: &str, query: &str) -> Value {
    app.get(&format!("/api/activities?limit=200&{query}"), token)
        .await
        .expect(200)
        .body
}

/// The newest activity of the workspace.
async fn newest(app: &TestApp, token: &str) -> Value {
    let body = app
        .get("/api/activities?limit=1", token)
        .await
        .expect(200)
        .body;
    data(&body).into_iter().next().unwrap_or_default()
}

async fn total_activities(app: &TestApp, token: &str) -> u64 {
    app.get("/api/activities?limit=1", token)
        .await
        .expect(200)
        .body["total"]
        .as_u64()
        .unwrap_or_default()
}

#[track_caller]
fn check_activity(
    a: &Value,
    s: &Session,
    entity_type: &str,
    entity_id: Option<&str>,
    campaign_id: &str,
    action: &str,
) {
    let keys: BTreeSet<&str> = a
        .as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        BTreeSet::from([
            "action",
            "actor_id",
            "campaign_id",
            "changes",
            "created_at",
            "entity_id",
            "entity_type",
            "id"
        ]),
        "{a}"
    );
    assert_eq!(a["actor_id"], s.user_id.to_string(), "{a}");
    assert_eq!(a["entity_type"], entity_type, "{a}");
    assert_eq!(
        a["entity_id"],
        entity_id.map_or(Value::Null, |i| json!(i)),
        "{a}"
    );
    assert_eq!(a["campaign_id"], campaign_id, "{a}");
    assert_eq!(a["action"], action, "{a}");
    assert!(a["changes"].is_object(), "{a}");
    let t = a["created_at"].as_str().unwrap_or_default();
    assert!(chrono::DateTime::parse_from_rfc3339(t).is_ok(), "{a}");
}

#[tokio::test]
async fn every_mutation_writes_an_activity() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let t = s.token.as_str();
    assert_eq!(total_activities(&app, t).await, 0);

    // Campaign created: every set field from null.
    let c = app
        .create_campaign(t, json!({"name": "Camp", "description": "desc"}))
        .await;
    let cid = id(&c);
    let a = newest(&app, t).await;
    check_activity(&a, &s, "campaign", Some(&cid), &cid, "created");
    assert_eq!(a["changes"]["name"], json!([null, "Camp"]));
    assert_eq!(a["changes"]["description"], json!([null, "desc"]));
    assert_eq!(a["changes"]["status"], json!([null, "draft"]));
    assert_eq!(a["changes"]["daily_limit"], json!([null, 50]));
    for bookkeeping in ["id", "version", "stats", "created_at", "updated_at"] {
        assert!(
            a["changes"].get(bookkeeping).is_none(),
            "{bookkeeping} in {a}"
        );
    }

    // Campaign updated: exactly the changed fields, old and new.
    app.patch(
        &format!("/api/campaigns/{cid}"),
        t,
        json!({"name": "Camp 2", "daily_limit": 25, "description": "desc"}),
    )
    .await
    .expect(200);
    let a = newest(&app, t).await;
    check_activity(&a, &s, "campaign", Some(&cid), &cid, "updated");
    assert_eq!(
        a["changes"],
        json!({"name": ["Camp", "Camp 2"], "daily_limit": [50, 25]})
    );
    app.put(
        &format!("/api/campaigns/{cid}"),
        t,
        json!({"status": "active", "description": null}),
    )
    .await
    .expect(200);
    let a = newest(&app, t).await;
    check_activity(&a, &s, "campaign", Some(&cid), &cid, "updated");
    assert_eq!(
        a["changes"],
        json!({"status": ["draft", "active"], "description": ["desc", null]})
    );

    // Sequence replaced.
    app.put(
        &format!("/api/campaigns/{cid}/sequence"),
        t,
        json!({"steps": [{"kind": "wait", "delay_hours": 24}]}),
    )
    .await
    .expect(200);
    let a = newest(&app, t).await;
    check_activity(&a, &s, "campaign", Some(&cid), &cid, "updated");
    assert_eq!(
        a["changes"],
        json!({"sequence": [[], [{"kind": "wait", "delay_hours": 24}]]})
    );

    // Lead created, updated, moved, deleted.
    let l = app
        .create_lead(t, &cid, json!({"name": "Lead", "email": "l@example.com"}))
        .await;
    let lid = id(&l);
    let a = newest(&app, t).await;
    check_activity(&a, &s, "lead", Some(&lid), &cid, "created");
    assert_eq!(a["changes"]["name"], json!([null, "Lead"]));
    assert_eq!(a["changes"]["email"], json!([null, "l@example.com"]));
    assert_eq!(a["changes"]["status"], json!([null, "pending"]));
    assert_eq!(
        a["changes"]["connection_status"],
        json!([null, "not_connected"])
    );
    assert_eq!(a["changes"]["campaign_id"], json!([null, cid]));
    assert!(
        a["changes"].get("company").is_none(),
        "null fields are left out: {a}"
    );

    app.patch(
        &format!("/api/leads/{lid}"),
        t,
        json!({"status": "contacted", "email": null, "name": "Lead"}),
    )
    .await
    .expect(200);
    let a = newest(&app, t).await;
    check_activity(&a, &s, "lead", Some(&lid), &cid, "updated");
    // A status change is outreach activity: last_activity_at moves from null to now.
    let stamped = &a["changes"]["last_activity_at"];
    assert!(stamped[0].is_null() && stamped[1].is_string(), "{a}");
    let mut rest = a["changes"].clone();
    if let Some(m) = rest.as_object_mut() {
        m.remove("last_activity_at");
    }
    assert_eq!(
        rest,
        json!({"status": ["pending", "contacted"], "email": ["l@example.com", null]})
    );

    let c2 = app.create_campaign(t, json!({"name": "Second"})).await;
    let cid2 = id(&c2);
    app.put(
        &format!("/api/leads/{lid}"),
        t,
        json!({"campaign_id": cid2}),
    )
    .await
    .expect(200);
    let a = newest(&app, t).await;
    check_activity(&a, &s, "lead", Some(&lid), &cid2, "updated");
    assert_eq!(a["changes"], json!({"campaign_id": [cid, cid2]}));

    app.delete(&format!("/api/leads/{lid}"), t)
        .await
        .expect(204);
    let a = newest(&app, t).await;
    check_activity(&a, &s, "lead", Some(&lid), &cid2, "deleted");
    assert_eq!(a["changes"]["name"], json!(["Lead", null]));
    assert_eq!(a["changes"]["status"], json!(["contacted", null]));

    // Import: one bulk activity of the campaign.
    let res = app
        .import_json(t, &cid, json!([{"name": "I1"}, {"name": "I2", "email": "i@example.com"}, {"name": "I3", "email": "I@EXAMPLE.COM"}]))
        .await
        .expect(200);
    assert_eq!(res.body["created"], 2);
    let a = newest(&app, t).await;
    check_activity(&a, &s, "lead", None, &cid, "imported");
    assert_eq!(a["changes"]["created"][1], 2, "{a}");

    // Campaign deleted with its two leads: the campaign's activity and one bulk one.
    let before = total_activities(&app, t).await;
    app.delete(&format!("/api/campaigns/{cid}"), t)
        .await
        .expect(204);
    assert_eq!(total_activities(&app, t).await, before + 2);
    let body = app.get("/api/activities?limit=2", t).await.expect(200).body;
    let two = data(&body);
    let campaign_act = two
        .iter()
        .find(|a| a["entity_type"] == "campaign")
        .cloned()
        .unwrap_or_default();
    let leads_act = two
        .iter()
        .find(|a| a["entity_type"] == "lead")
        .cloned()
        .unwrap_or_default();
    check_activity(&campaign_act, &s, "campaign", Some(&cid), &cid, "deleted");
    assert_eq!(campaign_act["changes"]["name"], json!(["Camp 2", null]));
    assert_eq!(campaign_act["changes"]["status"], json!(["active", null]));
    check_activity(&leads_act, &s, "lead", None, &cid, "deleted");

    // No-ops and refused mutations write nothing.
    let before = total_activities(&app, t).await;
    let url2 = format!("/api/campaigns/{cid2}");
    app.patch(&url2, t, json!({"name": "Second"}))
        .await
        .expect(200);
    app.patch(&url2, t, json!({})).await.expect(200);
    app.put(&format!("{url2}/sequence"), t, json!({"steps": []}))
        .await
        .expect(200);
    app.patch(&url2, t, json!({"status": "completed"}))
        .await
        .problem(409, "invalid_transition");
    app.patch(&url2, t, json!({"name": ""}))
        .await
        .problem(422, "validation_failed");
    app.request(Method::PATCH, &url2, Some(t), |r| {
        r.header("if-match", "\"9\"").json(&json!({"name": "x"}))
    })
    .await
    .problem(412, "precondition_failed");
    app.post("/api/leads", t, json!({"name": "x", "campaign_id": cid}))
        .await
        .problem(422, "validation_failed");
    app.delete(&format!("/api/leads/{lid}"), t)
        .await
        .problem(404, "not_found");
    app.import_json(t, &cid2, json!([{"name": ""}]))
        .await
        .expect(200);
    assert_eq!(total_activities(&app, t).await, before);
}

#[tokio::test]
async fn filters_order_and_pagination() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let t = s.token.as_str();
    let c1 = app.create_campaign(t, json!({"name": "One"})).await;
    let c2 = app.create_campaign(t, json!({"name": "Two"})).await;
    let (cid1, cid2) = (id(&c1), id(&c2));
    let l1 = app.create_lead(t, &cid1, json!({"name": "L1"})).await;
    let l2 = app.create_lead(t, &cid2, json!({"name": "L2"})).await;
    let lid1 = id(&l1);
    // The order in which things happen, as (entity_id, action).
    let mut log: Vec<(String, &str)> = vec![
        (cid1.clone(), "created"),
        (cid2.clone(), "created"),
        (lid1.clone(), "created"),
        (id(&l2), "created"),
    ];
    for i in 0..5 {
        app.patch(
            &format!("/api/leads/{lid1}"),
            t,
            json!({"notes": format!("n{i}")}),
        )
        .await
        .expect(200);
        log.push((lid1.clone(), "updated"));
        app.patch(
            &format!("/api/campaigns/{cid2}"),
            t,
            json!({"daily_limit": 10 + i}),
        )
        .await
        .expect(200);
        log.push((cid2.clone(), "updated"));
    }
    app.patch(
        &format!("/api/leads/{}", id(&l2)),
        t,
        json!({"status": "contacted"}),
    )
    .await
    .expect(200);
    log.push((id(&l2), "updated"));

    let all = activities(&app, t, "").await;
    assert_eq!(all["total"], log.len());
    let got: Vec<(String, String)> = data(&all)
        .iter()
        .map(|a| {
            (
                a["entity_id"].as_str().unwrap_or_default().to_owned(),
                a["action"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = log
        .iter()
        .rev()
        .map(|(i, a)| (i.clone(), (*a).to_owned()))
        .collect();
    assert_eq!(got, expected, "newest first");
    let times: Vec<String> = data(&all)
        .iter()
        .map(|a| a["created_at"].as_str().unwrap_or_default().to_owned())
        .collect();
    let parsed: Vec<_> = times
        .iter()
        .filter_map(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .collect();
    assert_eq!(parsed.len(), times.len());
    assert!(parsed.windows(2).all(|w| w[0] >= w[1]), "{times:?}");

    // campaign_id: the campaign's own activities and its leads'.
    let one = activities(&app, t, &format!("campaign_id={cid1}")).await;
    assert_eq!(one["total"], 7, "{one}");
    assert!(data(&one).iter().all(|a| a["campaign_id"] == cid1.as_str()));
    let two = activities(&app, t, &format!("campaign_id={cid2}")).await;
    assert_eq!(two["total"], 8, "{two}");
    // lead_id: that lead only.
    let lead = activities(&app, t, &format!("lead_id={lid1}")).await;
    assert_eq!(lead["total"], 6);
    assert!(
        data(&lead)
            .iter()
            .all(|a| a["entity_id"] == lid1.as_str() && a["entity_type"] == "lead")
    );
    let both = activities(&app, t, &format!("lead_id={lid1}&campaign_id={cid2}")).await;
    assert_eq!(both["total"], 0);
    let a_campaign_is_not_a_lead = activities(&app, t, &format!("lead_id={cid1}")).await;
    assert_eq!(a_campaign_is_not_a_lead["total"], 0);
    let unknown = activities(&app, t, &format!("campaign_id={}", uuid::Uuid::now_v7())).await;
    assert_eq!(unknown["total"], 0);

    // Cursor pagination: the same rows in the same order, no duplicates, every filter.
    for (query, total) in [
        (String::new(), log.len()),
        (format!("campaign_id={cid2}"), 8),
        (format!("lead_id={lid1}"), 6),
    ] {
        for limit in [1, 3, 4] {
            let mut seen = Vec::new();
            let mut cursor: Option<String> = None;
            for _ in 0..100 {
                let url = match &cursor {
                    Some(c) => format!("/api/activities?{query}&limit={limit}&cursor={c}"),
                    None => format!("/api/activities?{query}&limit={limit}"),
                };
                let page = app.get(&url, t).await.expect(200).body;
                assert_eq!(page["total"], total);
                assert!(data(&page).len() <= limit);
                seen.extend(ids(&page));
                match page["next_cursor"].as_str() {
                    Some(c) => cursor = Some(c.to_owned()),
                    None => break,
                }
            }
            let whole = activities(&app, t, &query).await;
            assert_eq!(seen, ids(&whole), "{query} limit={limit}");
        }
    }
    // New activities between pages never repeat a row already read.
    let first = app.get("/api/activities?limit=5", t).await.expect(200).body;
    app.patch(&format!("/api/leads/{lid1}"), t, json!({"notes": "late"}))
        .await
        .expect(200);
    let c = first["next_cursor"].as_str().unwrap_or_default().to_owned();
    let second = app
        .get(&format!("/api/activities?limit=200&cursor={c}"), t)
        .await
        .expect(200)
        .body;
    let mut seen = ids(&first);
    seen.extend(ids(&second));
    assert_eq!(seen.len(), log.len(), "the new row sorts before the cursor");
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len());
}

#[tokio::test]
async fn dashboard_metrics() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let t = s.token.as_str();
    let empty = app.get("/api/dashboard", t).await.expect(200).body;
    assert_eq!(
        empty,
        json!({"campaigns": {"total": 0, "by_status": {"draft": 0, "active": 0, "paused": 0, "completed": 0}},
               "leads": {"total": 0,
                         "by_status": {"pending": 0, "contacted": 0, "responded": 0, "converted": 0, "do_not_contact": 0},
                         "by_connection_status": {"not_connected": 0, "pending": 0, "connected": 0}},
               "acceptance_rate": 0.0, "response_rate": 0.0, "conversion_rate": 0.0,
               "recent_activity": [], "seq": 0})
    );

    // Campaigns: 2 draft, 1 active, 1 paused, 1 completed.
    let mut camps = Vec::new();
    for (name, steps) in [
        ("d1", &[][..]),
        ("d2", &[][..]),
        ("a", &["active"][..]),
        ("p", &["active", "paused"][..]),
        ("c", &["active", "completed"][..]),
    ] {
        let c = app.create_campaign(t, json!({"name": name})).await;
        for st in steps {
            app.patch(
                &format!("/api/campaigns/{}", id(&c)),
                t,
                json!({"status": st}),
            )
            .await
            .expect(200);
        }
        camps.push(id(&c));
    }
    // Leads over three campaigns (one through an import).
    // status: pending 2, contacted 3, responded 2, converted 1, do_not_contact 1 (9)
    // connection: not_connected 3, pending 4, connected 2
    let leads = [
        (0, "pending", "not_connected"),
        (0, "pending", "pending"),
        (0, "contacted", "pending"),
        (1, "contacted", "pending"),
        (1, "contacted", "not_connected"),
        (1, "responded", "connected"),
        (2, "responded", "pending"),
        (2, "converted", "connected"),
    ];
    for (i, (camp, status, cs)) in leads.iter().enumerate() {
        app.create_lead(
            t,
            &camps[*camp],
            json!({"name": format!("L{i}"), "status": status, "connection_status": cs}),
        )
        .await;
    }
    app.import_json(
        t,
        &camps[3],
        json!([{"name": "dnc", "status": "do_not_contact"}]),
    )
    .await
    .expect(200);
    // Another workspace's data never counts.
    let other = app.register().await;
    let oc = app
        .create_campaign(&other.token, json!({"name": "o", "status": "active"}))
        .await;
    app.create_lead(
        &other.token,
        &id(&oc),
        json!({"name": "o", "status": "converted", "connection_status": "connected"}),
    )
    .await;

    let d = app.get("/api/dashboard", t).await.expect(200).body;
    assert_eq!(
        d["campaigns"],
        json!({"total": 5, "by_status": {"draft": 2, "active": 1, "paused": 1, "completed": 1}})
    );
    assert_eq!(
        d["leads"],
        json!({"total": 9,
               "by_status": {"pending": 2, "contacted": 3, "responded": 2, "converted": 1, "do_not_contact": 1},
               "by_connection_status": {"not_connected": 3, "pending": 4, "connected": 2}})
    );
    // connected 2 / (pending 4 + connected 2); (2 + 1) / (3 + 2 + 1); 1 / 9.
    assert_rate(&d["acceptance_rate"], 2.0 / 6.0, "acceptance_rate");
    assert_rate(&d["response_rate"], 3.0 / 6.0, "response_rate");
    assert_rate(&d["conversion_rate"], 1.0 / 9.0, "conversion_rate");

    // The ten newest activities, as the activity log lists them; seq is the latest event.
    let recent = d["recent_activity"].as_array().cloned().unwrap_or_default();
    assert_eq!(recent.len(), 10);
    let log = app
        .get("/api/activities?limit=10", t)
        .await
        .expect(200)
        .body;
    assert_eq!(json!(recent), log["data"]);
    assert_eq!(recent[0]["action"], "imported");
    let ev = app.get("/api/events?limit=1", t).await.expect(200).body;
    assert_eq!(d["seq"], ev["latest_seq"]);
    // 5 campaigns + 5 status changes + 8 leads + 1 import.
    assert_eq!(d["seq"], 19);

    // The dashboard follows changes.
    app.delete(&format!("/api/campaigns/{}", camps[0]), t)
        .await
        .expect(204);
    let d = app.get("/api/dashboard", t).await.expect(200).body;
    assert_eq!(d["campaigns"]["total"], 4);
    assert_eq!(d["campaigns"]["by_status"]["draft"], 1);
    assert_eq!(d["leads"]["total"], 6);
    assert_eq!(d["leads"]["by_status"]["pending"], 0);
    assert_rate(
        &d["acceptance_rate"],
        2.0 / 4.0,
        "acceptance_rate after delete",
    );
    assert_rate(&d["response_rate"], 3.0 / 5.0, "response_rate after delete");
    assert_rate(
        &d["conversion_rate"],
        1.0 / 6.0,
        "conversion_rate after delete",
    );
    assert_eq!(d["seq"], 21, "campaign deleted + its leads deleted");
}

#[tokio::test]
async fn events_replay_the_workspace_log() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let t = s.token.as_str();
    let empty = app.get("/api/events", t).await.expect(200).body;
    assert_eq!(
        empty,
        json!({"data": [], "latest_seq": 0, "has_more": false, "reset": false})
    );

    let c = app.create_campaign(t, json!({"name": "Camp"})).await; // 1
    let cid = id(&c);
    let c_upd = app
        .patch(
            &format!("/api/campaigns/{cid}"),
            t,
            json!({"name": "Camp 2", "daily_limit": 9}),
        )
        .await
        .expect(200)
        .body; // 2
    let l = app
        .create_lead(t, &cid, json!({"name": "L", "email": "l@example.com"}))
        .await; // 3
    let lid = id(&l);
    let l_upd = app
        .patch(
            &format!("/api/leads/{lid}"),
            t,
            json!({"status": "contacted"}),
        )
        .await
        .expect(200)
        .body; // 4
    app.delete(&format!("/api/leads/{lid}"), t)
        .await
        .expect(204); // 5
    app.import_json(
        t,
        &cid,
        json!([{"name": "I1"}, {"name": "I2"}, {"name": ""}]),
    )
    .await
    .expect(200); // 6
    let c2 = app.create_campaign(t, json!({"name": "Doomed"})).await; // 7
    let cid2 = id(&c2);
    for i in 0..3 {
        app.create_lead(t, &cid2, json!({"name": format!("D{i}")}))
            .await; // 8, 9, 10
    }
    app.delete(&format!("/api/campaigns/{cid2}"), t)
        .await
        .expect(204); // 11, 12
    let c3 = app.create_campaign(t, json!({"name": "Empty"})).await; // 13
    app.delete(&format!("/api/campaigns/{}", id(&c3)), t)
        .await
        .expect(204); // 14
    // Nothing happens: no event.
    app.patch(
        &format!("/api/campaigns/{cid}"),
        t,
        json!({"name": "Camp 2"}),
    )
    .await
    .expect(200);
    app.patch(
        &format!("/api/campaigns/{cid}"),
        t,
        json!({"status": "paused"}),
    )
    .await
    .problem(409, "invalid_transition");
    app.import_json(t, &cid, json!([{"name": ""}, {"name": "x", "email": "x"}]))
        .await
        .expect(200);

    let all = app
        .get("/api/events?since=0&limit=1000", t)
        .await
        .expect(200)
        .body;
    assert_eq!(all["latest_seq"], 14, "{all}");
    assert_eq!(all["has_more"], false);
    assert_eq!(all["reset"], false);
    let events = data(&all);
    let seqs: Vec<i64> = events.iter().filter_map(|e| e["seq"].as_i64()).collect();
    assert_eq!(seqs, (1..=14).collect::<Vec<_>>());
    let shape: BTreeSet<&str> = [
        "seq",
        "type",
        "action",
        "id",
        "campaign_id",
        "data",
        "changes",
        "count",
        "actor_id",
        "at",
    ]
    .into();
    for e in &events {
        let keys: BTreeSet<&str> = e
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(keys, shape, "{e}");
        assert_eq!(e["actor_id"], s.user_id.to_string());
        let at = e["at"].as_str().unwrap_or_default();
        assert!(chrono::DateTime::parse_from_rfc3339(at).is_ok(), "{e}");
    }
    let ev = |seq: usize| events[seq - 1].clone();
    #[track_caller]
    fn check(e: &Value, ty: &str, action: &str, id: Option<&str>, campaign: &str, count: i64) {
        assert_eq!(e["type"], ty, "{e}");
        assert_eq!(e["action"], action, "{e}");
        assert_eq!(e["id"], id.map_or(Value::Null, |i| json!(i)), "{e}");
        assert_eq!(e["campaign_id"], campaign, "{e}");
        assert_eq!(e["count"], count, "{e}");
    }
    let changes = |e: &Value| -> BTreeSet<String> {
        e["changes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };

    check(&ev(1), "campaigns_updated", "created", Some(&cid), &cid, 1);
    assert_eq!(ev(1)["data"], c, "data is the entity as REST returned it");
    assert_eq!(ev(1)["changes"], json!([]));
    check(&ev(2), "campaigns_updated", "updated", Some(&cid), &cid, 1);
    assert_eq!(ev(2)["data"], c_upd);
    assert_eq!(
        changes(&ev(2)),
        BTreeSet::from(["daily_limit".to_owned(), "name".to_owned()])
    );
    check(&ev(3), "leads_updated", "created", Some(&lid), &cid, 1);
    assert_eq!(ev(3)["data"], l);
    assert_eq!(ev(3)["changes"], json!([]));
    check(&ev(4), "leads_updated", "updated", Some(&lid), &cid, 1);
    assert_eq!(ev(4)["data"], l_upd);
    assert_eq!(
        changes(&ev(4)),
        BTreeSet::from(["last_activity_at".to_owned(), "status".to_owned()]),
        "not version or updated_at"
    );
    check(&ev(5), "leads_updated", "deleted", Some(&lid), &cid, 1);
    assert_eq!(ev(5)["data"], Value::Null);
    assert_eq!(ev(5)["changes"], json!([]));
    check(&ev(6), "leads_updated", "imported", None, &cid, 2);
    assert_eq!(ev(6)["data"], Value::Null);
    check(
        &ev(7),
        "campaigns_updated",
        "created",
        Some(&cid2),
        &cid2,
        1,
    );
    for i in 8..=10 {
        assert_eq!(ev(i)["type"], "leads_updated");
        assert_eq!(ev(i)["action"], "created");
    }
    check(
        &ev(11),
        "campaigns_updated",
        "deleted",
        Some(&cid2),
        &cid2,
        1,
    );
    assert_eq!(ev(11)["data"], Value::Null);
    check(&ev(12), "leads_updated", "deleted", None, &cid2, 3);
    assert_eq!(ev(12)["data"], Value::Null);
    check(
        &ev(13),
        "campaigns_updated",
        "created",
        Some(&id(&c3)),
        &id(&c3),
        1,
    );
    check(
        &ev(14),
        "campaigns_updated",
        "deleted",
        Some(&id(&c3)),
        &id(&c3),
        1,
    );

    // Paging with limit and since.
    let page = |since: i64, limit: u64| {
        let app = &app;
        async move {
            app.get(&format!("/api/events?since={since}&limit={limit}"), t)
                .await
                .expect(200)
                .body
        }
    };
    let mut since = 0;
    let mut pages = Vec::new();
    loop {
        let p = page(since, 5).await;
        assert_eq!(p["latest_seq"], 14);
        assert_eq!(p["reset"], false);
        let seqs: Vec<i64> = data(&p).iter().filter_map(|e| e["seq"].as_i64()).collect();
        pages.push(seqs.clone());
        if p["has_more"] != true {
            break;
        }
        since = seqs.last().copied().unwrap_or(since);
        assert!(pages.len() < 10);
    }
    assert_eq!(
        pages,
        [
            vec![1, 2, 3, 4, 5],
            vec![6, 7, 8, 9, 10],
            vec![11, 12, 13, 14]
        ]
    );
    assert_eq!(data(&page(0, 14).await).len(), 14);
    assert_eq!(page(0, 14).await["has_more"], false);
    assert_eq!(page(0, 13).await["has_more"], true);
    assert_eq!(data(&page(10, 1000).await), events[10..].to_vec());
    let default = app.get("/api/events?since=3", t).await.expect(200).body;
    assert_eq!(data(&default), events[3..].to_vec());
    let at_latest = page(14, 10).await;
    assert_eq!(
        at_latest,
        json!({"data": [], "latest_seq": 14, "has_more": false, "reset": false})
    );
    for ahead in [15, 1000, i64::MAX] {
        let p = page(ahead, 10).await;
        assert_eq!(p["reset"], true, "since={ahead}");
        assert_eq!(p["data"], json!([]));
        assert_eq!(p["latest_seq"], 14);
    }
    for bad in [
        "limit=0",
        "limit=1001",
        "limit=-1",
        "limit=x",
        "since=-1",
        "since=x",
    ] {
        app.get(&format!("/api/events?{bad}"), t)
            .await
            .problem(400, "bad_request");
    }
    assert_eq!(data(&page(0, 1000).await).len(), 14);

    // Another workspace starts at its own 0 and never sees these events.
    let other = app.register().await;
    let o = app.get("/api/events", &other.token).await.expect(200).body;
    assert_eq!(o["latest_seq"], 0);
    assert_eq!(o["data"], json!([]));
}

#[tokio::test]
async fn events_default_limit_is_100() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    for i in 0..101 {
        app.patch(
            &format!("/api/campaigns/{}", id(&c)),
            &s.token,
            json!({"daily_limit": i + 1}),
        )
        .await
        .expect(200);
    }
    let p = app.get("/api/events", &s.token).await.expect(200).body;
    assert_eq!(p["latest_seq"], 102);
    assert_eq!(data(&p).len(), 100);
    assert_eq!(p["has_more"], true);
    assert_eq!(data(&p)[99]["seq"], 100);
    let rest = app
        .get("/api/events?since=100", &s.token)
        .await
        .expect(200)
        .body;
    let seqs: Vec<i64> = data(&rest)
        .iter()
        .filter_map(|e| e["seq"].as_i64())
        .collect();
    assert_eq!(seqs, [101, 102]);
    assert_eq!(rest["has_more"], false);
}
