//! The error table of the contract, row by row, on REST; health endpoints; request ids.

mod access;
mod database;
mod health;
mod input;

use kandid_tests::{Res, TestApp, id};
use reqwest::Method;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Every route of the REST API with a placeholder `{c}` (campaign) or `{l}` (lead) id.
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/campaigns"),
    ("POST", "/api/campaigns"),
    ("GET", "/api/campaigns/{c}"),
    ("PUT", "/api/campaigns/{c}"),
    ("PATCH", "/api/campaigns/{c}"),
    ("DELETE", "/api/campaigns/{c}"),
    ("GET", "/api/campaigns/{c}/sequence"),
    ("PUT", "/api/campaigns/{c}/sequence"),
    ("POST", "/api/campaigns/{c}/leads/import"),
    ("GET", "/api/leads"),
    ("POST", "/api/leads"),
    ("GET", "/api/leads/{l}"),
    ("PUT", "/api/leads/{l}"),
    ("PATCH", "/api/leads/{l}"),
    ("DELETE", "/api/leads/{l}"),
    ("GET", "/api/activities"),
    ("GET", "/api/dashboard"),
    ("GET", "/api/events"),
    ("GET", "/api/auth/me"),
];

fn method(m: &str) -> Method {
    Method::from_bytes(m.as_bytes()).unwrap_or(Method::GET)
}

fn route(path: &str, c: &str, l: &str) -> String {
    path.replace("{c}", c).replace("{l}", l)
}

/// A body that would be accepted by the route, so only the error under test can fail it.
fn valid_body(m: &str, path: &str, campaign: &str) -> Option<Value> {
    match (m, path) {
        (_, p) if p.ends_with("/sequence") => Some(json!({"steps": []})),
        (_, p) if p.ends_with("/import") => Some(json!([{"name": "x"}])),
        ("POST", "/api/leads") => Some(json!({"name": "x", "campaign_id": campaign})),
        ("POST" | "PUT" | "PATCH", _) => Some(json!({"name": "x"})),
        _ => None,
    }
}
