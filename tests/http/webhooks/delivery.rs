//! Delivery: the event objects of the log, signed, in seq order, filtered; the delivery
//! log, replay and secret rotation.

use super::{WAIT, app, create, create_for, str_of, write};
use kandid_tests::receiver::{Receiver, eventually, signed_with, until};
use kandid_tests::{data, id};
use serde_json::{Value, json};

fn seqs(rx: &Receiver) -> Vec<i64> {
    rx.delivered().iter().map(|r| r.seq()).collect()
}

#[tokio::test]
async fn webhook_delivers_signed_events_in_seq_order() {
    let app = app().await;
    let rx = Receiver::start().await;
    let s = app.register().await;
    // Before the webhook: not sent.
    let first = write(&app, &s.token, 0).await;
    let hook = create_for(&app, &s.token, &rx.url()).await;
    let secret = str_of(&hook["secret"]);

    // Writes racing each other, of several kinds.
    let campaign = id(&first);
    let leads = async {
        for n in 0..10 {
            app.create_lead(&s.token, &campaign, json!({"name": format!("Lead {n}")}))
                .await;
        }
    };
    let campaigns = async {
        for n in 1..=10 {
            write(&app, &s.token, n).await;
        }
    };
    let updates = async {
        for n in 0..10 {
            app.patch(
                &format!("/api/campaigns/{campaign}"),
                &s.token,
                json!({"description": format!("v{n}")}),
            )
            .await
            .expect(200);
        }
    };
    tokio::join!(leads, campaigns, updates);
    let latest = app.get("/api/events", &s.token).await.expect(200).body["latest_seq"]
        .as_i64()
        .unwrap_or_default();
    assert_eq!(latest, 31);
    eventually(WAIT, "every event", || rx.delivered().len() >= 30).await;
    assert_eq!(seqs(&rx), (2..=31).collect::<Vec<_>>());

    let log = app
        .get("/api/events?since=1&limit=100", &s.token)
        .await
        .expect(200);
    let events = data(&log.body);
    let now = chrono::Utc::now().timestamp();
    for (r, ev) in rx.delivered().iter().zip(&events) {
        assert_eq!(&r.body, ev, "the body is the event as in the log");
        assert_eq!(r.header("content-type"), "application/json");
        assert_eq!(
            r.header("webhook-id"),
            format!("{}:{}", s.workspace_id, r.seq())
        );
        let ts: i64 = r.header("webhook-timestamp").parse().unwrap_or_default();
        assert!((now - ts).abs() < 300, "timestamp {ts}");
        assert!(r.header("webhook-signature").starts_with("v1,"));
        assert!(signed_with(r, &secret), "{:?}", r.headers);
        assert!(!signed_with(r, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    }
    let path = format!("/api/webhooks/{}", str_of(&hook["id"]));
    until(WAIT, "the position", || async {
        app.get(&path, &s.token).await.body["last_delivered_seq"] == 31
    })
    .await;
}

#[tokio::test]
async fn webhook_sends_only_the_events_it_wants() {
    let app = app().await;
    let rx = Receiver::start().await;
    let s = app.register().await;
    let hook = create(
        &app,
        &s.token,
        json!({"url": rx.url(), "events": ["leads_updated"]}),
    )
    .await;
    let c = write(&app, &s.token, 1).await; // 1 campaigns_updated
    app.create_lead(&s.token, &id(&c), json!({"name": "A"}))
        .await; // 2
    write(&app, &s.token, 2).await; // 3
    app.create_lead(&s.token, &id(&c), json!({"name": "B"}))
        .await; // 4
    write(&app, &s.token, 3).await; // 5
    let path = format!("/api/webhooks/{}", str_of(&hook["id"]));
    until(WAIT, "the position past the last event", || async {
        app.get(&path, &s.token).await.body["last_delivered_seq"] == 5
    })
    .await;
    assert_eq!(seqs(&rx), vec![2, 4]);
    assert!(
        rx.delivered()
            .iter()
            .all(|r| r.body["type"] == "leads_updated")
    );
}

#[tokio::test]
async fn webhook_deliveries_are_logged_and_can_be_replayed() {
    let app = app().await;
    let rx = Receiver::start().await;
    let s = app.register().await;
    let hook = create_for(&app, &s.token, &rx.url()).await;
    let path = format!("/api/webhooks/{}", str_of(&hook["id"]));
    for n in 1..=3 {
        write(&app, &s.token, n).await;
    }
    eventually(WAIT, "three deliveries", || rx.delivered().len() == 3).await;
    until(WAIT, "three logged attempts", || async {
        data(&app.get(&format!("{path}/deliveries"), &s.token).await.body).len() == 3
    })
    .await;

    let page = app
        .get(&format!("{path}/deliveries?limit=2"), &s.token)
        .await
        .expect(200);
    let rows = data(&page.body);
    assert_eq!(
        rows.iter().map(|r| r["seq"].clone()).collect::<Vec<_>>(),
        vec![json!(3), json!(2)],
        "newest first"
    );
    for r in &rows {
        assert_eq!(r["attempt"], 1);
        assert_eq!(r["status"], 200);
        assert!(r["error"].is_null());
        assert!(r["duration_ms"].as_i64().is_some_and(|d| d >= 0));
        assert!(r["at"].is_string());
    }
    let cursor = str_of(&page.body["next_cursor"]);
    assert!(!cursor.is_empty());
    let rest = app
        .get(
            &format!("{path}/deliveries?limit=2&cursor={cursor}"),
            &s.token,
        )
        .await
        .expect(200);
    assert_eq!(data(&rest.body).len(), 1);
    assert_eq!(data(&rest.body)[0]["seq"], 1);
    assert_eq!(rest.body["next_cursor"], Value::Null);

    app.post(&format!("{path}/replay"), &s.token, json!({"since": 1}))
        .await
        .expect(202);
    eventually(WAIT, "the replay", || rx.delivered().len() == 5).await;
    write(&app, &s.token, 4).await;
    eventually(WAIT, "the next event", || rx.delivered().len() == 6).await;
    assert_eq!(seqs(&rx), vec![1, 2, 3, 2, 3, 4]);
}

#[tokio::test]
async fn webhook_secret_rotation_signs_with_both_secrets() {
    let app = app().await;
    let rx = Receiver::start().await;
    let s = app.register().await;
    let hook = create_for(&app, &s.token, &rx.url()).await;
    let old = str_of(&hook["secret"]);
    write(&app, &s.token, 1).await;
    eventually(WAIT, "the first delivery", || rx.delivered().len() == 1).await;
    let first = &rx.delivered()[0];
    assert_eq!(first.header("webhook-signature").split(' ').count(), 1);
    assert!(signed_with(first, &old));

    let rotated = app
        .post(
            &format!("/api/webhooks/{}/secret", str_of(&hook["id"])),
            &s.token,
            json!({}),
        )
        .await
        .expect(200);
    let new = str_of(&rotated.body["secret"]);
    write(&app, &s.token, 2).await;
    eventually(WAIT, "the second delivery", || rx.delivered().len() == 2).await;
    let second = &rx.delivered()[1];
    assert_eq!(second.header("webhook-signature").split(' ').count(), 2);
    assert!(signed_with(second, &new), "signed with the new secret");
    assert!(signed_with(second, &old), "and, for a day, the old one");
}
