//! Who may do what, and what is not there: 401, 403, 404, 409 and 412 on every route.

use super::*;

#[tokio::test]
async fn every_route_needs_a_valid_token() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let l = app
        .create_lead(&s.token, &id(&c), json!({"name": "L"}))
        .await;
    let now = chrono::Utc::now().timestamp();
    let no_ws = kandid_tests::mint(
        &json!({"sub": s.user_id, "role": "owner", "iat": now, "exp": now + 600}),
        kandid_tests::SECRET,
    );
    let bad_role = kandid_tests::mint(
        &json!({"sub": s.user_id, "ws": s.workspace_id, "role": "root", "iat": now, "exp": now + 600}),
        kandid_tests::SECRET,
    );
    for (m, path) in ROUTES {
        // Auth comes first: even with a bad id or body, no token is a 401.
        for url in [route(path, &id(&c), &id(&l)), route(path, "x", "x")] {
            let res = app
                .send(method(m), &url, None, valid_body(m, path, &id(&c)))
                .await;
            assert_eq!(res.status.as_u16(), 401, "{m} {url}");
            let res = res.problem(401, "unauthorized");
            assert_eq!(res.header("www-authenticate"), Some("Bearer"));
            for token in [no_ws.as_str(), bad_role.as_str(), "Bearer", "null"] {
                let res = app
                    .send(method(m), &url, Some(token), valid_body(m, path, &id(&c)))
                    .await;
                assert_eq!(res.status.as_u16(), 401, "{m} {url} with {token}");
            }
        }
    }
    // Nothing changed.
    assert_eq!(
        app.get(&format!("/api/leads/{}", id(&l)), &s.token)
            .await
            .expect(200)
            .body,
        l
    );
    assert_eq!(
        app.get("/api/campaigns", &s.token).await.expect(200).body["total"],
        1
    );
}

#[tokio::test]
async fn viewers_get_403_on_every_write_and_can_read() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let l = app
        .create_lead(&s.token, &id(&c), json!({"name": "L"}))
        .await;
    let viewer = app.member(&s, "viewer").await.token;
    let before = app.get("/api/events", &s.token).await.expect(200).body["latest_seq"].clone();
    for (m, path) in ROUTES {
        let url = route(path, &id(&c), &id(&l));
        let res = app
            .send(method(m), &url, Some(&viewer), valid_body(m, path, &id(&c)))
            .await;
        if *m == "GET" {
            assert_eq!(res.status.as_u16(), 200, "{m} {url}: {}", res.body);
        } else {
            assert_eq!(res.status.as_u16(), 403, "{m} {url}: {}", res.body);
            res.problem(403, "forbidden");
        }
    }
    let after = app.get("/api/events", &s.token).await.expect(200).body["latest_seq"].clone();
    assert_eq!(before, after, "a viewer changed something");
    // Members and admins may write.
    for role in ["member", "admin"] {
        let t = app.member(&s, role).await.token;
        app.post("/api/campaigns", &t, json!({"name": role}))
            .await
            .expect(201);
        app.patch(
            &format!("/api/leads/{}", id(&l)),
            &t,
            json!({"notes": role}),
        )
        .await
        .expect(200);
    }
}

#[tokio::test]
async fn not_found_conflict_and_precondition() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    // 404: unknown routes and unknown ids, with and without a token.
    for path in [
        "/api/nope",
        "/nope",
        "/api",
        "/api/campaigns/x/y/z",
        "/api/leads/x/y",
    ] {
        let res = app.get(path, &s.token).await;
        assert_eq!(res.status.as_u16(), 404, "{path}");
        res.problem(404, "not_found");
        app.send(Method::GET, path, None, None)
            .await
            .problem(404, "not_found");
    }
    let unknown = uuid::Uuid::now_v7().to_string();
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    for (m, path) in ROUTES.iter().filter(|(_, p)| p.contains('{')) {
        let url = route(path, &unknown, &unknown);
        let res = app
            .send(
                method(m),
                &url,
                Some(&s.token),
                valid_body(m, path, &id(&c)),
            )
            .await;
        assert_eq!(res.status.as_u16(), 404, "{m} {url}: {}", res.body);
        res.problem(404, "not_found");
    }
    // A method a route does not have: still problem+json.
    let res = app.delete("/api/campaigns", &s.token).await;
    assert_eq!(res.status.as_u16(), 405);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    assert!(res.header("x-request-id").is_some());

    // 409: a taken e-mail, an illegal status change.
    app.send(
        Method::POST,
        "/api/auth/register",
        None,
        Some(json!({"name": "x", "email": s.email.to_uppercase(), "password": "12345678"})),
    )
    .await
    .problem(409, "conflict");
    let url = format!("/api/campaigns/{}", id(&c));
    app.patch(&url, &s.token, json!({"status": "completed"}))
        .await
        .problem(409, "invalid_transition");
    app.patch(&url, &s.token, json!({"status": "paused"}))
        .await
        .problem(409, "invalid_transition");
    // 412 on every conditional write of a campaign.
    for (m, path) in [
        (Method::PUT, url.clone()),
        (Method::PATCH, url.clone()),
        (Method::DELETE, url.clone()),
        (Method::PUT, format!("{url}/sequence")),
    ] {
        let body = if path.ends_with("sequence") {
            json!({"steps": []})
        } else {
            json!({"name": "y"})
        };
        app.request(m, &path, Some(&s.token), |r| {
            r.header("if-match", "\"7\"").json(&body)
        })
        .await
        .problem(412, "precondition_failed");
    }
    assert_eq!(app.get(&url, &s.token).await.expect(200).body, c);
}
