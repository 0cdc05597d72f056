//! Logging: pretty for people, JSON for machines; `RUST_LOG` filters, except where it would
//! write clients' credentials to the log (see `PAYLOAD_LOGGERS`).

use crate::config::LogFormat;
use std::io::IsTerminal;
use tracing::{Level, Metadata};
use tracing_subscriber::filter::{FilterExt, filter_fn};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Crates that log what clients send at debug and trace: socketioxide the Socket.IO connect
/// packet with its `auth` (the token) and every packet, engineioxide invalid handshake
/// requests (their `?token=`) and polling payloads, tungstenite every websocket message. No
/// `RUST_LOG` takes them below info: a debugging session must not leave working tokens in
/// log files and log shippers. This caps them from outside, without a change to their code.
const PAYLOAD_LOGGERS: [&str; 7] = [
    "socketioxide",
    "socketioxide_core",
    "socketioxide_parser_common",
    "engineioxide",
    "engineioxide_core",
    "tungstenite",
    "tokio_tungstenite",
];

/// Whether an event or span may be logged at all (before `RUST_LOG` decides).
fn holds_no_payload(meta: &Metadata<'_>) -> bool {
    if *meta.level() <= Level::INFO {
        return true;
    }
    let target = meta.target();
    !PAYLOAD_LOGGERS.iter().any(|c| {
        target
            .strip_prefix(c)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
    })
}

pub fn init(format: LogFormat) {
    let env = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let filter = env.and(filter_fn(holds_no_payload));
    // Colours for a person at a terminal; none in a file or a pipe, or with NO_COLOR set
    // (https://no-color.org).
    let colour = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let fmt = tracing_subscriber::fmt::layer()
        .with_ansi(colour)
        .with_writer(std::io::stderr);
    let registry = tracing_subscriber::registry();
    let _ = match format {
        LogFormat::Json => registry
            .with(fmt.json().flatten_event(true).with_filter(filter))
            .try_init(),
        LogFormat::Pretty => registry.with(fmt.with_filter(filter)).try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing::callsite::Identifier;
    use tracing::field::FieldSet;
    use tracing::metadata::Kind;

    struct Callsite;
    impl tracing::callsite::Callsite for Callsite {
        fn set_interest(&self, _: tracing::subscriber::Interest) {}
        fn metadata(&self) -> &Metadata<'_> {
            unreachable!()
        }
    }
    static CALLSITE: Callsite = Callsite;

    fn meta(target: &'static str, level: Level) -> Metadata<'static> {
        Metadata::new(
            "event",
            target,
            level,
            None,
            None,
            None,
            FieldSet::new(&[], Identifier(&CALLSITE)),
            Kind::EVENT,
        )
    }

    #[test]
    fn socket_libraries_are_capped_at_info_and_nothing_else_is() {
        for target in [
            "socketioxide::client",
            "engineioxide",
            "tungstenite::protocol",
        ] {
            assert!(!holds_no_payload(&meta(target, Level::DEBUG)), "{target}");
            assert!(!holds_no_payload(&meta(target, Level::TRACE)), "{target}");
            assert!(holds_no_payload(&meta(target, Level::INFO)), "{target}");
            assert!(holds_no_payload(&meta(target, Level::WARN)), "{target}");
        }
        for target in [
            "kandid_realtime::connect",
            "socketioxide_redisx",
            "tower_http::trace",
        ] {
            assert!(holds_no_payload(&meta(target, Level::TRACE)), "{target}");
        }
    }
}
