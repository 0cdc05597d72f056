//! Kept lead counts: after a seeded random mix of lead and campaign writes in two
//! workspaces, campaign stats, the dashboard and list totals equal a recount of the leads
//! the API lists.

use kandid_tests::{Session, TestApp, data, id, urlencode};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeMap;

const STATUSES: [&str; 5] = [
    "pending",
    "contacted",
    "responded",
    "converted",
    "do_not_contact",
];
const CONNECTIONS: [&str; 3] = ["not_connected", "pending", "connected"];
/// Words in lead names, so a text search has something to find.
const WORDS: [&str; 3] = ["alpha", "beta", "gamma"];

/// The run's random choices, from a seed: `KANDID_TEST_SEED` replays a run.
struct Rng(StdRng);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0.random_range(0..n)
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    fn chance(&mut self, percent: u32) -> bool {
        self.0.random_ratio(percent, 100)
    }
}

/// A lead as the list shows it: the fields the counts are kept by, and its name.
#[derive(Debug, Clone)]
struct Seen {
    campaign_id: String,
    status: String,
    connection_status: String,
    name: String,
}

/// One workspace of the run: its owner, live and deleted campaigns, and live lead ids.
struct Ws {
    s: Session,
    campaigns: Vec<String>,
    gone: Vec<String>,
    leads: Vec<String>,
}

/// Every lead of the workspace, by paging through `GET /api/leads` to the end.
async fn all_leads(app: &TestApp, token: &str) -> Vec<(String, Seen)> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/leads?limit=50&cursor={}", urlencode(c)),
            None => "/api/leads?limit=50".to_owned(),
        };
        let page = app.get(&path, token).await.expect(200);
        for l in data(&page.body) {
            let s = |f: &str| l[f].as_str().unwrap_or_default().to_owned();
            out.push((
                id(&l),
                Seen {
                    campaign_id: s("campaign_id"),
                    status: s("status"),
                    connection_status: s("connection_status"),
                    name: s("name"),
                },
            ));
        }
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return out,
        }
    }
}

/// `{total, by_status, by_connection_status}` of some leads, every key present.
fn tally<'a>(leads: impl Iterator<Item = &'a Seen>) -> (i64, Value, Value) {
    let mut by_status: BTreeMap<&str, i64> = STATUSES.iter().map(|s| (*s, 0)).collect();
    let mut by_conn: BTreeMap<&str, i64> = CONNECTIONS.iter().map(|s| (*s, 0)).collect();
    let mut total = 0;
    for l in leads {
        *by_status.entry(l.status.as_str()).or_default() += 1;
        *by_conn.entry(l.connection_status.as_str()).or_default() += 1;
        total += 1;
    }
    (total, json!(by_status), json!(by_conn))
}

/// Asserts that everything the API counts equals a recount of the listed leads.
async fn check(app: &TestApp, ws: &Ws, stranger: &Ws, when: &str) {
    let token = ws.s.token.as_str();
    let leads: Vec<Seen> = all_leads(app, token)
        .await
        .into_iter()
        .map(|(_, l)| l)
        .collect();

    for cid in &ws.campaigns {
        let (total, by_status, by_conn) = tally(leads.iter().filter(|l| &l.campaign_id == cid));
        let c = app
            .get(&format!("/api/campaigns/{cid}"), token)
            .await
            .expect(200);
        let stats = &c.body["stats"];
        assert_eq!(stats["total_leads"], total, "{when}: campaign {cid}");
        assert_eq!(stats["by_status"], by_status, "{when}: campaign {cid}");
        assert_eq!(
            stats["by_connection_status"], by_conn,
            "{when}: campaign {cid}"
        );
    }
    // The list reads the stats of a whole page of campaigns at once.
    let list = app.get("/api/campaigns?limit=200", token).await.expect(200);
    let listed = data(&list.body);
    assert_eq!(listed.len(), ws.campaigns.len(), "{when}");
    for c in listed {
        let cid = id(&c);
        let (total, by_status, by_conn) = tally(leads.iter().filter(|l| l.campaign_id == cid));
        assert_eq!(c["stats"]["total_leads"], total, "{when}: listed {cid}");
        assert_eq!(c["stats"]["by_status"], by_status, "{when}: listed {cid}");
        assert_eq!(
            c["stats"]["by_connection_status"], by_conn,
            "{when}: listed {cid}"
        );
    }

    let (total, by_status, by_conn) = tally(leads.iter());
    let dash = app.get("/api/dashboard", token).await.expect(200);
    assert_eq!(dash.body["leads"]["total"], total, "{when}: dashboard");
    assert_eq!(
        dash.body["leads"]["by_status"], by_status,
        "{when}: dashboard"
    );
    assert_eq!(
        dash.body["leads"]["by_connection_status"], by_conn,
        "{when}: dashboard"
    );

    // List totals for every combination of campaign, status and connection status,
    // including deleted campaigns and another workspace's (both empty).
    let mut campaigns: Vec<Option<&str>> = vec![None];
    campaigns.extend(ws.campaigns.iter().map(|c| Some(c.as_str())));
    campaigns.extend(ws.gone.iter().map(|c| Some(c.as_str())));
    campaigns.extend(stranger.campaigns.first().map(|c| Some(c.as_str())));
    let statuses = std::iter::once(None).chain(STATUSES.iter().copied().map(Some));
    let statuses: Vec<Option<&str>> = statuses.collect();
    let conns = std::iter::once(None).chain(CONNECTIONS.iter().copied().map(Some));
    let conns: Vec<Option<&str>> = conns.collect();
    for c in &campaigns {
        for s in &statuses {
            for cs in &conns {
                let mut query = vec!["limit=1".to_owned()];
                query.extend(c.map(|c| format!("campaign_id={c}")));
                query.extend(s.map(|s| format!("status={s}")));
                query.extend(cs.map(|cs| format!("connection_status={cs}")));
                let expected = leads
                    .iter()
                    .filter(|l| c.is_none_or(|c| l.campaign_id == c))
                    .filter(|l| s.is_none_or(|s| l.status == s))
                    .filter(|l| cs.is_none_or(|cs| l.connection_status == cs))
                    .count();
                let path = format!("/api/leads?{}", query.join("&"));
                let res = app.get(&path, token).await.expect(200);
                assert_eq!(res.body["total"], expected, "{when}: {path}");
            }
        }
    }
    // With a text search the total is counted from the matching rows.
    for word in WORDS {
        for c in &campaigns[..2] {
            let expected = leads
                .iter()
                .filter(|l| c.is_none_or(|c| l.campaign_id == c))
                .filter(|l| l.name.contains(word))
                .count();
            let mut path = format!("/api/leads?limit=1&q={}", word.to_uppercase());
            if let Some(c) = c {
                path.push_str(&format!("&campaign_id={c}"));
            }
            let res = app.get(&path, token).await.expect(200);
            assert_eq!(res.body["total"], expected, "{when}: {path}");
        }
    }
}

fn lead_body(rng: &mut Rng, n: usize) -> Value {
    let mut b = json!({
        "name": format!("Lead {n} {}", rng.pick(&WORDS)),
        "status": rng.pick(&STATUSES),
        "connection_status": rng.pick(&CONNECTIONS),
    });
    // E-mails from a small pool, so imports meet duplicates in the campaign and the file.
    if rng.chance(70) {
        b["email"] = json!(format!("p{}@example.com", rng.below(300)));
    }
    b
}

/// One random write in `ws`; returns whether its campaigns or leads need a refresh.
#[allow(clippy::too_many_lines)]
async fn step(app: &TestApp, rng: &mut Rng, ws: &mut Ws, stranger: &Ws, n: usize) -> bool {
    let token = ws.s.token.clone();
    let roll = rng.below(100);
    if ws.leads.is_empty() || roll < 22 {
        let cid = rng.pick(&ws.campaigns).clone();
        let l = app.create_lead(&token, &cid, lead_body(rng, n)).await;
        ws.leads.push(id(&l));
        return false;
    }
    let lead = rng.pick(&ws.leads).clone();
    let url = format!("/api/leads/{lead}");
    match roll {
        // Status and/or connection status, sometimes to the value it already has.
        22..=46 => {
            let mut b = json!({});
            if rng.chance(60) {
                b["status"] = json!(rng.pick(&STATUSES));
            }
            if b.as_object().is_some_and(serde_json::Map::is_empty) || rng.chance(50) {
                b["connection_status"] = json!(rng.pick(&CONNECTIONS));
            }
            app.patch(&url, &token, b).await.expect(200);
        }
        // A move to another campaign (or the same one), sometimes with a new status.
        47..=57 => {
            let mut b = json!({"campaign_id": rng.pick(&ws.campaigns)});
            if rng.chance(40) {
                b["status"] = json!(rng.pick(&STATUSES));
            }
            let method = if rng.chance(50) {
                Method::PUT
            } else {
                Method::PATCH
            };
            app.send(method, &url, Some(&token), Some(b))
                .await
                .expect(200);
        }
        // A change that leaves the counted fields alone.
        58..=62 => {
            let b = json!({"name": format!("Renamed {n} {}", rng.pick(&WORDS))});
            app.patch(&url, &token, b).await.expect(200);
        }
        63..=72 => {
            app.delete(&url, &token).await.expect(204);
            ws.leads.retain(|l| *l != lead);
        }
        // An import with duplicates (in the campaign and in the file) and invalid rows.
        73..=88 => {
            let cid = rng.pick(&ws.campaigns).clone();
            let rows: Vec<Value> = (0..1 + rng.below(60))
                .map(|i| match rng.below(10) {
                    0 => json!({"name": "", "status": "contacted"}),
                    1 => json!({"name": "Bad status", "status": "bogus"}),
                    _ => lead_body(rng, n * 100 + i),
                })
                .collect();
            let sent = rows.len();
            let res = app.import_json(&token, &cid, json!(rows)).await.expect(200);
            let created = res.body["created"].as_u64().unwrap_or_default();
            let skipped = res.body["skipped"].as_u64().unwrap_or_default();
            let errors = res.body["errors"].as_array().map_or(0, Vec::len);
            assert_eq!(
                usize::try_from(created + skipped).unwrap_or_default() + errors,
                sent,
                "{}",
                res.body
            );
            return created > 0;
        }
        // A campaign and its leads deleted; a new campaign takes its place.
        89..=91 => {
            let cid = rng.pick(&ws.campaigns).clone();
            app.delete(&format!("/api/campaigns/{cid}"), &token)
                .await
                .expect(204);
            ws.campaigns.retain(|c| *c != cid);
            ws.gone.push(cid);
            let c = app
                .create_campaign(&token, json!({"name": format!("Campaign {n}")}))
                .await;
            ws.campaigns.push(id(&c));
            return true;
        }
        // Refused writes change nothing.
        _ => match rng.below(if stranger.leads.is_empty() { 3 } else { 4 }) {
            0 => {
                app.request(Method::PATCH, &url, Some(&token), |r| {
                    r.header("if-match", "\"999999\"")
                        .json(&json!({"status": "converted"}))
                })
                .await
                .problem(412, "precondition_failed");
            }
            1 => {
                let theirs = rng.pick(&stranger.campaigns);
                app.patch(&url, &token, json!({"campaign_id": theirs}))
                    .await
                    .problem(422, "validation_failed");
            }
            2 => {
                let mut b = lead_body(rng, n);
                b["campaign_id"] = json!(ws.gone.first().unwrap_or(&stranger.campaigns[0]));
                app.post("/api/leads", &token, b)
                    .await
                    .problem(422, "validation_failed");
            }
            _ => {
                let foreign = rng.pick(&stranger.leads);
                app.patch(
                    &format!("/api/leads/{foreign}"),
                    &token,
                    json!({"status": "converted"}),
                )
                .await
                .problem(404, "not_found");
            }
        },
    }
    false
}

async fn workspace(app: &TestApp) -> Ws {
    let s = app.register().await;
    let mut campaigns = Vec::new();
    for name in ["First", "Second"] {
        let c = app.create_campaign(&s.token, json!({"name": name})).await;
        campaigns.push(id(&c));
    }
    Ws {
        s,
        campaigns,
        gone: Vec::new(),
        leads: Vec::new(),
    }
}

#[tokio::test]
async fn counts_equal_a_recount_after_random_writes() {
    let seed = std::env::var("KANDID_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_C0DE_u64);
    println!("KANDID_TEST_SEED={seed}");
    let mut rng = Rng(StdRng::seed_from_u64(seed));
    let app = TestApp::spawn().await;
    let mut a = workspace(&app).await;
    let mut b = workspace(&app).await;
    // A lead in each, so refused writes always have a target.
    for w in [&mut a, &mut b] {
        let cid = w.campaigns[0].clone();
        let l = app
            .create_lead(&w.s.token, &cid, lead_body(&mut rng, 0))
            .await;
        w.leads.push(id(&l));
    }

    for n in 1..=300 {
        // Most writes go to the first workspace, so its lists run to several pages.
        let (ws, stranger) = if rng.chance(75) {
            (&mut a, &b)
        } else {
            (&mut b, &a)
        };
        if step(&app, &mut rng, ws, stranger, n).await {
            ws.leads = all_leads(&app, &ws.s.token)
                .await
                .into_iter()
                .map(|(id, _)| id)
                .collect();
        }
        if n % 100 == 0 {
            let when = format!("seed {seed}, after {n} writes");
            check(&app, &a, &b, &when).await;
            check(&app, &b, &a, &when).await;
        }
    }
    assert!(
        a.leads.len() > 50,
        "seed {seed}: the run should leave several pages of leads, has {}",
        a.leads.len()
    );
}
