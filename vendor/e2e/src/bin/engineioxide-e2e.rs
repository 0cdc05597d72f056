//! The server that the official Engine.IO v4 protocol test suite
//! (`vendor/e2e/suites/engine.io`) runs against: it echoes every message, text or binary.
//! After socketioxide's `e2e/engineioxide` server (MIT, © Théodore Prévot and contributors).

use std::{sync::Arc, time::Duration};

use axum::Router;
use bytes::Bytes;
use engineioxide::{
    Str,
    config::EngineIoConfig,
    handler::EngineIoHandler,
    service::EngineIoService,
    socket::{DisconnectReason, Socket},
};

#[derive(Debug, Clone)]
struct Echo;

impl EngineIoHandler for Echo {
    type Data = ();

    fn on_connect(self: Arc<Self>, _socket: Arc<Socket<()>>) {}
    fn on_disconnect(&self, _socket: Arc<Socket<()>>, _reason: DisconnectReason) {}
    fn on_message(self: &Arc<Self>, msg: Str, socket: Arc<Socket<()>>) {
        socket.emit(msg).ok();
    }
    fn on_binary(self: &Arc<Self>, data: Bytes, socket: Arc<Socket<()>>) {
        socket.emit_binary(data).ok();
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    // The suite's constants (suites/engine.io/utils.mjs).
    let config = EngineIoConfig::builder()
        .ping_interval(Duration::from_millis(300))
        .ping_timeout(Duration::from_millis(200))
        .max_payload(1_000_000)
        .build();
    let svc = EngineIoService::with_config(Arc::new(Echo), config);
    let app = Router::new().fallback_service(svc);
    let addr = vendor_e2e_addr();
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on {addr}");
    axum::serve(listener, app).await
}

fn vendor_e2e_addr() -> String {
    std::env::var("E2E_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into())
}
