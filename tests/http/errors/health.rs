//! Request ids and the health endpoints.

use super::*;

#[tokio::test]
async fn request_ids_and_health() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    for path in ["/healthz", "/readyz"] {
        let res = app.send(Method::GET, path, None, None).await.expect(200);
        assert_eq!(res.body, json!({"status": "ok"}));
        assert!(res.header("x-request-id").is_some(), "{path}");
    }
    // Every response carries a request id, a fresh one per request, or the caller's own.
    let a = app.get("/api/campaigns", &s.token).await.expect(200);
    let b = app.get("/api/campaigns", &s.token).await.expect(200);
    let (a, b) = (a.header("x-request-id"), b.header("x-request-id"));
    assert!(a.is_some_and(|v| !v.is_empty()));
    assert_ne!(a, b);
    let own = app
        .request(Method::GET, "/api/nope", Some(&s.token), |r| {
            r.header("x-request-id", "trace-me-123")
        })
        .await
        .problem(404, "not_found");
    assert_eq!(own.header("x-request-id"), Some("trace-me-123"));
}
