//! HTTP routes, one module per resource.

pub mod activities;
pub mod auth;
pub mod campaigns;
pub mod dashboard;
pub mod events;
pub mod import;
pub mod leads;
pub mod ops;
pub mod team;
pub mod tokens;
pub mod webhooks;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use headers::HeaderMapExt;
use kandid_store::PageOf;
use serde::Serialize;
use utoipa::ToSchema;

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListResponse<T: ToSchema> {
    pub data: Vec<T>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
    /// Number of rows matching the filters, over all pages.
    pub total: u64,
}

impl<T: ToSchema> From<PageOf<T>> for ListResponse<T> {
    fn from(p: PageOf<T>) -> Self {
        ListResponse {
            data: p.data,
            next_cursor: p.next_cursor,
            total: p.total,
        }
    }
}

/// A page of leads written by hand: the keys as the constant bytes they are, the texts
/// escaped by sonic-rs (16 bytes at a time). The bytes are serde_json's
/// (`leads_are_written_as_serde_json_writes_them`). Written through serde, escaping the
/// same fourteen keys for every lead and serde_json's byte-at-a-time loop were a quarter
/// of a list's instructions (BENCHMARKS.md).
pub(crate) struct LeadList(pub ListResponse<kandid_domain::views::LeadView>);

impl LeadList {
    fn to_json(&self) -> sonic_rs::Result<Vec<u8>> {
        let list = &self.0;
        let mut out = Vec::with_capacity(128 + 512 * list.data.len());
        out.extend_from_slice(b"{\"data\":[");
        for (i, lead) in list.data.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_lead(&mut out, lead)?;
        }
        out.extend_from_slice(b"],\"next_cursor\":");
        write_text_or_null(&mut out, list.next_cursor.as_deref())?;
        out.extend_from_slice(b",\"total\":");
        out.extend_from_slice(itoa::Buffer::new().format(list.total).as_bytes());
        out.push(b'}');
        Ok(out)
    }
}

/// One lead as `LeadView`'s `Serialize` writes it: its fields in order, times by `ts`.
fn write_lead(out: &mut Vec<u8>, l: &kandid_domain::views::LeadView) -> sonic_rs::Result<()> {
    use kandid_domain::views::ts;
    let mut id = uuid::Uuid::encode_buffer();
    let mut put_id = |out: &mut Vec<u8>, key: &[u8], v: &uuid::Uuid| {
        out.extend_from_slice(key);
        out.push(b'"');
        out.extend_from_slice(v.hyphenated().encode_lower(&mut id).as_bytes());
        out.push(b'"');
    };
    put_id(out, b"{\"id\":", &l.id);
    put_id(out, b",\"campaign_id\":", &l.campaign_id);
    out.extend_from_slice(b",\"name\":");
    sonic_rs::to_writer(&mut *out, &l.name)?;
    for (key, v) in [
        (&b",\"email\":"[..], &l.email),
        (b",\"company\":", &l.company),
        (b",\"title\":", &l.title),
        (b",\"linkedin_url\":", &l.linkedin_url),
    ] {
        out.extend_from_slice(key);
        write_text_or_null(out, v.as_deref())?;
    }
    // Statuses are snake_case words: nothing to escape.
    for (key, v) in [
        (&b",\"status\":\""[..], l.status.as_str()),
        (b"\",\"connection_status\":\"", l.connection_status.as_str()),
    ] {
        out.extend_from_slice(key);
        out.extend_from_slice(v.as_bytes());
    }
    out.extend_from_slice(b"\",\"notes\":");
    write_text_or_null(out, l.notes.as_deref())?;
    out.extend_from_slice(b",\"last_activity_at\":");
    match &l.last_activity_at {
        Some(t) => ts::write_json(t, out),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"version\":");
    out.extend_from_slice(itoa::Buffer::new().format(l.version).as_bytes());
    out.extend_from_slice(b",\"created_at\":");
    ts::write_json(&l.created_at, out);
    out.extend_from_slice(b",\"updated_at\":");
    ts::write_json(&l.updated_at, out);
    out.push(b'}');
    Ok(())
}

fn write_text_or_null(out: &mut Vec<u8>, v: Option<&str>) -> sonic_rs::Result<()> {
    match v {
        Some(text) => sonic_rs::to_writer(&mut *out, text),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

impl IntoResponse for LeadList {
    fn into_response(self) -> Response {
        match self.to_json() {
            Ok(body) => (
                [(
                    axum::http::header::CONTENT_TYPE,
                    axum::http::HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response(),
            Err(e) => {
                crate::error::ApiError::Internal(format!("writing a list: {e}")).into_response()
            }
        }
    }
}

/// A JSON entity response with its `ETag`.
pub(crate) fn entity<T: Serialize>(status: StatusCode, body: &T, version: i64) -> Response {
    let mut res = (status, Json(body)).into_response();
    if let Some(tag) = crate::extract::etag(version) {
        res.headers_mut().typed_insert(tag);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use kandid_domain::status::{ConnectionStatus, LeadStatus};
    use kandid_domain::views::LeadView;

    fn lead(text: &str, set: bool) -> LeadView {
        let at = Utc
            .timestamp_opt(1_796_000_000, 123_000_000)
            .single()
            .unwrap_or_default();
        let opt = |t: &str| set.then(|| t.to_owned());
        LeadView {
            id: uuid::Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0001),
            campaign_id: uuid::Uuid::from_u128(u128::MAX),
            name: text.to_owned(),
            email: opt(text),
            company: opt(text),
            title: opt(text),
            linkedin_url: opt(text),
            status: if set {
                LeadStatus::DoNotContact
            } else {
                LeadStatus::Pending
            },
            connection_status: ConnectionStatus::NotConnected,
            notes: opt(text),
            last_activity_at: set.then_some(at),
            version: if set { i64::MAX } else { 1 },
            created_at: at,
            updated_at: at,
        }
    }

    /// Every character class a lead's text can hold, at every offset and length around
    /// sonic-rs's 16- and 32-byte blocks, and every field set and unset: the bytes sonic-rs
    /// writes are serde_json's.
    #[test]
    fn leads_are_written_as_serde_json_writes_them() {
        let alphabet: Vec<char> = (0_u32..0x80)
            .filter_map(char::from_u32)
            .chain([
                'é',
                'ß',
                '€',
                '\u{2028}',
                '\u{2029}',
                '\u{feff}',
                '😀',
                '\u{10ffff}',
            ])
            .collect();
        let mut x: u64 = 0x0123_4567_89ab_cdef;
        let mut texts = vec![String::new(), "\"\\/\u{7f}".to_owned()];
        for len in 0..80 {
            for _ in 0..25 {
                let text: String = (0..len)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        // Mostly plain letters, as names are, with the rest mixed in.
                        if x.is_multiple_of(4) {
                            alphabet[usize::try_from(x >> 8).unwrap_or(0) % alphabet.len()]
                        } else {
                            'a'
                        }
                    })
                    .collect();
                texts.push(text);
            }
        }
        for (i, chunk) in texts.chunks(50).enumerate() {
            let list = ListResponse {
                data: chunk
                    .iter()
                    .enumerate()
                    .map(|(j, t)| lead(t, (i + j) % 2 == 0))
                    .collect(),
                next_cursor: (i % 2 == 0).then(|| chunk[0].clone()),
                total: u64::MAX - u64::try_from(i).unwrap_or(0),
            };
            let list = LeadList(list);
            let ours = list.to_json().map_err(|e| e.to_string());
            let theirs = serde_json::to_vec(&list.0).map_err(|e| e.to_string());
            assert_eq!(ours, theirs, "chunk {i}: {chunk:?}");
        }
        assert!(texts.len() > 1_900);
    }
}
