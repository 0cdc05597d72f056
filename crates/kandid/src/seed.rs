//! `kandid seed`: fills a workspace with demo campaigns, leads and their history, through
//! the store's ordinary writes, so counters, activity and the event log are what the same
//! changes made over REST would have left.

use anyhow::{Context, bail};
use kandid_domain::input::{CampaignPatch, LeadPatch, NewCampaign, NewLead, RegisterInput};
use kandid_domain::views::Step;
use kandid_domain::{CampaignStatus, ConnectionStatus, LeadStatus, Role, StepKind};
use kandid_store::{Actor, Caller, EventSink, Revoked, Store, StoredEvent};
use rand::RngExt;
use std::sync::Arc;
use uuid::Uuid;

pub const DEMO_EMAIL: &str = "demo@example.com";

/// Whose workspace to fill.
#[derive(Debug, Clone, clap::Args)]
pub struct SeedArgs {
    /// E-mail of the account whose (oldest) workspace is filled; created when it does not
    /// exist yet.
    #[arg(long, default_value = DEMO_EMAIL)]
    pub email: String,
    /// Password of an account created by the seed (default: a random one, printed).
    #[arg(long, env = "SEED_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
}

/// What the seed made, and how to sign in to see it.
#[derive(Debug)]
pub struct Seeded {
    pub email: String,
    /// Set when the seed created the account.
    pub password: Option<String>,
    pub workspace_id: Uuid,
    pub workspace_name: String,
    pub campaigns: usize,
    pub leads: usize,
    pub latest_seq: i64,
}

/// The seed runs beside (or before) a server: its events are in the log, where every
/// client's `sync` finds them; there is no socket here to deliver them live.
struct NoSockets;

impl EventSink for NoSockets {
    fn reserve(&self, _: Uuid, _: i64) {}
    fn cancel(&self, _: Uuid, _: i64) {}
    fn publish(&self, _: StoredEvent) {}
    fn revoke(&self, _: Revoked) {}
}

pub async fn run(
    database: &crate::config::Database,
    write_timeout: std::time::Duration,
    args: SeedArgs,
) -> anyhow::Result<Seeded> {
    let db = crate::db::connect(&database.url(), crate::db::maintenance(database.wait)).await?;
    crate::db::migrate(&db).await?;
    let store = Store::new(db, Arc::new(NoSockets)).with_write_timeout(write_timeout);
    let (user_id, password) = account(&store, &args).await?;
    let membership = store
        .memberships_of(user_id)
        .await?
        .into_iter()
        .next()
        .with_context(|| format!("{} belongs to no workspace", args.email))?;
    let ws = membership.workspace.id;
    if membership.role == Role::Viewer {
        bail!(
            "{} is a viewer in {:?} and may not write",
            args.email,
            membership.workspace.name
        );
    }
    let existing = store.dashboard(ws).await?.campaigns.total;
    if existing > 0 {
        bail!(
            "the workspace {:?} of {} has {existing} campaign(s) already; seed fills an empty \
             workspace only (name another account with --email)",
            membership.workspace.name,
            args.email
        );
    }
    let mut leads = 0;
    for (i, plan) in CAMPAIGNS.iter().enumerate() {
        // Written as the workspace's owner would, role check included.
        let actor = Actor {
            caller: Caller {
                user_id,
                token_id: None,
                // As a token signed now would be.
                issued_at_ms: chrono::Utc::now().timestamp_millis(),
                session_id: None,
            },
            need: Role::Member,
        };
        leads += fill_campaign(&store, ws, actor, i, plan).await?;
    }
    Ok(Seeded {
        email: args.email,
        password,
        workspace_id: ws,
        workspace_name: membership.workspace.name,
        campaigns: CAMPAIGNS.len(),
        leads,
        latest_seq: store.latest_seq(ws).await?,
    })
}

/// The account's id, creating it (with a workspace of its own) when the e-mail is new.
async fn account(store: &Store, args: &SeedArgs) -> anyhow::Result<(Uuid, Option<String>)> {
    if let Some(acc) = store.account_by_email(args.email.trim()).await? {
        return Ok((acc.user_id, None));
    }
    let password = args.password.clone().unwrap_or_else(|| {
        rand::rng()
            .sample_iter(rand::distr::Alphanumeric)
            .take(16)
            .map(char::from)
            .collect()
    });
    let input = RegisterInput {
        name: Some("Demo User".into()),
        email: Some(args.email.clone()),
        password: Some(password.clone()),
        workspace_name: Some("Acme Outreach (demo)".into()),
        invitation: None,
    };
    let acc = input.validate().map_err(|errors| {
        let list: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        anyhow::anyhow!("invalid account: {}", list.join("; "))
    })?;
    let hash = kandid_api::routes::auth::hash_password(acc.password)
        .await
        .map_err(|e| anyhow::anyhow!("hashing the password: {e:?}"))?;
    let registered = store
        .register(acc.name, acc.email, hash, acc.workspace_name)
        .await?;
    Ok((registered.user.id, Some(password)))
}

struct CampaignPlan {
    name: &'static str,
    description: &'static str,
    status: CampaignStatus,
    daily_limit: i64,
    /// Where its leads stand: `(status, connection status, how many)`.
    leads: &'static [(LeadStatus, ConnectionStatus, usize)],
    /// Leads arrive as one CSV-style import rather than one by one.
    imported: bool,
}

use ConnectionStatus as C;
use LeadStatus as L;

const CAMPAIGNS: &[CampaignPlan] = &[
    CampaignPlan {
        name: "Q4 CTO outreach — fintech",
        description: "CTOs and VPs of engineering at Series B+ fintechs in Europe.",
        status: CampaignStatus::Active,
        daily_limit: 40,
        leads: &[
            (L::Pending, C::NotConnected, 6),
            (L::Contacted, C::Pending, 5),
            (L::Contacted, C::Connected, 4),
            (L::Responded, C::Connected, 4),
            (L::Converted, C::Connected, 3),
            (L::DoNotContact, C::NotConnected, 1),
        ],
        imported: false,
    },
    CampaignPlan {
        name: "Series A founders, Berlin",
        description: "Founders who raised a Series A in the last 12 months.",
        status: CampaignStatus::Active,
        daily_limit: 25,
        leads: &[
            (L::Pending, C::NotConnected, 5),
            (L::Contacted, C::Pending, 4),
            (L::Responded, C::Connected, 3),
            (L::Converted, C::Connected, 1),
        ],
        imported: false,
    },
    CampaignPlan {
        name: "Webinar attendees — re-engage",
        description: "Attendees of the spring data-platform webinar, imported from the CRM.",
        status: CampaignStatus::Paused,
        daily_limit: 60,
        leads: &[
            (L::Pending, C::NotConnected, 8),
            (L::Contacted, C::Connected, 2),
            (L::Responded, C::Connected, 1),
        ],
        imported: true,
    },
    CampaignPlan {
        name: "Hiring managers — data platform",
        description: "Heads of data hiring for platform roles; sequence still in review.",
        status: CampaignStatus::Draft,
        daily_limit: 50,
        leads: &[(L::Pending, C::NotConnected, 5)],
        imported: false,
    },
    CampaignPlan {
        name: "SaaStr follow-up",
        description: "People met at the booth; finished.",
        status: CampaignStatus::Completed,
        daily_limit: 30,
        leads: &[
            (L::Contacted, C::Connected, 2),
            (L::Responded, C::Connected, 2),
            (L::Converted, C::Connected, 2),
            (L::DoNotContact, C::Pending, 1),
        ],
        imported: false,
    },
];

const FIRST: &[&str] = &[
    "Ada",
    "Grace",
    "Alan",
    "Margaret",
    "Linus",
    "Barbara",
    "Dennis",
    "Frances",
    "Ken",
    "Radia",
    "Edsger",
    "Sophie",
    "Tim",
    "Hedy",
    "Donald",
    "Katherine",
    "Guido",
    "Anita",
    "Bjarne",
    "Joan",
];
const LAST: &[&str] = &[
    "Lovelace",
    "Hopper",
    "Turing",
    "Hamilton",
    "Torvalds",
    "Liskov",
    "Ritchie",
    "Allen",
    "Thompson",
    "Perlman",
    "Dijkstra",
    "Wilson",
    "Berners-Lee",
    "Lamarr",
    "Knuth",
    "Johnson",
    "van Rossum",
    "Borg",
    "Stroustrup",
    "Clarke",
];
const COMPANIES: &[&str] = &[
    "Northwind Bank",
    "Fjord Pay",
    "Ledgerly",
    "Quantum Loans",
    "Brightfin",
    "Kestrel Labs",
    "Orbit Health",
    "Paperplane",
    "Tidewater AI",
    "Monolith Data",
    "Helix Robotics",
];
const TITLES: &[&str] = &[
    "CTO",
    "VP Engineering",
    "Founder & CEO",
    "Head of Data",
    "Engineering Manager",
    "Director of Platform",
    "Co-founder",
];

fn sequence() -> Vec<Step> {
    let step = |kind, delay_hours, template: Option<&str>| Step {
        kind,
        delay_hours,
        template: template.map(str::to_owned),
    };
    vec![
        step(StepKind::VisitProfile, 0, None),
        step(
            StepKind::ConnectionRequest,
            24,
            Some(
                "Hi {{first_name}}, I work with teams like {{company}} on outreach. Happy to connect.",
            ),
        ),
        step(StepKind::Wait, 48, None),
        step(
            StepKind::Message,
            0,
            Some(
                "Thanks for connecting, {{first_name}}! Would a 15-minute call next week be useful?",
            ),
        ),
        step(
            StepKind::FollowUp,
            96,
            Some("Just bumping this up, {{first_name}}, in case it got buried."),
        ),
    ]
}

fn new_lead(campaign_id: Uuid, n: usize) -> NewLead {
    let first = FIRST[n % FIRST.len()];
    let last = LAST[(n * 7 + 3) % LAST.len()];
    let company = COMPANIES[(n * 5 + 1) % COMPANIES.len()];
    let slug = format!("{}-{}-{n}", first, last.replace(' ', "-")).to_lowercase();
    let domain: String = company
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    NewLead {
        campaign_id,
        name: format!("{first} {last}"),
        email: Some(format!("{}.{n}@{domain}.example", first.to_lowercase())),
        company: Some(company.to_owned()),
        title: Some(TITLES[(n * 3) % TITLES.len()].to_owned()),
        linkedin_url: Some(format!("https://www.linkedin.com/in/{slug}")),
        status: LeadStatus::Pending,
        connection_status: ConnectionStatus::NotConnected,
        notes: None,
    }
}

/// The campaign's status reached through allowed transitions, as a person would move it.
fn path_to(status: CampaignStatus) -> &'static [CampaignStatus] {
    match status {
        CampaignStatus::Draft => &[],
        CampaignStatus::Active => &[CampaignStatus::Active],
        CampaignStatus::Paused => &[CampaignStatus::Active, CampaignStatus::Paused],
        CampaignStatus::Completed => &[CampaignStatus::Active, CampaignStatus::Completed],
    }
}

/// Creates one campaign, its leads and their progress; returns the number of leads.
async fn fill_campaign(
    store: &Store,
    ws: Uuid,
    actor: Actor,
    index: usize,
    plan: &CampaignPlan,
) -> anyhow::Result<usize> {
    let campaign = store
        .create_campaign(
            ws,
            actor,
            NewCampaign {
                name: plan.name.to_owned(),
                description: Some(plan.description.to_owned()),
                status: CampaignStatus::Draft,
                daily_limit: plan.daily_limit,
                sequence: sequence(),
            },
        )
        .await?;
    let count: usize = plan.leads.iter().map(|&(_, _, n)| n).sum();
    let rows: Vec<NewLead> = (0..count)
        .map(|i| new_lead(campaign.id, index * 100 + i))
        .collect();
    // Leads go in before the campaign starts, as they would in practice.
    let ids = if plan.imported {
        store
            .import_leads(ws, actor, campaign.id, rows.clone())
            .await?;
        let page = store
            .list_leads(
                ws,
                &kandid_store::LeadFilter {
                    campaign_id: Some(campaign.id),
                    ..Default::default()
                },
                &kandid_store::PageRequest {
                    sort: kandid_store::Sort::default(),
                    limit: 200,
                    cursor: None,
                },
            )
            .await?;
        page.data.into_iter().map(|l| l.id).collect()
    } else {
        let mut ids = Vec::with_capacity(count);
        for row in rows {
            ids.push(store.create_lead(ws, actor, row).await?.id);
        }
        ids
    };
    for &status in path_to(plan.status) {
        let patch = CampaignPatch {
            status: Some(status),
            ..Default::default()
        };
        store
            .update_campaign(ws, actor, campaign.id, patch, None)
            .await?;
    }
    let targets = plan
        .leads
        .iter()
        .flat_map(|&(s, c, n)| std::iter::repeat_n((s, c), n));
    for (id, (status, connection_status)) in ids.into_iter().zip(targets) {
        if connection_status != ConnectionStatus::NotConnected {
            let patch = LeadPatch {
                connection_status: Some(connection_status),
                ..Default::default()
            };
            store.update_lead(ws, actor, id, patch, None).await?;
        }
        if status != LeadStatus::Pending {
            let notes = match status {
                LeadStatus::Responded => Some("Replied: interested, asked for a deck.".to_owned()),
                LeadStatus::Converted => Some("Call booked.".to_owned()),
                LeadStatus::DoNotContact => Some("Asked not to be contacted.".to_owned()),
                _ => None,
            };
            let patch = LeadPatch {
                status: Some(status),
                notes: notes.map(Some),
                ..Default::default()
            };
            store.update_lead(ws, actor, id, patch, None).await?;
        }
    }
    Ok(count)
}
