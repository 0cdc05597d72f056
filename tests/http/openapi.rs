//! The committed spec is the generated one, and the server serves it.

use kandid_tests::TestApp;

const REGENERATE: &str = "cargo run -q -- openapi > openapi/openapi.json";

fn committed() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn committed_spec_matches_the_code() {
    let generated = kandid::kandid_api::openapi_json();
    assert!(
        committed() == generated,
        "openapi/openapi.json is out of date with the handlers; regenerate it with `{REGENERATE}` and commit it"
    );
}

#[test]
fn committed_asyncapi_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/asyncapi.yaml");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let generated = kandid::asyncapi::yaml().unwrap_or_default();
    assert!(
        !generated.is_empty() && committed == generated,
        "openapi/asyncapi.yaml is out of date with the event types; regenerate it with \
         `cargo run -q -- asyncapi > openapi/asyncapi.yaml` and commit it"
    );
}

#[tokio::test]
async fn spec_and_docs_are_served() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .get(format!("{}/api/openapi.json", app.base))
        .send()
        .await
        .map_err(|e| e.to_string());
    let body: serde_json::Value = match res {
        Ok(r) => r.json().await.unwrap_or_default(),
        Err(e) => panic!("{e}"),
    };
    let committed: serde_json::Value = serde_json::from_str(&committed()).unwrap_or_default();
    assert_eq!(body, committed);
    assert_eq!(body["openapi"], "3.1.0");
    assert!(body["components"]["securitySchemes"]["bearer"].is_object());
    for path in [
        "/api/campaigns",
        "/api/leads/{id}",
        "/api/campaigns/{id}/leads/import",
        "/api/events",
        "/readyz",
    ] {
        assert!(body["paths"][path].is_object(), "{path} undocumented");
    }
    let docs = app
        .client
        .get(format!("{}/docs/", app.base))
        .send()
        .await
        .map_err(|e| e.to_string());
    match docs {
        Ok(r) => {
            assert_eq!(r.status(), 200);
            let html = r.text().await.unwrap_or_default();
            assert!(
                html.contains("swagger"),
                "docs page is not the API reference"
            );
        }
        Err(e) => panic!("{e}"),
    }
}

/// `/` sends a person somewhere useful: the dashboard, or without it an index of the docs.
#[tokio::test]
async fn the_root_leads_to_the_dashboard_or_the_docs() {
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default();
    let app = TestApp::spawn().await;
    let res = no_redirects
        .get(format!("{}/", app.base))
        .send()
        .await
        .map_err(|e| e.to_string());
    match res {
        Ok(r) => {
            assert_eq!(r.status().as_u16(), 307);
            assert_eq!(
                r.headers().get("location").and_then(|v| v.to_str().ok()),
                Some("/app/")
            );
        }
        Err(e) => panic!("{e}"),
    }

    let app = TestApp::spawn_with(|c| c.serve_app = false).await;
    let res = no_redirects
        .get(format!("{}/", app.base))
        .send()
        .await
        .map_err(|e| e.to_string());
    let (status, body) = match res {
        Ok(r) => (r.status().as_u16(), r.text().await.unwrap_or_default()),
        Err(e) => panic!("{e}"),
    };
    assert_eq!(status, 200);
    for link in ["/docs/", "/api/openapi.json", "/healthz"] {
        assert!(
            body.contains(&format!("href=\"{link}\"")),
            "{link} in {body}"
        );
    }
}

/// The document describes what the server sends to webhooks (OpenAPI 3.1 `webhooks`): one
/// signed request per event a webhook may subscribe to, with the event as its body.
#[test]
fn the_document_describes_webhook_requests() {
    let doc = serde_json::to_value(kandid::kandid_api::openapi()).unwrap_or_default();
    for event in ["campaigns_updated", "leads_updated", "members_updated"] {
        let op = &doc["webhooks"][event]["post"];
        let headers: Vec<&str> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "header")
            .filter_map(|p| p["name"].as_str())
            .collect();
        assert_eq!(
            headers,
            ["webhook-id", "webhook-timestamp", "webhook-signature"],
            "{event}"
        );
        assert_eq!(
            op["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/EventView",
            "{event}"
        );
    }
}
