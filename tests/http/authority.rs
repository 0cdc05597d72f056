//! Token authority: an integration token never holds more than the person behind it, a
//! session refreshes with the current role, an invitation is for its e-mail, and a role
//! check sees the same membership as the write it guards.

use kandid_tests::{Session, TestApp, data, session_of};
use reqwest::Method;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

/// An integration token of `by` with `role`; returns its JWT and id.
async fn token(app: &TestApp, by: &Session, role: &str) -> (String, String) {
    let res = app
        .post(
            "/api/tokens",
            &by.token,
            json!({"name": "it", "role": role}),
        )
        .await
        .expect(201);
    let s = |k: &str| res.body[k].as_str().unwrap_or_default().to_owned();
    (s("token"), s("id"))
}

#[tokio::test]
async fn a_token_is_capped_at_its_creator_s_current_role() {
    let app = TestApp::spawn().await;
    let owner = app.register().await;
    let x = app.member(&owner, "admin").await;
    let (t, _) = token(&app, &x, "admin").await;

    // Demoted to viewer: the admin token reads, and can neither write nor re-promote.
    app.patch(
        &format!("/api/workspace/members/{}", x.user_id),
        &owner.token,
        json!({"role": "viewer"}),
    )
    .await
    .expect(200);
    app.patch(
        &format!("/api/workspace/members/{}", x.user_id),
        &t,
        json!({"role": "admin"}),
    )
    .await
    .problem(403, "forbidden");
    app.post("/api/campaigns", &t, json!({"name": "no"}))
        .await
        .problem(403, "forbidden");
    app.post(
        "/api/workspace/invitations",
        &t,
        json!({"email": "z@example.com", "role": "admin"}),
    )
    .await
    .problem(403, "forbidden");
    let me = app.get("/api/auth/me", &t).await.expect(200);
    assert_eq!(me.body["user"]["role"], "viewer", "the effective role");

    // Member again: the token writes like a member, and still not like an admin.
    app.patch(
        &format!("/api/workspace/members/{}", x.user_id),
        &owner.token,
        json!({"role": "member"}),
    )
    .await
    .expect(200);
    let c = app
        .post("/api/campaigns", &t, json!({"name": "as a member"}))
        .await
        .expect(201);
    app.delete(&format!("/api/campaigns/{}", kandid_tests::id(&c.body)), &t)
        .await
        .problem(403, "forbidden");
    // A viewer token of an owner stays a viewer.
    let (v, _) = token(&app, &owner, "viewer").await;
    app.post("/api/campaigns", &v, json!({"name": "no"}))
        .await
        .problem(403, "forbidden");
}

#[tokio::test]
async fn a_token_stops_when_its_creator_leaves_or_is_removed() {
    let app = TestApp::spawn().await;
    let owner = app.register().await;
    let x = app.member(&owner, "admin").await;
    let (t, _) = token(&app, &x, "admin").await;
    app.get("/api/campaigns", &t).await.expect(200);

    app.delete(
        &format!("/api/workspace/members/{}", x.user_id),
        &owner.token,
    )
    .await
    .expect(204);
    app.get("/api/campaigns", &x.token)
        .await
        .problem(401, "unauthorized");
    app.get("/api/campaigns", &t)
        .await
        .problem(401, "unauthorized");
    // Nor can it bring its creator back.
    app.post(
        "/api/workspace/invitations",
        &t,
        json!({"email": x.email, "role": "admin"}),
    )
    .await
    .problem(401, "unauthorized");

    // Leaving has the same effect as being removed.
    let y = app.member(&owner, "member").await;
    let (ty, _) = token_of_member(&app, &owner, &y).await;
    app.get("/api/leads", &ty).await.expect(200);
    app.delete(&format!("/api/workspace/members/{}", y.user_id), &y.token)
        .await
        .expect(204);
    app.get("/api/leads", &ty)
        .await
        .problem(401, "unauthorized");
}

/// A member's own token: the member is made admin to mint it, then set back to `member`.
async fn token_of_member(app: &TestApp, owner: &Session, m: &Session) -> (String, String) {
    let path = format!("/api/workspace/members/{}", m.user_id);
    app.patch(&path, &owner.token, json!({"role": "admin"}))
        .await
        .expect(200);
    let t = token(app, m, "member").await;
    app.patch(&path, &owner.token, json!({"role": "member"}))
        .await
        .expect(200);
    t
}

#[tokio::test]
async fn a_token_cannot_mint_tokens_switch_refresh_or_accept() {
    let app = TestApp::spawn().await;
    let owner = app.register().await;
    let (t, id) = token(&app, &owner, "owner").await;
    for role in ["viewer", "admin", "owner"] {
        app.post(
            "/api/tokens",
            &t,
            json!({"name": "child", "role": role, "expires_in_days": 3650}),
        )
        .await
        .problem(403, "forbidden");
    }
    app.post(
        "/api/auth/switch",
        &t,
        json!({"workspace_id": owner.workspace_id}),
    )
    .await
    .problem(403, "forbidden");
    app.send(Method::POST, "/api/auth/refresh", Some(&t), None)
        .await
        .problem(403, "forbidden");
    let inv = app.invite(&owner, "someone@example.com", "viewer").await;
    app.post("/api/invitations/accept", &t, json!({"token": inv}))
        .await
        .problem(403, "forbidden");
    // It still manages tokens otherwise: listing, and revoking (itself included).
    let list = app.get("/api/tokens", &t).await.expect(200);
    assert_eq!(data(&list.body).len(), 1, "no child was made");
    app.delete(&format!("/api/tokens/{id}"), &t)
        .await
        .expect(204);
    app.get("/api/tokens", &t)
        .await
        .problem(401, "unauthorized");
}

#[tokio::test]
async fn a_token_acts_as_itself_and_cannot_remove_its_creator() {
    let app = TestApp::spawn().await;
    let owner = app.register().await;
    let second = app.member(&owner, "owner").await;
    let (admin_token, _) = token(&app, &owner, "admin").await;
    let (owner_token, _) = token(&app, &owner, "owner").await;
    let creator = format!("/api/workspace/members/{}", owner.user_id);
    // Not "leaving": an admin token may not remove an owner, its creator included; and no
    // token removes the person behind it.
    app.delete(&creator, &admin_token)
        .await
        .problem(403, "forbidden");
    app.delete(&creator, &owner_token)
        .await
        .problem(403, "forbidden");
    let members = app
        .get("/api/workspace/members", &owner.token)
        .await
        .expect(200);
    assert_eq!(data(&members.body).len(), 2, "both owners stay");
    // Acting as an owner, the owner token may still remove the other owner.
    app.delete(
        &format!("/api/workspace/members/{}", second.user_id),
        &owner_token,
    )
    .await
    .expect(204);
}

#[tokio::test]
async fn refresh_issues_a_session_with_the_current_role() {
    let app = TestApp::spawn().await;
    let owner = app.register().await;
    let m = app.member(&owner, "member").await;
    app.patch(
        &format!("/api/workspace/members/{}", m.user_id),
        &owner.token,
        json!({"role": "viewer"}),
    )
    .await
    .expect(200);
    let res = app
        .send(Method::POST, "/api/auth/refresh", Some(&m.token), None)
        .await
        .expect(200);
    let fresh = session_of(&res.body, m.email.clone());
    assert_eq!(fresh.workspace_id, m.workspace_id);
    assert_eq!(fresh.user_id, m.user_id);
    assert_eq!(res.body["user"]["role"], "viewer");
    let claims = claims_of(&fresh.token);
    assert_eq!(claims["role"], "viewer");
    assert!(
        claims.get("jti").is_none(),
        "a session token, not an integration one"
    );
    app.get("/api/campaigns", &fresh.token).await.expect(200);

    // Expired, or removed: 401.
    let expired = kandid_tests::mint(
        &json!({"sub": m.user_id, "ws": m.workspace_id, "role": "viewer", "iat": 1, "exp": 2}),
        kandid_tests::SECRET,
    );
    app.send(Method::POST, "/api/auth/refresh", Some(&expired), None)
        .await
        .problem(401, "unauthorized");
    app.delete(
        &format!("/api/workspace/members/{}", m.user_id),
        &owner.token,
    )
    .await
    .expect(204);
    app.send(Method::POST, "/api/auth/refresh", Some(&fresh.token), None)
        .await
        .problem(401, "unauthorized");
}

/// The claims of a JWT, unverified.
fn claims_of(jwt: &str) -> Value {
    use base64::Engine;
    let part = jwt.split('.').nth(1).unwrap_or_default();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap_or_default();
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

#[tokio::test]
async fn an_invitation_is_for_its_e_mail() {
    let app = TestApp::spawn().await;
    let owner = app.register().await;
    let meant = format!("meant-{}@example.com", uuid::Uuid::new_v4().simple());
    let inv = app.invite(&owner, &meant, "member").await;

    // Someone else registering with it: 403, and the invitation stays open.
    app.post_register(
        json!({"name": "E", "email": "eve@example.com", "password": PASSWORD, "invitation": inv}),
    )
    .await
    .problem(403, "forbidden");
    // A signed-in user of another e-mail: 403 too.
    let eve = app.register().await;
    app.post("/api/invitations/accept", &eve.token, json!({"token": inv}))
        .await
        .problem(403, "forbidden");
    let open = app
        .get("/api/workspace/invitations", &owner.token)
        .await
        .expect(200);
    assert_eq!(data(&open.body).len(), 1, "still open: {}", open.body);

    // The 404 checks come first: a withdrawn invitation is not found, whoever asks.
    let other = app.invite(&owner, "gone@example.com", "member").await;
    let listed = app
        .get("/api/workspace/invitations", &owner.token)
        .await
        .expect(200);
    let gone = data(&listed.body)
        .into_iter()
        .find(|i| i["email"] == "gone@example.com")
        .map(|i| kandid_tests::id(&i))
        .unwrap_or_default();
    app.delete(&format!("/api/workspace/invitations/{gone}"), &owner.token)
        .await
        .expect(204);
    app.post(
        "/api/invitations/accept",
        &eve.token,
        json!({"token": other}),
    )
    .await
    .problem(404, "not_found");

    // The person it is meant for, the e-mail in another case: joins.
    let joined = app
        .post_register(json!({"name": "M", "email": meant.to_uppercase(), "password": PASSWORD, "invitation": inv}))
        .await
        .expect(201);
    assert_eq!(
        joined.body["workspace"]["id"],
        owner.workspace_id.to_string()
    );
}

/// Owner B promotes C to owner while owner A demotes B, at the same instant, ten times: B's
/// promotion either commits before the demotion or is refused, never after it.
#[tokio::test]
async fn a_role_check_sees_the_membership_its_write_sees() {
    let app = TestApp::spawn().await;
    let a = app.register().await;
    for _ in 0..10 {
        let b = app.member(&a, "owner").await;
        let c = app.member(&a, "member").await;
        let (of_b, of_c) = (
            format!("/api/workspace/members/{}", b.user_id),
            format!("/api/workspace/members/{}", c.user_id),
        );
        let (demote, promote) = tokio::join!(
            app.patch(&of_b, &a.token, json!({"role": "viewer"})),
            app.patch(&of_c, &b.token, json!({"role": "owner"})),
        );
        demote.expect(200);
        let promoted = match promote.status.as_u16() {
            200 => true,
            403 => false,
            s => panic!("promotion answered {s}: {}", promote.body),
        };
        let events = app.get("/api/events?since=0&limit=1000", &a.token).await;
        let seq_of = |who: uuid::Uuid, role: &str| {
            data(&events.body)
                .iter()
                .find(|e| {
                    e["type"] == "members_updated"
                        && e["id"] == who.to_string()
                        && e["data"]["role"] == role
                })
                .and_then(|e| e["seq"].as_i64())
        };
        let demoted_at = seq_of(b.user_id, "viewer");
        assert!(demoted_at.is_some(), "the demotion is in the log");
        let promoted_at = seq_of(c.user_id, "owner");
        assert_eq!(promoted, promoted_at.is_some(), "{}", promote.body);
        if let Some(p) = promoted_at {
            assert!(
                demoted_at.is_some_and(|d| p < d),
                "B promoted C after B's demotion had committed (promotion seq {p}, demotion {demoted_at:?})"
            );
        }
    }
}

/// A token ends for good when its creator leaves: it is revoked with the membership, so it
/// neither comes back when they rejoin nor stays listed.
#[tokio::test]
async fn a_token_stays_revoked_when_its_creator_rejoins() {
    let app = TestApp::spawn().await;
    let owner = app.register().await;
    // X has a workspace of their own, and joins the owner's as an admin.
    let x = app.register().await;
    let join = |role: &'static str| {
        let (app, owner, x) = (&app, &owner, &x);
        async move {
            let inv = app.invite(owner, &x.email, role).await;
            let res = app
                .post("/api/invitations/accept", &x.token, json!({"token": inv}))
                .await
                .expect(200);
            session_of(&res.body, x.email.clone())
        }
    };
    let x_in = join("admin").await;
    let (t, id) = token(&app, &x_in, "admin").await;
    app.delete(
        &format!("/api/workspace/members/{}", x.user_id),
        &owner.token,
    )
    .await
    .expect(204);
    let listed = app.get("/api/tokens", &owner.token).await.expect(200);
    assert!(
        data(&listed.body).iter().all(|t| t["id"] != id.as_str()),
        "revoked with its creator's membership: {}",
        listed.body
    );
    // Back as an admin: the old token stays dead.
    join("admin").await;
    app.get("/api/campaigns", &t)
        .await
        .problem(401, "unauthorized");
}

/// Tokens revoking themselves and each other at once: each request is answered without a
/// server error (PostgreSQL must not deadlock them into a 500), and both end revoked.
#[tokio::test]
async fn concurrent_revocations_never_fail_with_a_server_error() {
    let app = TestApp::spawn().await;
    let owner = app.register().await;
    for _ in 0..5 {
        let (a, a_id) = token(&app, &owner, "admin").await;
        let (b, b_id) = token(&app, &owner, "admin").await;
        let (pa, pb) = (format!("/api/tokens/{a_id}"), format!("/api/tokens/{b_id}"));
        let answers = tokio::join!(
            app.delete(&pa, &a),
            app.delete(&pa, &a),
            app.delete(&pb, &a),
            app.delete(&pa, &b),
        );
        for r in [answers.0, answers.1, answers.2, answers.3] {
            assert!(
                matches!(r.status.as_u16(), 204 | 401 | 404),
                "{}: {}",
                r.status,
                r.body
            );
        }
        app.get("/api/campaigns", &a)
            .await
            .problem(401, "unauthorized");
    }
}
