//! Synthetic leads: every row has a unique name, e-mail, company, title and LinkedIn URL,
//! and statuses vary, so that filters and substring search have something to find.

use serde::Serialize;

/// A substring of about 1 % of lead names (case-insensitively), for the search read.
pub const SEARCH_TERM: &str = "zephyr";

const FIRST: [&str; 8] = [
    "Ada", "Brook", "Cyrus", "Dana", "Emil", "Farah", "Goran", "Hana",
];
const SURNAMES: [&str; 9] = [
    "Alvarez", "Brandt", "Chen", "Duarte", "Eriksen", "Fujita", "Garnier", "Haddad", "Ivanova",
];
const COMPANIES: [&str; 12] = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vehement",
    "Massive Dynamic",
    "Soylent",
    "Tyrell",
    "Wonka",
    "Cyberdyne",
    "Stark",
];
const TITLES: [&str; 8] = [
    "CTO",
    "VP Engineering",
    "Head of Sales",
    "Founder",
    "Product Manager",
    "Recruiter",
    "Staff Engineer",
    "Marketing Lead",
];
/// Skewed like a real pipeline: most leads not yet contacted, few converted.
const STATUSES: [&str; 10] = [
    "pending",
    "pending",
    "pending",
    "pending",
    "contacted",
    "contacted",
    "contacted",
    "responded",
    "converted",
    "do_not_contact",
];
const CONNECTION: [&str; 3] = ["not_connected", "pending", "connected"];

/// One row of an import or the body of `POST /api/leads` (with `campaign_id`).
#[derive(Debug, Clone, Serialize)]
pub struct LeadRow {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<String>,
    pub name: String,
    pub email: String,
    pub company: String,
    pub title: String,
    pub linkedin_url: String,
    pub status: &'static str,
    pub connection_status: &'static str,
}

/// Lead number `i` of a run tagged `tag`; `tag` keeps rows of different runs apart when
/// they land in one workspace.
#[must_use]
pub fn lead(tag: &str, i: u64) -> LeadRow {
    let pick = |n: usize| usize::try_from(i % n as u64).unwrap_or(0);
    let surname = if i % 100 == 42 {
        "Zephyr"
    } else {
        SURNAMES[pick(SURNAMES.len())]
    };
    // The connection status cycles at another rate than the status, so every combination
    // of the two occurs.
    let connection = CONNECTION[usize::try_from((i / 10) % 3).unwrap_or(0)];
    LeadRow {
        campaign_id: None,
        name: format!("{} {surname} {i:07}", FIRST[pick(FIRST.len())]),
        email: format!("lead-{tag}-{i}@example.com"),
        company: format!("{} {i:07}", COMPANIES[pick(COMPANIES.len())]),
        title: format!("{} #{i}", TITLES[pick(TITLES.len())]),
        linkedin_url: format!("https://www.linkedin.com/in/{tag}-{i}"),
        status: STATUSES[pick(STATUSES.len())],
        connection_status: connection,
    }
}

/// Leads `from..to` as a JSON array, the body of an import.
pub fn import_body(tag: &str, from: u64, to: u64) -> serde_json::Result<Vec<u8>> {
    let rows: Vec<LeadRow> = (from..to).map(|i| lead(tag, i)).collect();
    serde_json::to_vec(&rows)
}

/// A short random tag for a run.
#[must_use]
pub fn run_tag() -> String {
    // The tail of a v7 UUID is random; its head is the clock and would repeat within a ms.
    let s = uuid::Uuid::now_v7().simple().to_string();
    s[s.len() - 8..].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_unique_and_searchable() {
        let rows: Vec<_> = (0..1000).map(|i| lead("t", i)).collect();
        let names: std::collections::HashSet<_> = rows.iter().map(|r| &r.name).collect();
        assert_eq!(names.len(), rows.len());
        let hits = rows
            .iter()
            .filter(|r| r.name.to_lowercase().contains(SEARCH_TERM))
            .count();
        assert_eq!(hits, 10);
        let statuses: std::collections::HashSet<_> = rows
            .iter()
            .map(|r| (r.status, r.connection_status))
            .collect();
        assert_eq!(statuses.len(), 15);
    }

    #[test]
    fn a_full_import_fits_the_body_limit() -> serde_json::Result<()> {
        // Both servers take at most 50 MiB per import; the largest row numbers a 1M seed
        // plus imports reach make the longest rows.
        let body = import_body("abcdef12", 9_900_000, 10_000_000)?;
        assert!(
            body.len() < 50 * 1024 * 1024,
            "{} bytes for 100 000 rows",
            body.len()
        );
        Ok(())
    }
}
