//! Answers to client events: the typed ack, or an error ack built from
//! `kandid_domain::socket::AckError`, whose code is one of `AckErrorCode`'s.

use kandid_domain::socket::{AckError, AckErrorCode, ErrorAck, Object};
use kandid_store::StoreError;
use serde::Serialize;
use socketioxide::ParserError;
use socketioxide::adapter::Adapter;
use socketioxide::extract::AckSender;

/// Why a request was refused: sent as `{ok: false, error: {code, message}}`.
#[derive(Debug)]
pub(crate) struct Refusal(pub(crate) AckError);

impl Refusal {
    pub(crate) fn new(code: AckErrorCode, message: impl Into<String>) -> Self {
        Refusal(AckError::new(code, message))
    }

    pub(crate) fn bad(message: impl Into<String>) -> Self {
        Self::new(AckErrorCode::BadRequest, message)
    }

    pub(crate) fn code(&self) -> AckErrorCode {
        self.0.code
    }
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound | StoreError::UnknownWorkspace => {
                Refusal::new(AckErrorCode::NotFound, "no such room")
            }
            StoreError::Unavailable(_) | StoreError::Busy => Refusal::new(
                AckErrorCode::Unavailable,
                "the database is unreachable; try again",
            ),
            e => {
                tracing::error!(error = %e, "socket request failed");
                Refusal::new(AckErrorCode::Internal, "an unexpected error occurred")
            }
        }
    }
}

/// A request payload, or the bad-request refusal with the shape it should have had.
pub(crate) fn request<T>(
    data: Result<Object<T>, ParserError>,
    shape: &'static str,
) -> Result<T, Refusal> {
    data.map(|Object(t)| t).map_err(|_| Refusal::bad(shape))
}

/// Sends the ack of a request.
pub(crate) fn reply<A: Adapter, T: Serialize>(ack: AckSender<A>, result: Result<T, Refusal>) {
    let sent = match result {
        Ok(body) => ack.send(&body),
        Err(Refusal(e)) => ack.send(&ErrorAck::from(e)),
    };
    if let Err(e) = sent {
        tracing::debug!(error = %e, "ack not sent");
    }
}
