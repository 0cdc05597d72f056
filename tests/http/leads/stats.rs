//! Campaign stats computed from the campaign's leads.

use super::*;

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
