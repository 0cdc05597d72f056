//! The generator against the real server on a random port: every scenario completes and
//! the seed gives filters and search something to find. No timings are asserted.

use kandid_bench::api::Api;
use kandid_bench::load::{self, LoadOptions};
use kandid_bench::reads::{self, ReadsOptions};
use kandid_bench::seed::{self, SeedOptions};
use kandid_bench::{import, rows};
use kandid_tests::TestApp;
use std::time::Duration;

fn seed_options(leads: u64) -> SeedOptions {
    SeedOptions {
        leads,
        chunk: 100,
        email: "bench@example.com".into(),
        password: "bench-password-123".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_then_every_rest_scenario() -> anyhow::Result<()> {
    let app = TestApp::spawn().await;
    let mut api = Api::new(&app.base, 1)?;
    let seeded = seed::seed(&mut api, &seed_options(250)).await?;
    assert_eq!(seeded.imports, 3, "250 leads in chunks of 100");
    let session = seeded.session;

    let opts = ReadsOptions {
        reps: 3,
        max_per_endpoint: Duration::from_secs(30),
        q: rows::SEARCH_TERM.into(),
    };
    let r = reads::reads(&session, &opts).await?;
    let names: Vec<_> = r.endpoints.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["campaign", "dashboard", "leads", "leads_search"]);
    assert!(r.endpoints.iter().all(|e| e.n == 3 && e.latency.is_some()));
    assert_eq!(r.endpoints[2].total, Some(250));
    // Rows 42, 142 and 242 carry the search term.
    assert_eq!(r.endpoints[3].total, Some(3));

    let load_opts = LoadOptions {
        concurrency: 2,
        duration: Duration::from_millis(500),
        warmup: Duration::from_millis(100),
        server_pid: Some(std::process::id()),
    };
    let list = load::rest_list(&session, &load_opts, 50).await?;
    assert!(list.requests > 0 && list.errors.is_empty(), "{list:?}");
    assert!(list.server_cpu_ms_per_req.is_some());
    let create = load::rest_create(&session, &load_opts).await?;
    assert!(
        create.requests > 0 && create.errors.is_empty(),
        "{create:?}"
    );

    let imported = import::import(&session, &[10, 20], None).await?;
    let created: Vec<_> = imported.runs.iter().map(|r| r.created).collect();
    assert_eq!(created, [10, 20]);

    // Seeding again against the same server logs the user in instead of failing.
    let again = seed::seed(&mut Api::new(&app.base, 1)?, &seed_options(5)).await?;
    assert_ne!(again.session.campaign_id, session.campaign_id);
    Ok(())
}
