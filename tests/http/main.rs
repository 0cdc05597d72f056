//! Black-box HTTP tests against the real server on a random port.

mod activity;
mod auth;
mod authority;
mod campaigns;
mod counts;
mod edge;
mod errors;
mod hardening;
mod import;
mod import_staging;
mod isolation;
mod leads;
mod limits;
mod openapi;
mod plans;
mod roles;
mod search;
mod sessions;
mod teams;
mod webhooks;
