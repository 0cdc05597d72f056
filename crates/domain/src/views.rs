//! The shapes clients see: entities as the REST API returns them and as events carry them.

use crate::status::{
    Action, CampaignStatus, ConnectionStatus, EventType, LeadStatus, Role, StepKind,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

pub use crate::limits::{MAX_DELAY_HOURS, MAX_STEPS, MAX_TEMPLATE_CHARS};

/// Timestamps on the wire: RFC 3339 in UTC, always with milliseconds
/// (`2026-11-25T16:01:02.000Z`), so they have one width and sort as strings too.
pub mod ts {
    use chrono::{DateTime, SecondsFormat, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0; MILLIS_LEN];
        match millis(t, &mut buf) {
            Some(text) => s.serialize_str(text),
            None => s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Millis, true)),
        }
    }

    /// `t` as a JSON string, as `serialize` writes it, appended to `out` (for answers
    /// written by hand: RFC 3339 needs no escaping).
    pub fn write_json(t: &DateTime<Utc>, out: &mut Vec<u8>) {
        let mut buf = [0; MILLIS_LEN];
        out.push(b'"');
        match millis(t, &mut buf) {
            Some(text) => out.extend_from_slice(text.as_bytes()),
            None => {
                out.extend_from_slice(t.to_rfc3339_opts(SecondsFormat::Millis, true).as_bytes())
            }
        }
        out.push(b'"');
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    const MILLIS_LEN: usize = 24;

    /// `t` as `to_rfc3339_opts(SecondsFormat::Millis, true)` writes it, written into `buf`
    /// without chrono's formatting machinery or an allocation: a list of 50 leads has up to
    /// 150 times, and writing them was 8 % of its instructions. `None` for what chrono writes
    /// another way: years beyond 0–9999 and leap seconds.
    fn millis<'a>(t: &DateTime<Utc>, buf: &'a mut [u8; MILLIS_LEN]) -> Option<&'a str> {
        use chrono::{Datelike, Timelike};
        let t = t.naive_utc();
        let year = u32::try_from(t.year()).ok().filter(|y| *y <= 9999)?;
        let nanos = t.nanosecond();
        if nanos >= 1_000_000_000 {
            return None;
        }
        let mut at = 0;
        let mut put = |n: u32, width: usize, after: u8| {
            let mut n = n;
            for digit in buf[at..at + width].iter_mut().rev() {
                // A digit: always below 10.
                *digit = b'0' + u8::try_from(n % 10).unwrap_or(0);
                n /= 10;
            }
            buf[at + width] = after;
            at += width + 1;
        };
        put(year, 4, b'-');
        put(t.month(), 2, b'-');
        put(t.day(), 2, b'T');
        put(t.hour(), 2, b':');
        put(t.minute(), 2, b':');
        put(t.second(), 2, b'.');
        put(nanos / 1_000_000, 3, b'Z');
        std::str::from_utf8(buf).ok()
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use chrono::{Datelike, TimeZone, Timelike};

        /// Every time written as chrono writes it, across the years, days, leap seconds
        /// and sub-millisecond parts.
        #[test]
        fn times_are_written_as_chrono_writes_them() {
            let mut seen = 0;
            let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
            let mut check = |t: DateTime<Utc>| {
                let mut buf = [0; MILLIS_LEN];
                let expected = t.to_rfc3339_opts(SecondsFormat::Millis, true);
                match millis(&t, &mut buf) {
                    Some(text) => {
                        assert_eq!(text, expected);
                        seen += 1;
                    }
                    None => assert!(
                        t.year() > 9999 || t.year() < 0 || t.nanosecond() >= 1_000_000_000,
                        "{expected}"
                    ),
                }
            };
            for _ in 0..20_000 {
                // xorshift: times from year 0 to beyond 9999, to the nanosecond.
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let secs = i64::try_from(x % 350_000_000_000).unwrap_or(0) - 62_167_219_200;
                let nanos = u32::try_from(x % 1_000_000_000).unwrap_or(0);
                if let Some(t) = Utc.timestamp_opt(secs, nanos).single() {
                    check(t);
                }
            }
            for text in [
                "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999Z",
                "2026-12-04T23:59:60.5Z",
                "2024-02-29T12:00:00.0005Z",
                "-0001-06-01T00:00:00Z",
                "10000-01-01T00:00:00Z",
            ] {
                if let Ok(t) = DateTime::parse_from_rfc3339(text) {
                    check(t.with_timezone(&Utc));
                }
            }
            assert!(seen > 10_000, "{seen}");
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        DateTime::<Utc>::deserialize(d)
    }

    pub mod option {
        use super::{DateTime, Deserialize, Deserializer, Serializer, Utc};

        pub fn serialize<S: Serializer>(
            t: &Option<DateTime<Utc>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => super::serialize(t, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            Option::<DateTime<Utc>>::deserialize(d)
        }
    }
}

/// One step of a campaign's outreach sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Step {
    pub kind: StepKind,
    /// Hours to wait before the step, 0–2160.
    pub delay_hours: i64,
    /// Message template, at most 8000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WorkspaceView {
    pub id: Uuid,
    pub name: String,
    #[serde(with = "ts")]
    pub created_at: DateTime<Utc>,
}

/// A member of a workspace, as `GET /api/workspace/members` and `members_updated` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MemberView {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    #[serde(with = "ts")]
    pub joined_at: DateTime<Utc>,
}

/// A workspace the caller belongs to, with their role in it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MembershipView {
    pub workspace: WorkspaceView,
    pub role: Role,
    #[serde(with = "ts")]
    pub joined_at: DateTime<Utc>,
}

/// An open invitation (its token is shown only once, when it is created).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InvitationView {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub invited_by: Uuid,
    #[serde(with = "ts")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "ts")]
    pub expires_at: DateTime<Utc>,
}

/// An integration token (its JWT is shown only once, when it is created).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApiTokenView {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub created_by: Uuid,
    #[serde(with = "ts")]
    pub created_at: DateTime<Utc>,
    /// Null: valid until revoked.
    #[serde(with = "ts::option")]
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    /// The user's role in `workspace_id` (the workspace of the token).
    pub role: Role,
    pub workspace_id: Uuid,
    #[serde(with = "ts")]
    pub created_at: DateTime<Utc>,
}

/// Lead counts of a campaign and the rates derived from them (all rates 0–1; 0 when the
/// denominator is 0).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CampaignStats {
    pub total_leads: i64,
    /// Number of leads per lead status; every status is present.
    pub by_status: BTreeMap<String, i64>,
    /// Number of leads per connection status; every status is present.
    pub by_connection_status: BTreeMap<String, i64>,
    /// connected / (pending + connected), by connection status.
    pub acceptance_rate: f64,
    /// (responded + converted) / (contacted + responded + converted).
    pub response_rate: f64,
    /// converted / all leads.
    pub conversion_rate: f64,
    /// Leads not `pending` / all leads.
    pub progress: f64,
}

impl CampaignStats {
    /// Builds the stats from `(status, connection_status, count)` groups.
    #[must_use]
    pub fn from_groups(groups: &[(LeadStatus, ConnectionStatus, i64)]) -> Self {
        let mut by_status: BTreeMap<String, i64> = LeadStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), 0))
            .collect();
        let mut by_conn: BTreeMap<String, i64> = ConnectionStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), 0))
            .collect();
        let mut total = 0;
        for &(s, c, n) in groups {
            *by_status.entry(s.as_str().to_owned()).or_default() += n;
            *by_conn.entry(c.as_str().to_owned()).or_default() += n;
            total += n;
        }
        let rates = Rates::from_counts(&by_status, &by_conn, total);
        let st = |s: LeadStatus| by_status.get(s.as_str()).copied().unwrap_or(0);
        let progress = ratio(total - st(LeadStatus::Pending), total);
        Self {
            total_leads: total,
            acceptance_rate: rates.acceptance_rate,
            response_rate: rates.response_rate,
            conversion_rate: rates.conversion_rate,
            progress,
            by_status,
            by_connection_status: by_conn,
        }
    }
}

/// The three rates shared by campaign stats and the dashboard.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    pub acceptance_rate: f64,
    pub response_rate: f64,
    pub conversion_rate: f64,
}

impl Rates {
    #[must_use]
    pub fn from_counts(
        by_status: &BTreeMap<String, i64>,
        by_conn: &BTreeMap<String, i64>,
        total: i64,
    ) -> Self {
        let st = |s: LeadStatus| by_status.get(s.as_str()).copied().unwrap_or(0);
        let cs = |s: ConnectionStatus| by_conn.get(s.as_str()).copied().unwrap_or(0);
        let connected = cs(ConnectionStatus::Connected);
        let responded = st(LeadStatus::Responded) + st(LeadStatus::Converted);
        Self {
            acceptance_rate: ratio(connected, cs(ConnectionStatus::Pending) + connected),
            response_rate: ratio(responded, st(LeadStatus::Contacted) + responded),
            conversion_rate: ratio(st(LeadStatus::Converted), total),
        }
    }
}

#[allow(clippy::cast_precision_loss)]
fn ratio(num: i64, den: i64) -> f64 {
    if den <= 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CampaignView {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub status: CampaignStatus,
    pub daily_limit: i64,
    pub sequence: Vec<Step>,
    pub stats: CampaignStats,
    pub version: i64,
    #[serde(with = "ts")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "ts")]
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeadView {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub linkedin_url: Option<String>,
    pub status: LeadStatus,
    pub connection_status: ConnectionStatus,
    pub notes: Option<String>,
    #[serde(with = "ts::option")]
    pub last_activity_at: Option<DateTime<Utc>>,
    pub version: i64,
    #[serde(with = "ts")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "ts")]
    pub updated_at: DateTime<Utc>,
}

/// `entity_type` of an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntityType {
    Campaign,
    Lead,
    /// A membership: `entity_id` is the user's id.
    Member,
}

impl EntityType {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Campaign => "campaign",
            EntityType::Lead => "lead",
            EntityType::Member => "member",
        }
    }

    /// The event that announces a change of this kind of entity.
    #[must_use]
    pub fn event_type(self) -> EventType {
        match self {
            EntityType::Campaign => EventType::CampaignsUpdated,
            EntityType::Lead => EventType::LeadsUpdated,
            EntityType::Member => EventType::MembersUpdated,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActivityView {
    pub id: Uuid,
    pub actor_id: Uuid,
    pub entity_type: EntityType,
    /// The entity's id; null for bulk actions.
    pub entity_id: Option<Uuid>,
    pub campaign_id: Option<Uuid>,
    pub action: Action,
    /// Changed fields with `[old, new]` values.
    #[schema(schema_with = crate::schema::activity_changes)]
    pub changes: serde_json::Value,
    #[serde(with = "ts")]
    pub created_at: DateTime<Utc>,
}

/// A committed change, as delivered on the socket and by `GET /api/events`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EventView {
    /// Per-workspace sequence number: from 1, gapless, in commit order.
    pub seq: i64,
    /// The event's name, so replayed events reach the same handlers.
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub action: Action,
    /// The entity's id; null for bulk actions.
    pub id: Option<Uuid>,
    pub campaign_id: Option<Uuid>,
    /// The entity as the REST API returned it at that commit; null on delete and bulk.
    #[schema(schema_with = crate::schema::event_data)]
    pub data: serde_json::Value,
    /// Names of the fields whose value changed (empty on create and delete).
    pub changes: Vec<String>,
    /// 1, or the number of rows of a bulk action.
    pub count: i64,
    pub actor_id: Uuid,
    #[serde(with = "ts")]
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct CountsByStatus {
    pub total: i64,
    pub by_status: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct LeadCounts {
    pub total: i64,
    pub by_status: BTreeMap<String, i64>,
    pub by_connection_status: BTreeMap<String, i64>,
}

/// Workspace-wide metrics.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DashboardView {
    pub campaigns: CountsByStatus,
    pub leads: LeadCounts,
    pub acceptance_rate: f64,
    pub response_rate: f64,
    pub conversion_rate: f64,
    /// The ten newest activities.
    pub recent_activity: Vec<ActivityView>,
    /// The latest event sequence number these metrics reflect.
    pub seq: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_rates() {
        use ConnectionStatus as C;
        use LeadStatus as L;
        let s = CampaignStats::from_groups(&[
            (L::Pending, C::NotConnected, 2),
            (L::Contacted, C::Pending, 1),
            (L::Responded, C::Connected, 1),
            (L::Converted, C::Connected, 1),
        ]);
        assert_eq!(s.total_leads, 5);
        assert!((s.acceptance_rate - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.response_rate - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.conversion_rate - 0.2).abs() < 1e-9);
        assert!((s.progress - 0.6).abs() < 1e-9);
        assert_eq!(CampaignStats::from_groups(&[]).acceptance_rate, 0.0);
    }
}
