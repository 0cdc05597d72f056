//! The server that the official Socket.IO v5 protocol test suite
//! (`vendor/e2e/suites/socket.io`) runs against. After socketioxide's `e2e/socketioxide`
//! server (MIT, © Théodore Prévot and contributors).

use std::time::Duration;

use axum::Router;
use bytes::Bytes;
use serde::{
    Deserialize, Deserializer, Serialize, Serializer,
    de::{SeqAccess, Visitor},
    ser::SerializeTuple,
};
use serde_json::Value;
use socketioxide::{
    SocketIo,
    extract::{AckSender, Data, SocketRef},
};

/// One argument of an event: a binary attachment or anything else.
#[derive(Debug, Deserialize, Serialize)]
#[serde(untagged)]
enum Arg {
    Binary(Binary),
    Json(Value),
}

/// A binary attachment, and only that (`Bytes` would also take a string).
#[derive(Debug)]
struct Binary(Bytes);

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BinaryVisitor;
        impl Visitor<'_> for BinaryVisitor {
            type Value = Binary;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a binary attachment")
            }
            fn visit_bytes<E>(self, v: &[u8]) -> Result<Binary, E> {
                Ok(Binary(Bytes::copy_from_slice(v)))
            }
            fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Binary, E> {
                Ok(Binary(Bytes::from(v)))
            }
        }
        deserializer.deserialize_bytes(BinaryVisitor)
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

/// An event's arguments, all of them: socketioxide reads and writes a tuple as several
/// arguments, anything else as the first one.
struct Args(Vec<Arg>);

impl<'de> Deserialize<'de> for Args {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ArgsVisitor;
        impl<'de> Visitor<'de> for ArgsVisitor {
            type Value = Args;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("the arguments of an event")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Args, A::Error> {
                let mut args = Vec::new();
                while let Some(arg) = seq.next_element()? {
                    args.push(arg);
                }
                Ok(Args(args))
            }
        }
        deserializer.deserialize_tuple(usize::MAX, ArgsVisitor)
    }
}

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

    socket.on("message", async |socket: SocketRef, Data::<Args>(args)| {
        socket.emit("message-back", &args).ok();
    });
    socket.on(
        "message-with-ack",
        async |Data::<Args>(args), ack: AckSender| {
            ack.send(&args).ok();
        },
    );
    socket.on(
        "emit-with-ack",
        async |socket: SocketRef, Data::<Args>(args)| {
            let Ok(ack) = socket.emit_with_ack::<_, Args>("emit-with-ack", &args) else {
                return;
            };
            if let Ok(args) = ack.await {
                socket.emit("emit-with-ack", &args).ok();
            }
        },
    );
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    // The suite's constants (suites/socket.io/utils.mjs).
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
