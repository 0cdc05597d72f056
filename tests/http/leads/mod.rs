//! Lead CRUD, validation, partial updates, moves between campaigns, list filters, sort and
//! cursors, If-Match, and campaign stats computed from leads.

mod crud;
mod lists;
mod stats;
mod validation;

use kandid_tests::{TestApp, assert_rate, column, data, id, ids, urlencode};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashSet;

fn lead_url(lead: &Value) -> String {
    format!("/api/leads/{}", id(lead))
}
