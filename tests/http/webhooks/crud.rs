//! Managing webhooks: the round trip, validation, roles and workspace isolation.

use super::{app, create, create_for, str_of};
use base64::Engine;
use kandid_tests::data;
use serde_json::json;

#[tokio::test]
async fn webhook_crud_round_trip() {
    let app = app().await;
    let s = app.register().await;
    let created = create(
        &app,
        &s.token,
        json!({"url": "https://example.com/hook", "events": ["leads_updated"], "description": "CRM"}),
    )
    .await;
    let secret = str_of(&created["secret"]);
    let key = secret
        .strip_prefix("whsec_")
        .and_then(|k| base64::engine::general_purpose::STANDARD.decode(k).ok());
    assert_eq!(key.map(|k| k.len()), Some(32), "{secret}");
    assert_eq!(created["url"], "https://example.com/hook");
    assert_eq!(created["events"], json!(["leads_updated"]));
    assert_eq!(created["enabled"], true);
    assert_eq!(created["last_delivered_seq"], 0);
    let id = str_of(&created["id"]);

    let got = app
        .get(&format!("/api/webhooks/{id}"), &s.token)
        .await
        .expect(200);
    assert!(got.body.get("secret").is_none(), "{}", got.body);
    assert_eq!(got.body["description"], "CRM");
    assert!(got.body["failing_since"].is_null());
    assert!(got.body["disabled_reason"].is_null());

    let list = app.get("/api/webhooks", &s.token).await.expect(200);
    assert_eq!(data(&list.body).len(), 1);
    assert!(data(&list.body)[0].get("secret").is_none());

    let patched = app
        .patch(
            &format!("/api/webhooks/{id}"),
            &s.token,
            json!({"events": null, "description": null, "enabled": false, "url": "https://example.org/h"}),
        )
        .await
        .expect(200);
    assert_eq!(
        patched.body["events"],
        json!(["campaigns_updated", "leads_updated", "members_updated"])
    );
    assert!(patched.body["description"].is_null());
    assert_eq!(patched.body["enabled"], false);
    assert_eq!(patched.body["url"], "https://example.org/h");

    let rotated = app
        .post(&format!("/api/webhooks/{id}/secret"), &s.token, json!({}))
        .await
        .expect(200);
    assert!(str_of(&rotated.body["secret"]).starts_with("whsec_"));
    assert_ne!(rotated.body["secret"], created["secret"]);

    app.delete(&format!("/api/webhooks/{id}"), &s.token)
        .await
        .expect(204);
    app.get(&format!("/api/webhooks/{id}"), &s.token)
        .await
        .problem(404, "not_found");
    // Changes to webhooks are not events.
    let events = app.get("/api/events", &s.token).await.expect(200);
    assert_eq!(events.body["latest_seq"], 0);
}

#[tokio::test]
async fn webhook_input_is_validated() {
    let app = app().await;
    let s = app.register().await;
    let t = &s.token;
    for (body, field) in [
        (json!({}), "url"),
        (json!({"url": "ftp://example.com/"}), "url"),
        (json!({"url": "not a url"}), "url"),
        (json!({"url": "https://user:pw@example.com/"}), "url"),
        (
            json!({"url": format!("https://example.com/{}", "a".repeat(2100))}),
            "url",
        ),
        (
            json!({"url": "https://example.com/", "events": []}),
            "events",
        ),
        (
            json!({"url": "https://example.com/", "events": ["dashboard_updated"]}),
            "events[0]",
        ),
        (
            json!({"url": "https://example.com/", "events": ["leads_updated", "nope"]}),
            "events[1]",
        ),
        (
            json!({"url": "https://example.com/", "description": "x".repeat(2001)}),
            "description",
        ),
    ] {
        let res = app
            .post("/api/webhooks", t, body.clone())
            .await
            .problem(422, "validation_failed");
        assert_eq!(res.fields(), vec![field.to_owned()], "{body}");
    }
    // Wrong JSON types are 400.
    app.post("/api/webhooks", t, json!({"url": 5}))
        .await
        .problem(400, "bad_request");
    app.post(
        "/api/webhooks",
        t,
        json!({"url": "https://example.com/", "events": "leads_updated"}),
    )
    .await
    .problem(400, "bad_request");
    app.post("/api/webhooks", t, json!([]))
        .await
        .problem(400, "bad_request");

    let id = str_of(&create_for(&app, t, "https://example.com/").await["id"]);
    let path = format!("/api/webhooks/{id}");
    for (body, field) in [
        (json!({"url": null}), "url"),
        (json!({"url": "gopher://x/"}), "url"),
        (json!({"enabled": null}), "enabled"),
        (json!({"events": []}), "events"),
    ] {
        let res = app
            .patch(&path, t, body.clone())
            .await
            .problem(422, "validation_failed");
        assert_eq!(res.fields(), vec![field.to_owned()], "{body}");
    }
    app.patch(&path, t, json!({"enabled": "yes"}))
        .await
        .problem(400, "bad_request");
    app.get("/api/webhooks/not-a-uuid", t)
        .await
        .problem(400, "bad_request");

    let replay = format!("{path}/replay");
    let res = app
        .post(&replay, t, json!({}))
        .await
        .problem(422, "validation_failed");
    assert_eq!(res.fields(), vec!["since".to_owned()]);
    let res = app
        .post(&replay, t, json!({"since": -1}))
        .await
        .problem(422, "validation_failed");
    assert_eq!(res.fields(), vec!["since".to_owned()]);
    let res = app
        .post(&replay, t, json!({"since": 99}))
        .await
        .problem(422, "validation_failed");
    assert_eq!(res.fields(), vec!["since".to_owned()]);
    app.post(&replay, t, json!({"since": 1.5}))
        .await
        .problem(400, "bad_request");

    let deliveries = format!("{path}/deliveries");
    app.get(&format!("{deliveries}?limit=0"), t)
        .await
        .problem(400, "bad_request");
    app.get(&format!("{deliveries}?limit=201"), t)
        .await
        .problem(400, "bad_request");
    app.get(&format!("{deliveries}?cursor=%%%"), t)
        .await
        .problem(400, "bad_request");
    app.get(&format!("{deliveries}?cursor=abc"), t)
        .await
        .problem(400, "bad_request");
}

#[tokio::test]
async fn webhook_https_only_unless_http_is_allowed() {
    let app = kandid_tests::TestApp::spawn().await;
    let s = app.register().await;
    let res = app
        .post(
            "/api/webhooks",
            &s.token,
            json!({"url": "http://example.com/"}),
        )
        .await
        .problem(422, "validation_failed");
    assert_eq!(res.fields(), vec!["url".to_owned()]);
}

#[tokio::test]
async fn webhooks_are_for_admins_of_their_own_workspace() {
    let app = app().await;
    let owner = app.register().await;
    let other = app.register().await;
    let member = app.member(&owner, "member").await;
    let admin = app.member(&owner, "admin").await;
    let viewer = app.member(&owner, "viewer").await;

    let id = str_of(&create_for(&app, &owner.token, "https://example.com/").await["id"]);
    let path = format!("/api/webhooks/{id}");
    for t in [&member.token, &viewer.token] {
        app.get("/api/webhooks", t).await.problem(403, "forbidden");
        app.get(&path, t).await.problem(403, "forbidden");
        app.post("/api/webhooks", t, json!({"url": "https://example.com/"}))
            .await
            .problem(403, "forbidden");
        app.delete(&path, t).await.problem(403, "forbidden");
    }
    app.get(&path, &admin.token).await.expect(200);
    app.patch(&path, &admin.token, json!({"description": "by admin"}))
        .await
        .expect(200);

    // Another workspace's webhook is not there, for every verb.
    let t = &other.token;
    app.get(&path, t).await.problem(404, "not_found");
    app.patch(&path, t, json!({"enabled": false}))
        .await
        .problem(404, "not_found");
    app.patch(&path, t, json!({"url": "nope"}))
        .await
        .problem(404, "not_found");
    app.post(&format!("{path}/secret"), t, json!({}))
        .await
        .problem(404, "not_found");
    app.post(&format!("{path}/replay"), t, json!({"since": 0}))
        .await
        .problem(404, "not_found");
    app.get(&format!("{path}/deliveries"), t)
        .await
        .problem(404, "not_found");
    app.delete(&path, t).await.problem(404, "not_found");
    assert!(data(&app.get("/api/webhooks", t).await.expect(200).body).is_empty());
    app.get(&path, &owner.token).await.expect(200);
}

/// A workspace has at most 20 webhooks: each costs every node work and a share of its
/// requests, so one workspace must not be able to make that unbounded.
#[tokio::test]
async fn a_workspace_has_at_most_twenty_webhooks() {
    let app = app().await;
    let s = app.register().await;
    for i in 0..20 {
        create_for(&app, &s.token, &format!("http://127.0.0.1:9/{i}")).await;
    }
    app.post(
        "/api/webhooks",
        &s.token,
        json!({"url": "http://127.0.0.1:9/one-more"}),
    )
    .await
    .problem(409, "conflict");
    // Another workspace has its own twenty.
    let other = app.register().await;
    create_for(&app, &other.token, "http://127.0.0.1:9/x").await;
}

/// An admin who leaves stops receiving the workspace's events: their webhooks are
/// disabled in the same write, and say why; the others' are untouched.
#[tokio::test]
async fn a_removed_admin_s_webhooks_are_disabled() {
    let app = app().await;
    let owner = app.register().await;
    let admin = app.member(&owner, "admin").await;
    let theirs = create_for(&app, &admin.token, "http://127.0.0.1:9/theirs").await;
    let mine = create_for(&app, &owner.token, "http://127.0.0.1:9/mine").await;
    assert_eq!(theirs["created_by"], admin.user_id.to_string());
    app.delete(
        &format!("/api/workspace/members/{}", admin.user_id),
        &owner.token,
    )
    .await
    .expect(204);
    let got = |hook: &serde_json::Value| {
        let path = format!("/api/webhooks/{}", str_of(&hook["id"]));
        let (app, owner) = (&app, &owner);
        async move { app.get(&path, &owner.token).await.expect(200).body }
    };
    let theirs = got(&theirs).await;
    assert_eq!(theirs["enabled"], false);
    assert!(
        str_of(&theirs["disabled_reason"]).contains("creator left"),
        "{theirs}"
    );
    assert_eq!(got(&mine).await["enabled"], true);
    // Another admin may take it over.
    app.patch(
        &format!("/api/webhooks/{}", str_of(&theirs["id"])),
        &owner.token,
        json!({"enabled": true}),
    )
    .await
    .expect(200);
}
