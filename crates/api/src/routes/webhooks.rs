//! `/api/webhooks`: HTTP receivers of the workspace's events (see `kandid_webhooks` for the
//! delivery). Admin and owner only, reads included: a webhook's URL often carries a
//! credential of the receiving system, and its delivery log tells about the receiver.

use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Admin, AppJson, AppQuery, IdPath, RequireRole};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeDelta, Utc};
use kandid_domain::EventType;
use kandid_domain::input::{DESCRIPTION_MAX, JsonInt, Patch};
use kandid_domain::validate::Validator;
use kandid_store::webhooks::{NewWebhook, Webhook, WebhookPatch};
use kandid_webhooks::{Policy, guard, sign};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

/// How long a rotated-out secret keeps signing, beside the new one.
pub const ROTATION_OVERLAP: TimeDelta = TimeDelta::hours(24);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_webhook, list_webhooks))
        .routes(routes!(get_webhook, update_webhook, delete_webhook))
        .routes(routes!(rotate_webhook_secret))
        .routes(routes!(list_webhook_deliveries))
        .routes(routes!(replay_webhook))
}

/// A new webhook.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WebhookInput {
    /// `https://…` (or `http://…` where the server allows it); its host must resolve to
    /// public addresses only.
    pub url: Option<String>,
    /// Event names it receives; omitted or null: all of them.
    #[schema(value_type = Option<Vec<EventType>>)]
    pub events: Option<Vec<String>>,
    /// At most 2000 characters.
    pub description: Option<String>,
}

/// A change of a webhook: omitted fields stay, `null` clears `description` (and sets
/// `events` back to all).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct WebhookPatchInput {
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    pub url: Patch<String>,
    #[schema(value_type = Option<Vec<EventType>>)]
    #[serde(default)]
    pub events: Patch<Vec<String>>,
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    pub description: Patch<String>,
    /// `true` resumes a disabled webhook from the first event it did not deliver.
    #[schema(value_type = Option<bool>)]
    #[serde(default)]
    pub enabled: Patch<bool>,
}

/// A webhook (never with its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookView {
    pub id: Uuid,
    /// The admin who made it: when they leave the workspace it is disabled, so that they
    /// stop receiving its events (another admin may enable it again).
    pub created_by: Uuid,
    pub url: String,
    pub events: Vec<EventType>,
    pub description: Option<String>,
    pub enabled: bool,
    #[serde(with = "kandid_domain::views::ts")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "kandid_domain::views::ts")]
    pub updated_at: DateTime<Utc>,
    /// The last event of the workspace it is done with (got a 2xx, or not among `events`).
    pub last_delivered_seq: i64,
    /// Since when deliveries fail without a success; null while they succeed.
    #[serde(with = "kandid_domain::views::ts::option")]
    pub failing_since: Option<DateTime<Utc>>,
    /// The last failure while `failing_since` is set.
    pub last_error: Option<String>,
    /// Why it was disabled, or which events past the log's retention it never got.
    pub disabled_reason: Option<String>,
}

impl From<Webhook> for WebhookView {
    fn from(w: Webhook) -> Self {
        Self {
            id: w.id,
            created_by: w.created_by,
            url: w.url,
            events: w.events,
            description: w.description,
            enabled: w.enabled,
            created_at: w.created_at,
            updated_at: w.updated_at,
            last_delivered_seq: w.last_delivered_seq,
            failing_since: w.failing_since,
            last_error: w.last_error,
            disabled_reason: w.disabled_reason,
        }
    }
}

/// A webhook with its signing secret (shown only when created or rotated).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookWithSecret {
    #[serde(flatten)]
    pub webhook: WebhookView,
    /// `whsec_` + base64 of 32 random bytes: the key of the `webhook-signature` HMAC.
    pub secret: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Webhooks {
    /// Oldest first.
    pub data: Vec<WebhookView>,
}

/// One delivery attempt.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    /// The event's `seq`.
    pub seq: i64,
    /// 1 for the first attempt at this event, then 2, 3, …
    pub attempt: i32,
    /// The receiver's HTTP status; null when it did not answer.
    pub status: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i64,
    #[serde(with = "kandid_domain::views::ts")]
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Deliveries {
    /// Newest first.
    pub data: Vec<DeliveryView>,
    /// Pass as `cursor` for older attempts; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// 1–200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReplayInput {
    /// Events after this `seq` are sent again, in order, before the webhook continues.
    #[schema(value_type = i64, minimum = 0)]
    pub since: Option<JsonInt>,
}

fn event_names(v: &mut Validator, names: Option<&Vec<String>>) -> Option<Vec<EventType>> {
    let Some(names) = names else {
        return Some(EventType::ALL.to_vec());
    };
    if names.is_empty() {
        v.push("events", "required", "must name at least one event");
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for (i, n) in names.iter().enumerate() {
        match n.parse::<EventType>() {
            Ok(e) if !out.contains(&e) => out.push(e),
            Ok(_) => {}
            Err(e) => {
                v.push(format!("events[{i}]"), "invalid_value", e.to_string());
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// The URL checked for `policy` (its form, then its host's addresses), as it is stored.
async fn checked_url(v: &mut Validator, policy: Policy, raw: Option<&String>) -> Option<String> {
    let Some(raw) = raw else {
        v.push("url", "required", "is required");
        return None;
    };
    if !v.printable("url", raw) {
        return None;
    }
    match guard::check(policy, raw).await {
        Ok(u) => Some(u.to_string()),
        Err(message) => {
            v.push("url", "invalid_url", message);
            None
        }
    }
}

/// Create a webhook
///
/// Admin or owner. It receives the events committed from now on that match `events`. The
/// `secret` is in this response only (and in the one of a rotation).
#[utoipa::path(post, path = "/api/webhooks", tag = "webhooks", request_body = WebhookInput,
    security(("bearer" = [])),
    responses(
        (status = 201, body = WebhookWithSecret),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem, description = "The workspace has its 20 webhooks already"),
        (status = 415, body = Problem), (status = 422, body = Problem),
    ))]
async fn create_webhook(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Admin>,
    AppJson(input): AppJson<WebhookInput>,
) -> ApiResult<(StatusCode, axum::Json<WebhookWithSecret>)> {
    let mut v = Validator::new();
    let url = checked_url(&mut v, s.webhooks, input.url.as_ref()).await;
    let events = event_names(&mut v, input.events.as_ref());
    let description = v.optional_text("description", input.description.as_deref(), DESCRIPTION_MAX);
    let (url, events) = v.finish((url, events))?;
    let (Some(url), Some(events)) = (url, events) else {
        return Err(ApiError::Internal(
            "validated webhook without url or events".into(),
        ));
    };
    let secret = sign::new_secret();
    let w = s
        .store
        .create_webhook(
            user.workspace_id,
            user.actor(),
            NewWebhook {
                url,
                events,
                description,
                secret: secret.clone(),
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(WebhookWithSecret {
            webhook: w.into(),
            secret,
        }),
    ))
}

/// Webhooks
///
/// Admin or owner.
#[utoipa::path(get, path = "/api/webhooks", tag = "webhooks", security(("bearer" = [])),
    responses(
        (status = 200, body = Webhooks),
        (status = 401, body = Problem), (status = 403, body = Problem),
    ))]
async fn list_webhooks(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Admin>,
) -> ApiResult<axum::Json<Webhooks>> {
    let data = s.store.webhooks(user.workspace_id).await?;
    Ok(axum::Json(Webhooks {
        data: data.into_iter().map(Into::into).collect(),
    }))
}

/// A webhook
///
/// Admin or owner.
#[utoipa::path(get, path = "/api/webhooks/{id}", tag = "webhooks", params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = WebhookView),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
    ))]
async fn get_webhook(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Admin>,
    IdPath(id): IdPath,
) -> ApiResult<axum::Json<WebhookView>> {
    Ok(axum::Json(
        s.store.webhook(user.workspace_id, id).await?.into(),
    ))
}

/// Change a webhook
///
/// Admin or owner. Enabling a disabled webhook resumes it from the first event it did not
/// deliver (or, past the log's retention, from the oldest kept; `disabled_reason` then says
/// what was skipped).
#[utoipa::path(patch, path = "/api/webhooks/{id}", tag = "webhooks", params(("id" = Uuid, Path)),
    request_body = WebhookPatchInput, security(("bearer" = [])),
    responses(
        (status = 200, body = WebhookView),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem),
    ))]
async fn update_webhook(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Admin>,
    IdPath(id): IdPath,
    AppJson(input): AppJson<WebhookPatchInput>,
) -> ApiResult<axum::Json<WebhookView>> {
    // 404 before 422: another workspace's webhook is not there, whatever the body says.
    s.store.webhook(user.workspace_id, id).await?;
    let mut v = Validator::new();
    let mut patch = WebhookPatch::default();
    match &input.url {
        Patch::Omitted => {}
        Patch::Null => v.push("url", "required", "is required"),
        Patch::Value(u) => patch.url = checked_url(&mut v, s.webhooks, Some(u)).await,
    }
    match &input.events {
        Patch::Omitted => {}
        Patch::Null => patch.events = event_names(&mut v, None),
        Patch::Value(e) => patch.events = event_names(&mut v, Some(e)),
    }
    match &input.description {
        Patch::Omitted => {}
        Patch::Null => patch.description = Some(None),
        Patch::Value(d) => {
            patch.description = Some(v.optional_text("description", Some(d), DESCRIPTION_MAX));
        }
    }
    match input.enabled {
        Patch::Omitted => {}
        Patch::Null => v.push("enabled", "required", "must be true or false"),
        Patch::Value(e) => patch.enabled = Some(e),
    }
    let patch = v.finish(patch)?;
    let w = s
        .store
        .update_webhook(user.workspace_id, user.actor(), id, patch)
        .await?;
    Ok(axum::Json(w.into()))
}

/// Delete a webhook
///
/// Admin or owner. Its delivery log goes with it.
#[utoipa::path(delete, path = "/api/webhooks/{id}", tag = "webhooks", params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses(
        (status = 204),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
    ))]
async fn delete_webhook(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Admin>,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    s.store
        .delete_webhook(user.workspace_id, user.actor(), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Rotate a webhook's secret
///
/// Admin or owner. Returns the new secret; for 24 hours deliveries carry a signature with
/// the old secret too, so receivers can switch without losing an event.
#[utoipa::path(post, path = "/api/webhooks/{id}/secret", tag = "webhooks", params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = WebhookWithSecret),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
    ))]
async fn rotate_webhook_secret(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Admin>,
    IdPath(id): IdPath,
) -> ApiResult<axum::Json<WebhookWithSecret>> {
    let secret = sign::new_secret();
    let w = s
        .store
        .rotate_webhook_secret(
            user.workspace_id,
            user.actor(),
            id,
            secret.clone(),
            kandid_store::now() + ROTATION_OVERLAP,
        )
        .await?;
    Ok(axum::Json(WebhookWithSecret {
        webhook: w.into(),
        secret,
    }))
}

fn decode_cursor(c: &str) -> Option<Uuid> {
    let bytes = URL_SAFE_NO_PAD.decode(c).ok()?;
    Uuid::from_slice(&bytes).ok()
}

/// A webhook's delivery attempts
///
/// Admin or owner. Newest first; kept as long as the event log.
#[utoipa::path(get, path = "/api/webhooks/{id}/deliveries", tag = "webhooks",
    params(("id" = Uuid, Path), DeliveryQuery), security(("bearer" = [])),
    responses(
        (status = 200, body = Deliveries),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem),
    ))]
async fn list_webhook_deliveries(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Admin>,
    IdPath(id): IdPath,
    AppQuery(q): AppQuery<DeliveryQuery>,
) -> ApiResult<axum::Json<Deliveries>> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::BadRequest(
            "limit must be between 1 and 200".into(),
        ));
    }
    let before = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(decode_cursor(c).ok_or_else(|| ApiError::BadRequest("bad cursor".into()))?),
    };
    let (rows, next) = s
        .store
        .webhook_deliveries(user.workspace_id, id, limit, before)
        .await?;
    Ok(axum::Json(Deliveries {
        data: rows
            .into_iter()
            .map(|d| DeliveryView {
                seq: d.seq,
                attempt: d.attempt,
                status: d.status,
                error: d.error,
                duration_ms: d.duration_ms,
                at: d.at,
            })
            .collect(),
        next_cursor: next.map(|id| URL_SAFE_NO_PAD.encode(id.as_bytes())),
    }))
}

/// Send events again
///
/// Admin or owner. The events after `since` are sent again, in order, before the webhook
/// continues with new ones (a `since` at or after its position changes nothing).
#[utoipa::path(post, path = "/api/webhooks/{id}/replay", tag = "webhooks", params(("id" = Uuid, Path)),
    request_body = ReplayInput, security(("bearer" = [])),
    responses(
        (status = 202),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem),
    ))]
async fn replay_webhook(
    State(s): State<AppState>,
    RequireRole(user, _): RequireRole<Admin>,
    IdPath(id): IdPath,
    AppJson(input): AppJson<ReplayInput>,
) -> ApiResult<StatusCode> {
    s.store.webhook(user.workspace_id, id).await?;
    let mut v = Validator::new();
    let since = match input.since {
        None => {
            v.push("since", "required", "is required");
            0
        }
        Some(JsonInt(n)) => v.range("since", n, 0, i64::MAX).unwrap_or(0),
    };
    let since = v.finish(since)?;
    s.store
        .replay_webhook(user.workspace_id, user.actor(), id, since)
        .await?;
    Ok(StatusCode::ACCEPTED)
}
