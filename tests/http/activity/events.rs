//! `GET /api/events`: the workspace's durable event log.

use super::*;

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

/// A log longer than two pruning chunks, all of it past the retention, is pruned whole,
/// chunk by chunk, up to its newest old event; the event after it stays and the log goes
/// on from there.
#[tokio::test]
async fn pruning_deletes_a_long_old_log_in_chunks_and_nothing_newer() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    app.create_campaign(&s.token, json!({"name": "First"}))
        .await;
    let last = 2 * kandid_store::PRUNE_CHUNK + 7;
    let old = if app.database_url.starts_with("postgres") {
        "TIMESTAMPTZ '2000-01-01 00:00:00+00'"
    } else {
        "'2000-01-01T00:00:00+00:00'"
    };
    // The first event, copied as the rest of an old log, and the workspace's seq after it.
    app.sql(&format!("UPDATE events SET created_at = {old}"))
        .await;
    app.sql(&format!(
        "WITH RECURSIVE k(i) AS (
           SELECT CAST(2 AS BIGINT) UNION ALL SELECT i + 1 FROM k WHERE i < {last})
         INSERT INTO events (workspace_id, seq, event_type, action, entity_id, campaign_id,
                             data, changes, count, actor_id, rooms, created_at)
         SELECT e.workspace_id, k.i, e.event_type, e.action, e.entity_id, e.campaign_id,
                e.data, e.changes, e.count, e.actor_id, e.rooms, e.created_at
         FROM events e CROSS JOIN k WHERE e.seq = 1"
    ))
    .await;
    app.sql(&format!("UPDATE workspaces SET last_seq = {last}"))
        .await;
    app.create_campaign(&s.token, json!({"name": "After"}))
        .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM events").await, last + 1);

    let before = chrono::DateTime::parse_from_rfc3339("2001-01-01T00:00:00Z")
        .map(|t| t.to_utc())
        .unwrap_or_default();
    let pruned = kandid_tests::store_beside(&app)
        .await
        .prune_events(before)
        .await
        .unwrap_or_else(|e| panic!("prune: {e}"));
    assert_eq!(pruned, u64::try_from(last).unwrap_or_default());
    assert_eq!(app.count("SELECT COUNT(*) FROM events").await, 1);
    assert_eq!(app.count("SELECT MIN(seq) FROM events").await, last + 1);
    // Nothing older is left to prune.
    let again = kandid_tests::store_beside(&app)
        .await
        .prune_events(before)
        .await
        .unwrap_or_else(|e| panic!("prune: {e}"));
    assert_eq!(again, 0);
}
