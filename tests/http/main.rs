//! Black-box HTTP tests against the real server on a random port.

mod auth;
mod campaigns;
mod openapi;
