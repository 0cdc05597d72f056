//! Every role against every authenticated REST endpoint: allowed is never a 403, refused
//! is always a 403 problem. The table must name every operation of the OpenAPI document.

use kandid_tests::{TestApp, id};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

/// Least role of each operation; `viewer` means any member.
const TABLE: &[(&str, &str, &str)] = &[
    ("GET", "/api/auth/me", "viewer"),
    ("GET", "/api/auth/workspaces", "viewer"),
    ("POST", "/api/auth/switch", "viewer"),
    ("POST", "/api/auth/refresh", "viewer"),
    ("GET", "/api/campaigns", "viewer"),
    ("POST", "/api/campaigns", "member"),
    ("GET", "/api/campaigns/{campaign}", "viewer"),
    ("PUT", "/api/campaigns/{random}", "member"),
    ("PATCH", "/api/campaigns/{random}", "member"),
    ("DELETE", "/api/campaigns/{random}", "admin"),
    ("GET", "/api/campaigns/{campaign}/sequence", "viewer"),
    ("PUT", "/api/campaigns/{random}/sequence", "member"),
    ("POST", "/api/campaigns/{random}/leads/import", "member"),
    ("GET", "/api/leads", "viewer"),
    ("POST", "/api/leads", "member"),
    ("GET", "/api/leads/{lead}", "viewer"),
    ("PUT", "/api/leads/{random}", "member"),
    ("PATCH", "/api/leads/{random}", "member"),
    ("DELETE", "/api/leads/{random}", "member"),
    ("GET", "/api/activities", "viewer"),
    ("GET", "/api/dashboard", "viewer"),
    ("GET", "/api/events", "viewer"),
    ("GET", "/api/workspace/members", "viewer"),
    ("PATCH", "/api/workspace/members/{random}", "admin"),
    ("DELETE", "/api/workspace/members/{random}", "admin"),
    ("POST", "/api/workspace/invitations", "admin"),
    ("GET", "/api/workspace/invitations", "admin"),
    ("DELETE", "/api/workspace/invitations/{random}", "admin"),
    ("POST", "/api/invitations/accept", "viewer"),
    ("POST", "/api/tokens", "admin"),
    ("GET", "/api/tokens", "admin"),
    ("DELETE", "/api/tokens/{random}", "admin"),
    ("POST", "/api/webhooks", "admin"),
    ("GET", "/api/webhooks", "admin"),
    ("GET", "/api/webhooks/{random}", "admin"),
    ("PATCH", "/api/webhooks/{random}", "admin"),
    ("DELETE", "/api/webhooks/{random}", "admin"),
    ("POST", "/api/webhooks/{random}/secret", "admin"),
    ("GET", "/api/webhooks/{random}/deliveries", "admin"),
    ("POST", "/api/webhooks/{random}/replay", "admin"),
    // Last: it ends the seat's session.
    ("POST", "/api/auth/logout", "viewer"),
];

/// Operations that grant ownership: only an owner may.
const OWNER_ONLY: &[(&str, &str, &str)] = &[
    ("POST", "/api/workspace/invitations", "owner"),
    ("PATCH", "/api/workspace/members/{random}", "owner"),
    ("POST", "/api/tokens", "owner"),
];

/// Operations without a bearer token, outside the table.
const PUBLIC: &[&str] = &[
    "POST /api/auth/register",
    "POST /api/auth/login",
    "GET /healthz",
    "GET /readyz",
    "GET /metrics",
];

const ROLES: &[&str] = &["viewer", "member", "admin", "owner"];

fn rank(role: &str) -> usize {
    ROLES.iter().position(|r| *r == role).unwrap_or(usize::MAX)
}

/// A valid body for the operation; `grant` asks for the owner role where one is named.
fn body(m: &str, path: &str, campaign: &str, ws: Uuid, grant: bool) -> Option<Value> {
    let role = if grant { "owner" } else { "viewer" };
    Some(match (m, path) {
        ("GET" | "DELETE", _) => return None,
        ("POST", "/api/auth/switch") => json!({"workspace_id": ws}),
        ("POST", "/api/campaigns") | ("PUT" | "PATCH", "/api/campaigns/{random}") => {
            json!({"name": "x"})
        }
        ("PUT", "/api/campaigns/{random}/sequence") => json!({"steps": []}),
        ("POST", "/api/campaigns/{random}/leads/import") => json!([]),
        ("POST", "/api/leads") => json!({"name": "x", "campaign_id": campaign}),
        ("PUT" | "PATCH", "/api/leads/{random}") => json!({"name": "x"}),
        ("PATCH", "/api/workspace/members/{random}") => json!({"role": role}),
        ("POST", "/api/workspace/invitations") => {
            json!({"email": "someone@example.com", "role": role})
        }
        ("POST", "/api/invitations/accept") => json!({"token": "no-such-invitation"}),
        ("POST", "/api/tokens") => json!({"name": "ci", "role": role}),
        // Refused as a loopback address (422) once the role is allowed: nothing is sent.
        ("POST", "/api/webhooks") => json!({"url": "https://127.0.0.1/hook"}),
        ("PATCH", "/api/webhooks/{random}") => json!({"description": "x"}),
        ("POST", "/api/webhooks/{random}/replay") => json!({"since": 0}),
        _ => json!({}),
    })
}

async fn check(app: &TestApp, s: &Seat, role: &str, table: &[(&str, &str, &str)], grant: bool) {
    let (c, l) = (&s.campaign, &s.lead);
    for (m, path, least) in table {
        let url = path
            .replace("{campaign}", c)
            .replace("{lead}", l)
            .replace("{random}", &Uuid::now_v7().to_string());
        let method = Method::from_bytes(m.as_bytes()).unwrap_or(Method::GET);
        let res = app
            .send(
                method,
                &url,
                Some(&s.token),
                body(m, path, c, s.workspace_id, grant),
            )
            .await;
        if rank(role) >= rank(least) {
            assert_ne!(
                res.status.as_u16(),
                403,
                "{role} {m} {path} must be allowed: {}",
                res.body
            );
            assert!(res.status.as_u16() < 500, "{role} {m} {path}: {}", res.body);
        } else {
            assert_eq!(
                res.status.as_u16(),
                403,
                "{role} {m} {path} must be refused: {}",
                res.body
            );
            res.problem(403, "forbidden");
        }
    }
}

/// A member of the shared workspace, with what the table's paths point at.
struct Seat {
    token: String,
    workspace_id: Uuid,
    campaign: String,
    lead: String,
}

#[tokio::test]
async fn every_role_against_every_endpoint() {
    let app = TestApp::spawn().await;
    let owner = app.register().await;
    let c = app
        .create_campaign(&owner.token, json!({"name": "C"}))
        .await;
    let l = app
        .create_lead(&owner.token, &id(&c), json!({"name": "L"}))
        .await;
    for role in ROLES {
        let who = if *role == "owner" {
            owner.clone()
        } else {
            app.member(&owner, role).await
        };
        // A sign-in of its own: the table's logout ends it, and nobody else's.
        let signed_in = app
            .post_login(
                json!({"email": who.email, "password": "correct horse battery",
                "workspace_id": who.workspace_id}),
            )
            .await
            .expect(200);
        let seat = Seat {
            token: signed_in.body["token"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            workspace_id: who.workspace_id,
            campaign: id(&c),
            lead: id(&l),
        };
        check(&app, &seat, role, OWNER_ONLY, true).await;
        check(&app, &seat, role, TABLE, false).await;
    }
    // The owner is still the owner, and nobody else was made one.
    let members = app
        .get("/api/workspace/members", &owner.token)
        .await
        .expect(200);
    let owners: Vec<_> = kandid_tests::data(&members.body)
        .into_iter()
        .filter(|m| m["role"] == "owner")
        .collect();
    assert_eq!(owners.len(), 1, "{}", members.body);
}

#[tokio::test]
async fn every_endpoint_of_the_table_needs_a_token() {
    let app = TestApp::spawn().await;
    let owner = app.register().await;
    for (m, path, _) in TABLE.iter().chain(OWNER_ONLY) {
        let url = path
            .replace("{campaign}", &Uuid::now_v7().to_string())
            .replace("{lead}", &Uuid::now_v7().to_string())
            .replace("{random}", &Uuid::now_v7().to_string());
        let method = Method::from_bytes(m.as_bytes()).unwrap_or(Method::GET);
        let body = body(m, path, "", owner.workspace_id, false);
        let res = app.send(method, &url, None, body).await;
        assert_eq!(res.status.as_u16(), 401, "{m} {path}: {}", res.body);
        let res = res.problem(401, "unauthorized");
        assert_eq!(res.header("www-authenticate"), Some("Bearer"), "{m} {path}");
    }
}

#[test]
fn the_table_names_every_operation() {
    let doc = serde_json::to_value(kandid::kandid_api::openapi()).unwrap_or_default();
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (m, _) in item.as_object().into_iter().flatten() {
            documented.push(format!("{} {path}", m.to_uppercase()));
        }
    }
    let normalise = |p: &str| {
        p.replace("{campaign}", "{id}")
            .replace("{lead}", "{id}")
            .replace("/members/{random}", "/members/{user_id}")
            .replace("{random}", "{id}")
    };
    let mut covered: Vec<String> = TABLE
        .iter()
        .map(|(m, p, _)| format!("{m} {}", normalise(p)))
        .chain(PUBLIC.iter().map(|s| (*s).to_owned()))
        .collect();
    covered.sort();
    documented.sort();
    assert_eq!(covered, documented);
}
