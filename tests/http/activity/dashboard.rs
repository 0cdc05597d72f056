//! The dashboard's metrics.

use super::*;

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
