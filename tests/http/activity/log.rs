//! The activity log: a row for every mutation, its filters, order and pages.

use super::*;

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
