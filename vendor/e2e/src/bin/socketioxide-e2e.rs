//! The server that the official Socket.IO v5 protocol test suite
//! (`vendor/e2e/socket.io-protocol`) runs against. After socketioxide's `e2e/socketioxide`
//! server (MIT, © Théodore Prévot and contributors).

use std::time::Duration;

use axum::Router;
use bytes::Bytes;
use serde::{Deserialize, Serialize, Serializer, ser::SerializeTuple};
use serde_json::Value;
use socketioxide::{
    SocketIo,
    extract::{AckSender, Data, SocketRef},
};

/// One argument of an event: a binary attachment or anything else.
#[derive(Debug, Deserialize, Serialize)]
#[serde(untagged)]
enum Arg {
    Binary(Bytes),
    Json(Value),
}

/// An event's arguments, sent back as that many arguments (socketioxide sends a tuple as
/// several arguments, a `Vec` as one).
struct Args(Vec<Arg>);

impl Serialize for Args {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut tuple = serializer.serialize_tuple(self.0.len())?;
        for arg in &self.0 {
            tuple.serialize_element(arg)?;
        }
        tuple.end()
    }
}

async fn on_connect(socket: SocketRef, Data(auth): Data<Value>) {
    socket.emit("auth", &auth).ok();

    socket.on(
        "message",
        async |socket: SocketRef, Data::<Vec<Arg>>(args)| {
            socket.emit("message-back", &Args(args)).ok();
        },
    );
    socket.on(
        "message-with-ack",
        async |Data::<Vec<Arg>>(args), ack: AckSender| {
            ack.send(&Args(args)).ok();
        },
    );
    socket.on(
        "emit-with-ack",
        async |socket: SocketRef, Data::<Vec<Arg>>(args)| {
            let Ok(ack) = socket.emit_with_ack::<_, Vec<Arg>>("emit-with-ack", &Args(args)) else {
                return;
            };
            if let Ok(args) = ack.await {
                socket.emit("emit-with-ack", &Args(args)).ok();
            }
        },
    );
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    // The suite's constants (test-suite/utils.mjs).
    let (svc, io) = SocketIo::builder()
        .ping_interval(Duration::from_millis(300))
        .ping_timeout(Duration::from_millis(200))
        .connect_timeout(Duration::from_millis(1000))
        .max_payload(1_000_000)
        .build_svc();
    io.ns("/", on_connect);
    io.ns("/custom", on_connect);
    let app = Router::new().fallback_service(svc);
    let addr = std::env::var("E2E_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on {addr}");
    axum::serve(listener, app).await
}
