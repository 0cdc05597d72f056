//! A receiver that fails, goes away and comes back; disabling after `WEBHOOK_DISABLE_AFTER`
//! and resuming; restarts.

use super::{WAIT, app, create_for, local, str_of, write};
use kandid_tests::TestApp;
use kandid_tests::data;
use kandid_tests::receiver::{Receiver, eventually, until};
use serde_json::{Value, json};
use std::time::Duration;

fn seqs(rx: &Receiver) -> Vec<i64> {
    rx.delivered().iter().map(|r| r.seq()).collect()
}

async fn deliveries(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    data(
        &app.get(&format!("{path}/deliveries?limit=200"), token)
            .await
            .expect(200)
            .body,
    )
}

#[tokio::test]
async fn webhook_retries_until_the_receiver_is_back() {
    let app = app().await;
    let mut rx = Receiver::start().await;
    rx.script(&[500, 503], 200);
    let s = app.register().await;
    let hook = create_for(&app, &s.token, &rx.url()).await;
    let path = format!("/api/webhooks/{}", str_of(&hook["id"]));
    for n in 1..=3 {
        write(&app, &s.token, n).await;
    }
    eventually(WAIT, "the first three events", || rx.delivered().len() == 3).await;
    assert_eq!(
        seqs(&rx),
        vec![1, 2, 3],
        "nothing after 1 before 1 got a 2xx"
    );
    let got: Vec<u16> = rx.got().iter().map(|r| r.status).collect();
    assert_eq!(got[..3], [500, 503, 200]);
    assert!(rx.got()[..3].iter().all(|r| r.seq() == 1));
    // The same webhook-id on every retry.
    assert!(
        rx.got()[..3]
            .iter()
            .all(|r| r.header("webhook-id") == format!("{}:1", s.workspace_id))
    );

    // Gone: connections refused.
    rx.go_away();
    write(&app, &s.token, 4).await;
    write(&app, &s.token, 5).await;
    until(WAIT, "two refused attempts", || async {
        deliveries(&app, &s.token, &path)
            .await
            .iter()
            .filter(|d| d["seq"] == 4 && d["status"].is_null())
            .count()
            >= 2
    })
    .await;
    let w = app.get(&path, &s.token).await.expect(200);
    assert!(w.body["failing_since"].is_string(), "{}", w.body);
    assert_eq!(w.body["last_delivered_seq"], 3);
    assert!(w.body["last_error"].is_string());

    rx.come_back().await;
    eventually(WAIT, "the rest", || rx.delivered().len() == 5).await;
    assert_eq!(seqs(&rx), vec![1, 2, 3, 4, 5]);
    until(WAIT, "the failure state cleared", || async {
        let w = app.get(&path, &s.token).await.body;
        w["failing_since"].is_null() && w["last_delivered_seq"] == 5
    })
    .await;
    let log = deliveries(&app, &s.token, &path).await;
    let first: Vec<(Value, Value)> = log
        .iter()
        .rev()
        .filter(|d| d["seq"] == 1)
        .map(|d| (d["attempt"].clone(), d["status"].clone()))
        .collect();
    assert_eq!(
        first,
        vec![
            (json!(1), json!(500)),
            (json!(2), json!(503)),
            (json!(3), json!(200))
        ]
    );
    let gone = log
        .iter()
        .find(|d| d["seq"] == 4 && d["status"].is_null())
        .map(|d| str_of(&d["error"]))
        .unwrap_or_default();
    assert!(!gone.is_empty());
}

#[tokio::test]
async fn webhook_is_disabled_after_failing_and_resumes_when_enabled() {
    let app = TestApp::spawn_with(|c| {
        local(c);
        c.webhook_disable_after = Duration::from_secs(1);
    })
    .await;
    let rx = Receiver::start().await;
    rx.script(&[], 500);
    let s = app.register().await;
    let hook = create_for(&app, &s.token, &rx.url()).await;
    let path = format!("/api/webhooks/{}", str_of(&hook["id"]));
    write(&app, &s.token, 1).await;
    write(&app, &s.token, 2).await;
    until(WAIT, "the webhook disabled", || async {
        app.get(&path, &s.token).await.body["enabled"] == false
    })
    .await;
    let w = app.get(&path, &s.token).await.expect(200).body;
    assert!(
        str_of(&w["disabled_reason"]).contains("failing since"),
        "{w}"
    );
    assert_eq!(w["last_delivered_seq"], 0);
    assert!(rx.got().iter().all(|r| r.seq() == 1));
    let attempts = rx.got().len();
    assert!(attempts >= 2);

    // Disabled: nothing more is sent.
    write(&app, &s.token, 3).await;
    // Event 1 went past the retention while it was off (this database has one workspace).
    app.sql("DELETE FROM events WHERE seq = 1").await;
    rx.script(&[], 200);
    let enabled = app
        .patch(&path, &s.token, json!({"enabled": true}))
        .await
        .expect(200)
        .body;
    assert!(enabled["disabled_reason"].is_null());
    assert!(enabled["failing_since"].is_null());
    eventually(WAIT, "events 2 and 3", || rx.delivered().len() == 2).await;
    assert_eq!(seqs(&rx), vec![2, 3], "resumed from the oldest kept");
    until(WAIT, "the position", || async {
        app.get(&path, &s.token).await.body["last_delivered_seq"] == 3
    })
    .await;
    let w = app.get(&path, &s.token).await.expect(200).body;
    assert!(
        str_of(&w["disabled_reason"]).contains("events 1 to 1"),
        "{w}"
    );
    assert_eq!(w["enabled"], true);
}

#[tokio::test]
async fn webhook_resumes_after_a_restart() {
    let mut app = app().await;
    let rx = Receiver::start().await;
    let s = app.register().await;
    let hook = create_for(&app, &s.token, &rx.url()).await;
    for n in 1..=3 {
        write(&app, &s.token, n).await;
    }
    eventually(WAIT, "three events", || rx.delivered().len() == 3).await;
    app.restart_with(local).await;
    for n in 4..=5 {
        write(&app, &s.token, n).await;
    }
    eventually(WAIT, "five events", || rx.delivered().len() >= 5).await;
    assert_eq!(seqs(&rx), vec![1, 2, 3, 4, 5]);
    let path = format!("/api/webhooks/{}", str_of(&hook["id"]));
    until(WAIT, "the position", || async {
        app.get(&path, &s.token).await.body["last_delivered_seq"] == 5
    })
    .await;
}
