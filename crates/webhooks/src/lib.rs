//! Webhooks of kandid: where they may point ([`guard`]), how deliveries are signed
//! ([`sign`]), and the worker that delivers each webhook's events from the log, in order,
//! at least once ([`worker`]).

pub mod guard;
pub mod sign;
pub mod worker;

pub use guard::Policy;
pub use worker::{Settings, Wakers, Worker, spawn};
