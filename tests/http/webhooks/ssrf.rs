//! Webhooks can't be pointed inside: refused at creation, and again at every delivery
//! after DNS, so a name that resolves inside later is refused too.

use super::{WAIT, create_for, local, str_of, write};
use kandid_tests::receiver::{Receiver, until};
use kandid_tests::{TestApp, data};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn webhook_urls_reaching_inside_are_refused() {
    let app = TestApp::spawn_with(|c| c.webhook_allow_http = true).await;
    let s = app.register().await;
    for url in [
        "http://127.0.0.1/hook",
        "http://127.1.2.3:8080/",
        "http://localhost:9000/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://0.0.0.0/",
        "http://10.1.2.3/",
        "http://172.16.5.4/",
        "http://192.168.0.10/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://192.0.2.10/",
        "http://198.18.0.1/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://255.255.255.255/",
        "http://[::1]/",
        "http://[::]/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://[::127.0.0.1]/",
        "http://[64:ff9b::a00:1]/",
        "http://[2002:c0a8:1::1]/",
        "http://[2001:db8::1]/",
        "http://[ff02::1]/",
    ] {
        let res = app
            .post("/api/webhooks", &s.token, json!({ "url": url }))
            .await
            .problem(422, "validation_failed");
        assert_eq!(res.fields(), vec!["url".to_owned()], "{url}");
    }
    // A public address is fine (nothing is sent until an event happens).
    let ok = create_for(&app, &s.token, "http://8.8.8.8/hook").await;
    let path = format!("/api/webhooks/{}", str_of(&ok["id"]));
    let res = app
        .patch(&path, &s.token, json!({"url": "http://[::1]:8080/"}))
        .await
        .problem(422, "validation_failed");
    assert_eq!(res.fields(), vec!["url".to_owned()]);
}

/// Webhooks created while private addresses were allowed (one by name, one by address);
/// the server restarted without that: deliveries are refused after resolution, and the
/// receiver hears nothing.
#[tokio::test]
async fn webhook_deliveries_recheck_addresses() {
    let mut app = TestApp::spawn_with(local).await;
    let rx = Receiver::start().await;
    let s = app.register().await;
    let by_name = format!("http://localhost:{}/hook", rx.addr.port());
    let a = str_of(&create_for(&app, &s.token, &by_name).await["id"]);
    let b = str_of(&create_for(&app, &s.token, &rx.url()).await["id"]);

    app.restart_with(|c| {
        local(c);
        c.webhook_allow_private = false;
    })
    .await;
    write(&app, &s.token, 1).await;
    for id in [&a, &b] {
        let path = format!("/api/webhooks/{id}/deliveries");
        until(WAIT, "a refused delivery", || async {
            let d = app.get(&path, &s.token).await.expect(200);
            data(&d.body)
                .first()
                .is_some_and(|r| r["status"].is_null() && str_of(&r["error"]).contains("loopback"))
        })
        .await;
        let w = app
            .get(&format!("/api/webhooks/{id}"), &s.token)
            .await
            .expect(200);
        assert_eq!(w.body["last_delivered_seq"], 0);
        assert!(w.body["failing_since"].is_string());
    }
    assert!(rx.got().is_empty(), "{:?}", rx.got());

    // Allowed again, the same events go through.
    app.restart_with(local).await;
    until(WAIT, "both deliveries", || async {
        tokio::time::sleep(Duration::from_millis(1)).await;
        rx.delivered().len() >= 2
    })
    .await;
}
