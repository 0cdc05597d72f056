//! Teams: invitations, several workspaces per user, member changes and their events, and
//! integration tokens.

use kandid_tests::{TestApp, data, session_of};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

fn email() -> String {
    format!("u-{}@example.com", uuid::Uuid::new_v4().simple())
}

fn str_of(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn invitations_join_on_register_and_when_signed_in() {
    let app = TestApp::spawn().await;
    let owner = app.register().await;
    let other = app.register().await;

    // Register with an invitation: no new workspace, the invited role.
    let mail = email();
    let created = app
        .post(
            "/api/workspace/invitations",
            &owner.token,
            json!({"email": mail.to_uppercase(), "role": "member"}),
        )
        .await
        .expect(201);
    assert_eq!(
        created.body["email"], mail,
        "e-mails are stored lower-cased"
    );
    assert_eq!(created.body["role"], "member");
    let token = str_of(&created.body["token"]);
    assert!(token.len() >= 32, "an opaque random token");
    let open = app
        .get("/api/workspace/invitations", &owner.token)
        .await
        .expect(200);
    assert_eq!(data(&open.body).len(), 1);
    assert!(
        data(&open.body)[0].get("token").is_none(),
        "tokens are shown once"
    );

    let joined = app
        .post_register(
            json!({"name": "M", "email": mail, "password": PASSWORD, "invitation": token}),
        )
        .await
        .expect(201);
    assert_eq!(
        joined.body["workspace"]["id"],
        owner.workspace_id.to_string()
    );
    assert_eq!(joined.body["user"]["role"], "member");
    let m = session_of(&joined.body, mail.clone());
    app.post("/api/campaigns", &m.token, json!({"name": "by a member"}))
        .await
        .expect(201);
    // Used: a second use is 404, and it is no longer listed.
    app.post_register(
        json!({"name": "M2", "email": email(), "password": PASSWORD, "invitation": token}),
    )
    .await
    .problem(404, "not_found");
    app.post(
        "/api/invitations/accept",
        &other.token,
        json!({"token": token}),
    )
    .await
    .problem(404, "not_found");
    let open = app
        .get("/api/workspace/invitations", &owner.token)
        .await
        .expect(200);
    assert!(data(&open.body).is_empty());

    // A signed-in user of another workspace accepts: a token for the new workspace.
    let token = app.invite(&owner, &other.email, "viewer").await;
    let accepted = app
        .post(
            "/api/invitations/accept",
            &other.token,
            json!({"token": token}),
        )
        .await
        .expect(200);
    assert_eq!(
        accepted.body["workspace"]["id"],
        owner.workspace_id.to_string()
    );
    assert_eq!(accepted.body["user"]["role"], "viewer");
    let as_viewer = str_of(&accepted.body["token"]);
    app.post("/api/campaigns", &as_viewer, json!({"name": "x"}))
        .await
        .problem(403, "forbidden");
    // Their old token still works in their own workspace, as its owner.
    app.post("/api/campaigns", &other.token, json!({"name": "mine"}))
        .await
        .expect(201);
    // Accepting into a workspace one is already in is a conflict and keeps the invitation.
    let again = app.invite(&owner, &other.email, "member").await;
    app.post(
        "/api/invitations/accept",
        &as_viewer,
        json!({"token": again}),
    )
    .await
    .problem(409, "conflict");
    // Garbage and empty tokens.
    app.post(
        "/api/invitations/accept",
        &other.token,
        json!({"token": "nope"}),
    )
    .await
    .problem(404, "not_found");
    app.post("/api/invitations/accept", &other.token, json!({}))
        .await
        .problem(422, "validation_failed");
}

#[tokio::test]
async fn withdrawn_and_expired_invitations_are_not_found() {
    let app = TestApp::spawn().await;
    let owner = app.register().await;
    let res = app
        .post(
            "/api/workspace/invitations",
            &owner.token,
            json!({"email": email(), "role": "admin"}),
        )
        .await
        .expect(201);
    let (inv, token) = (str_of(&res.body["id"]), str_of(&res.body["token"]));
    // Valid for 7 days.
    let expires = chrono::DateTime::parse_from_rfc3339(&str_of(&res.body["expires_at"]))
        .map(|t| t.timestamp())
        .unwrap_or_default();
    let in_7_days = chrono::Utc::now().timestamp() + 7 * 86_400;
    assert!((expires - in_7_days).abs() < 60, "{}", res.body);

    app.delete(&format!("/api/workspace/invitations/{inv}"), &owner.token)
        .await
        .expect(204);
    app.delete(&format!("/api/workspace/invitations/{inv}"), &owner.token)
        .await
        .problem(404, "not_found");
    app.post_register(
        json!({"name": "x", "email": email(), "password": PASSWORD, "invitation": token}),
    )
    .await
    .problem(404, "not_found");

    // Expired: moved into the past directly in the database.
    let token = app.invite(&owner, &email(), "member").await;
    app.sql("UPDATE invitations SET expires_at = created_at")
        .await;
    app.post_register(
        json!({"name": "x", "email": email(), "password": PASSWORD, "invitation": token}),
    )
    .await
    .problem(404, "not_found");
    let open = app
        .get("/api/workspace/invitations", &owner.token)
        .await
        .expect(200);
    assert!(
        data(&open.body).is_empty(),
        "expired invitations are not open"
    );

    // Another workspace's invitation cannot be withdrawn from here.
    let other = app.register().await;
    let res = app
        .post(
            "/api/workspace/invitations",
            &other.token,
            json!({"email": email(), "role": "viewer"}),
        )
        .await
        .expect(201);
    app.delete(
        &format!("/api/workspace/invitations/{}", str_of(&res.body["id"])),
        &owner.token,
    )
    .await
    .problem(404, "not_found");
    // Invalid bodies.
    let res = app
        .post(
            "/api/workspace/invitations",
            &owner.token,
            json!({"email": "nope", "role": "boss"}),
        )
        .await
        .problem(422, "validation_failed");
    let mut fields = res.fields();
    fields.sort();
    assert_eq!(fields, ["email", "role"]);
}

#[tokio::test]
async fn login_and_switch_between_workspaces() {
    let app = TestApp::spawn().await;
    let first = app.register().await;
    let second = app.register().await;
    let token = app.invite(&second, &first.email, "admin").await;
    app.post(
        "/api/invitations/accept",
        &first.token,
        json!({"token": token}),
    )
    .await
    .expect(200);

    let list = app
        .get("/api/auth/workspaces", &first.token)
        .await
        .expect(200);
    let ids: Vec<String> = data(&list.body)
        .iter()
        .map(|m| str_of(&m["workspace"]["id"]))
        .collect();
    assert_eq!(
        ids,
        [
            first.workspace_id.to_string(),
            second.workspace_id.to_string()
        ],
        "oldest membership first"
    );
    assert_eq!(data(&list.body)[1]["role"], "admin");

    // Login defaults to the oldest membership; workspace_id picks another.
    let login = app
        .post_login(json!({"email": first.email, "password": PASSWORD}))
        .await
        .expect(200);
    assert_eq!(
        login.body["workspace"]["id"],
        first.workspace_id.to_string()
    );
    assert_eq!(login.body["user"]["role"], "owner");
    let login = app
        .post_login(json!({"email": first.email, "password": PASSWORD, "workspace_id": second.workspace_id}))
        .await
        .expect(200);
    assert_eq!(
        login.body["workspace"]["id"],
        second.workspace_id.to_string()
    );
    assert_eq!(login.body["user"]["role"], "admin");
    let me = app
        .get("/api/auth/me", &str_of(&login.body["token"]))
        .await
        .expect(200);
    assert_eq!(me.body["workspace"]["id"], second.workspace_id.to_string());
    assert_eq!(me.body["user"]["role"], "admin");
    // A workspace the user is not in: 404, and only once the password is right.
    let stranger = app.register().await;
    app.post_login(
        json!({"email": first.email, "password": PASSWORD, "workspace_id": stranger.workspace_id}),
    )
    .await
    .problem(404, "not_found");
    app.post_login(json!({"email": first.email, "password": "wrong-password", "workspace_id": stranger.workspace_id}))
        .await
        .problem(401, "unauthorized");
    app.post_login(json!({"email": first.email, "password": PASSWORD, "workspace_id": "x"}))
        .await
        .problem(400, "bad_request");

    // Switch.
    let switched = app
        .post(
            "/api/auth/switch",
            &first.token,
            json!({"workspace_id": second.workspace_id}),
        )
        .await
        .expect(200);
    assert_eq!(
        switched.body["workspace"]["id"],
        second.workspace_id.to_string()
    );
    assert_eq!(switched.body["user"]["role"], "admin");
    let t = str_of(&switched.body["token"]);
    let campaign = app.create_campaign(&t, json!({"name": "in second"})).await;
    let theirs = app.get("/api/campaigns", &second.token).await.expect(200);
    assert_eq!(theirs.body["total"], 1);
    assert_eq!(data(&theirs.body)[0]["id"], campaign["id"]);
    app.post(
        "/api/auth/switch",
        &first.token,
        json!({"workspace_id": stranger.workspace_id}),
    )
    .await
    .problem(404, "not_found");
    app.post("/api/auth/switch", &first.token, json!({}))
        .await
        .problem(422, "validation_failed");
}

#[tokio::test]
async fn the_last_owner_stays_and_members_may_leave() {
    let app = TestApp::spawn().await;
    let owner = app.register().await;
    let admin = app.member(&owner, "admin").await;
    let member = app.member(&owner, "member").await;
    let path = |u: uuid::Uuid| format!("/api/workspace/members/{u}");

    app.patch(&path(owner.user_id), &owner.token, json!({"role": "admin"}))
        .await
        .problem(409, "last_owner");
    app.delete(&path(owner.user_id), &owner.token)
        .await
        .problem(409, "last_owner");
    // Admins don't touch owners nor make them.
    app.delete(&path(owner.user_id), &admin.token)
        .await
        .problem(403, "forbidden");
    app.patch(
        &path(owner.user_id),
        &admin.token,
        json!({"role": "viewer"}),
    )
    .await
    .problem(403, "forbidden");
    app.patch(
        &path(member.user_id),
        &admin.token,
        json!({"role": "owner"}),
    )
    .await
    .problem(403, "forbidden");
    // With a second owner, the first may step down.
    let res = app
        .patch(&path(admin.user_id), &owner.token, json!({"role": "owner"}))
        .await
        .expect(200);
    assert_eq!(res.body["role"], "owner");
    assert_eq!(res.body["user_id"], admin.user_id.to_string());
    app.patch(
        &path(owner.user_id),
        &owner.token,
        json!({"role": "member"}),
    )
    .await
    .expect(200);
    // The change applies at once, whatever the token says.
    app.post(
        "/api/workspace/invitations",
        &owner.token,
        json!({"email": email(), "role": "viewer"}),
    )
    .await
    .problem(403, "forbidden");
    app.patch(
        &path(admin.user_id),
        &admin.token,
        json!({"role": "member"}),
    )
    .await
    .problem(409, "last_owner");

    // A member leaves; a member can't remove someone else.
    app.delete(&path(owner.user_id), &member.token)
        .await
        .problem(403, "forbidden");
    app.delete(&path(member.user_id), &member.token)
        .await
        .expect(204);
    app.get("/api/campaigns", &member.token)
        .await
        .problem(401, "unauthorized");
    app.delete(&path(member.user_id), &admin.token)
        .await
        .problem(404, "not_found");
    let members = app
        .get("/api/workspace/members", &admin.token)
        .await
        .expect(200);
    let mut roles: Vec<String> = data(&members.body)
        .iter()
        .map(|m| str_of(&m["role"]))
        .collect();
    roles.sort();
    assert_eq!(roles, ["member", "owner"]);
    app.patch(&path(admin.user_id), &admin.token, json!({"role": "boss"}))
        .await
        .problem(422, "validation_failed");
}

#[tokio::test]
async fn a_removed_member_is_401_at_once_and_the_change_is_an_event() {
    let app = TestApp::spawn().await;
    let owner = app.register().await;
    let member = app.member(&owner, "member").await;
    app.get("/api/campaigns", &member.token).await.expect(200);
    app.patch(
        &format!("/api/workspace/members/{}", member.user_id),
        &owner.token,
        json!({"role": "viewer"}),
    )
    .await
    .expect(200);
    app.post("/api/campaigns", &member.token, json!({"name": "x"}))
        .await
        .problem(403, "forbidden");
    app.delete(
        &format!("/api/workspace/members/{}", member.user_id),
        &owner.token,
    )
    .await
    .expect(204);
    for path in ["/api/campaigns", "/api/auth/me", "/api/auth/workspaces"] {
        app.get(path, &member.token)
            .await
            .problem(401, "unauthorized");
    }
    // Signing in again finds no workspace to enter.
    app.post_login(json!({"email": member.email, "password": PASSWORD}))
        .await
        .problem(401, "unauthorized");

    let events = app
        .get("/api/events?since=0", &owner.token)
        .await
        .expect(200);
    let members: Vec<Value> = data(&events.body)
        .into_iter()
        .filter(|e| e["type"] == "members_updated")
        .collect();
    let actions: Vec<String> = members.iter().map(|e| str_of(&e["action"])).collect();
    assert_eq!(
        actions,
        ["created", "updated", "deleted"],
        "{}",
        events.body
    );
    for e in &members {
        assert_eq!(e["id"], member.user_id.to_string());
        assert_eq!(e["count"], 1);
    }
    assert_eq!(members[0]["data"]["role"], "member");
    assert_eq!(members[0]["data"]["email"], member.email);
    assert_eq!(members[1]["data"]["role"], "viewer");
    assert_eq!(members[1]["changes"], json!(["role"]));
    assert_eq!(members[2]["data"], Value::Null);
    assert_eq!(members[2]["actor_id"], owner.user_id.to_string());
    // The activity log has them too.
    let acts = app.get("/api/activities", &owner.token).await.expect(200);
    let kinds: Vec<String> = data(&acts.body)
        .iter()
        .filter(|a| a["entity_type"] == "member")
        .map(|a| str_of(&a["action"]))
        .collect();
    assert_eq!(kinds, ["deleted", "updated", "created"]);
}

#[tokio::test]
async fn integration_tokens_act_with_their_role_until_revoked() {
    let app = TestApp::spawn().await;
    let owner = app.register().await;
    let admin = app.member(&owner, "admin").await;
    let created = app
        .post(
            "/api/tokens",
            &admin.token,
            json!({"name": "CRM sync", "role": "member", "expires_in_days": 30}),
        )
        .await
        .expect(201);
    let (tid, jwt) = (str_of(&created.body["id"]), str_of(&created.body["token"]));
    assert_eq!(created.body["role"], "member");
    assert_eq!(created.body["name"], "CRM sync");
    assert!(created.body["expires_at"].is_string());
    // The JWT carries jti = id.
    use base64::Engine;
    let claims: Value = jwt
        .split('.')
        .nth(1)
        .and_then(|p| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p)
                .ok()
        })
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    assert_eq!(claims["jti"], tid);
    assert_eq!(claims["ws"], owner.workspace_id.to_string());

    app.post("/api/campaigns", &jwt, json!({"name": "from CRM"}))
        .await
        .expect(201);
    let c = app
        .create_campaign(&owner.token, json!({"name": "C"}))
        .await;
    app.delete(&format!("/api/campaigns/{}", str_of(&c["id"])), &jwt)
        .await
        .problem(403, "forbidden");
    // An integration token may not switch or join workspaces.
    app.post(
        "/api/auth/switch",
        &jwt,
        json!({"workspace_id": owner.workspace_id}),
    )
    .await
    .problem(403, "forbidden");

    let list = app.get("/api/tokens", &owner.token).await.expect(200);
    assert_eq!(data(&list.body).len(), 1);
    assert!(data(&list.body)[0].get("token").is_none());
    assert_eq!(data(&list.body)[0]["created_by"], admin.user_id.to_string());

    // Role at most the caller's; an owner token only from an owner.
    app.post(
        "/api/tokens",
        &admin.token,
        json!({"name": "x", "role": "owner"}),
    )
    .await
    .problem(403, "forbidden");
    app.post(
        "/api/tokens",
        &owner.token,
        json!({"name": "x", "role": "owner"}),
    )
    .await
    .expect(201);
    let res = app
        .post(
            "/api/tokens",
            &owner.token,
            json!({"role": "root", "expires_in_days": 0}),
        )
        .await
        .problem(422, "validation_failed");
    let mut fields = res.fields();
    fields.sort();
    assert_eq!(fields, ["expires_in_days", "name", "role"]);

    // Revoked: the next call is 401, and it is no longer listed.
    app.delete(&format!("/api/tokens/{tid}"), &admin.token)
        .await
        .expect(204);
    app.get("/api/campaigns", &jwt)
        .await
        .problem(401, "unauthorized");
    app.delete(&format!("/api/tokens/{tid}"), &admin.token)
        .await
        .problem(404, "not_found");
    let list = app.get("/api/tokens", &owner.token).await.expect(200);
    assert!(data(&list.body).iter().all(|t| str_of(&t["id"]) != tid));
    // Another workspace's token cannot be revoked from here.
    let other = app.register().await;
    let theirs = app
        .post(
            "/api/tokens",
            &other.token,
            json!({"name": "t", "role": "viewer"}),
        )
        .await
        .expect(201);
    app.delete(
        &format!("/api/tokens/{}", str_of(&theirs.body["id"])),
        &owner.token,
    )
    .await
    .problem(404, "not_found");
    app.get("/api/campaigns", &str_of(&theirs.body["token"]))
        .await
        .expect(200);
}
