//! Lead search (`q`): a case-insensitive substring of name, e-mail, company or title, on
//! every path (trigram index for 3+ characters, a row check for shorter queries), kept
//! current by creates, updates, deletes and imports, and never across workspaces.

use kandid_store::{LeadFilter, SEARCH_SPLIT_AT, SearchPath};
use kandid_tests::{Res, Session, TestApp, column, id, store_beside, urlencode};
use serde_json::{Value, json};
use uuid::Uuid;

/// Names of the leads `GET /api/leads?q=<q>` finds (sorted by name), checking `total`.
async fn found(app: &TestApp, s: &Session, q: &str) -> Vec<String> {
    let res = app
        .get(
            &format!("/api/leads?sort=name&limit=200&q={}", urlencode(q)),
            &s.token,
        )
        .await
        .expect(200);
    let names = column(&res.body, "name");
    assert_eq!(
        res.body["total"].as_u64(),
        Some(names.len() as u64),
        "q={q}: total"
    );
    names
}

async fn lead(app: &TestApp, s: &Session, campaign: &str, body: Value) -> Value {
    app.create_lead(&s.token, campaign, body).await
}

#[tokio::test]
async fn q_is_a_case_insensitive_substring_of_four_fields() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let cid = id(&app.create_campaign(&s.token, json!({"name": "C"})).await);
    lead(
        &app,
        &s,
        &cid,
        json!({"name": "Ada Lovelace", "email": "ada@analytical.io",
               "company": "Analytical Engines", "title": "Countess",
               "notes": "never searched: zebra"}),
    )
    .await;
    lead(
        &app,
        &s,
        &cid,
        json!({"name": "Bob Martin", "email": "bob@example.com",
               "company": "ÉCOLE Polytechnique", "title": "Ingénieur"}),
    )
    .await;
    lead(
        &app,
        &s,
        &cid,
        json!({"name": "Dwayne \"The Rock\" Johnson", "title": "snake_case_title"}),
    )
    .await;
    lead(&app, &s, &cid, json!({"name": "Erin 100% Sure"})).await;

    let ada = ["Ada Lovelace"];
    let bob = ["Bob Martin"];
    let rock = ["Dwayne \"The Rock\" Johnson"];
    let erin = ["Erin 100% Sure"];
    // A substring anywhere in each field, not only at a word start.
    assert_eq!(found(&app, &s, "ovela").await, ada, "name");
    assert_eq!(found(&app, &s, "analytical.io").await, ada, "e-mail");
    assert_eq!(found(&app, &s, "l engin").await, ada, "company");
    assert_eq!(found(&app, &s, "ountes").await, ada, "title");
    assert!(found(&app, &s, "zebra").await.is_empty(), "notes");
    // Case folds both ways, beyond ASCII.
    assert_eq!(found(&app, &s, "LOVELACE").await, ada);
    assert_eq!(found(&app, &s, "école").await, bob);
    assert_eq!(found(&app, &s, "ÉCOLE").await, bob);
    assert_eq!(found(&app, &s, "INGÉNIEUR").await, bob);
    assert!(found(&app, &s, "ecole").await.is_empty(), "accents count");
    // One and two characters: below the trigram size, same answers.
    assert_eq!(found(&app, &s, "É").await, bob);
    assert_eq!(found(&app, &s, "%").await, erin);
    assert_eq!(found(&app, &s, "_").await, rock);
    assert_eq!(found(&app, &s, "Z").await, Vec::<String>::new());
    assert_eq!(found(&app, &s, "ad").await, ada);
    assert_eq!(found(&app, &s, "0%").await, erin);
    assert_eq!(found(&app, &s, "e_").await, rock);
    // Wildcards and quotes are literal in longer queries too.
    assert_eq!(found(&app, &s, "100%").await, erin);
    assert!(found(&app, &s, "1_0").await.is_empty(), "_ is not any char");
    assert!(found(&app, &s, "a%e").await.is_empty(), "% is not any run");
    assert_eq!(found(&app, &s, "e_case").await, rock);
    assert_eq!(found(&app, &s, "\"the rock\"").await, rock);
    assert_eq!(found(&app, &s, "\\").await, Vec::<String>::new());
    // Several matches, sorted by name.
    assert_eq!(
        found(&app, &s, "in").await,
        ["Ada Lovelace", "Bob Martin", "Erin 100% Sure"]
    );
}

#[tokio::test]
async fn search_follows_updates_deletes_and_imports() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let cid = id(&app.create_campaign(&s.token, json!({"name": "C"})).await);
    let l = lead(
        &app,
        &s,
        &cid,
        json!({"name": "Grace Hopper", "company": "Navy"}),
    )
    .await;
    let url = format!("/api/leads/{}", id(&l));
    assert_eq!(found(&app, &s, "hopper").await, ["Grace Hopper"]);

    // A change that leaves the searched fields alone keeps the lead findable.
    app.patch(&url, &s.token, json!({"status": "contacted", "notes": "x"}))
        .await
        .expect(200);
    assert_eq!(found(&app, &s, "hopper").await, ["Grace Hopper"]);

    // Each searched field, changed, is searched by its new value only.
    app.patch(&url, &s.token, json!({"name": "Grace Brewster"}))
        .await
        .expect(200);
    assert!(found(&app, &s, "hopper").await.is_empty());
    assert_eq!(found(&app, &s, "brewster").await, ["Grace Brewster"]);
    app.patch(
        &url,
        &s.token,
        json!({"company": "Remington Rand", "title": "Rear Admiral", "email": "grace@univac.com"}),
    )
    .await
    .expect(200);
    assert!(found(&app, &s, "navy").await.is_empty());
    assert_eq!(found(&app, &s, "remington").await, ["Grace Brewster"]);
    assert_eq!(found(&app, &s, "admiral").await, ["Grace Brewster"]);
    assert_eq!(found(&app, &s, "univac").await, ["Grace Brewster"]);
    // Cleared, a field is no longer found.
    app.patch(&url, &s.token, json!({"email": null}))
        .await
        .expect(200);
    assert!(found(&app, &s, "univac").await.is_empty());

    app.delete(&url, &s.token).await.expect(204);
    assert!(found(&app, &s, "brewster").await.is_empty());

    // Imported rows are searchable, and go with their campaign.
    let c2 = id(&app.create_campaign(&s.token, json!({"name": "C2"})).await);
    let rows: Vec<Value> = (0..120)
        .map(|i| json!({"name": format!("Imported {i:03}"), "company": "Bulk Corp"}))
        .collect();
    app.import_json(&s.token, &c2, json!(rows))
        .await
        .expect(200);
    assert_eq!(found(&app, &s, "bulk corp").await.len(), 120);
    assert_eq!(found(&app, &s, "imported 07").await.len(), 10);
    app.delete(&format!("/api/campaigns/{c2}"), &s.token)
        .await
        .expect(204);
    assert!(found(&app, &s, "bulk corp").await.is_empty());

    // SQLite: every change queued for the trigram index was applied at its commit, and the
    // index holds exactly the leads' keys (FTS5 checks it against `leads` itself; an error
    // otherwise).
    if app.database_url.starts_with("sqlite") {
        assert_eq!(
            app.count("SELECT COUNT(*) FROM leads_search_pending").await,
            0
        );
        app.sql("INSERT INTO leads_search(leads_search, rank) VALUES ('integrity-check', 1)")
            .await;
    }
}

#[tokio::test]
async fn search_pages_with_cursors() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let cid = id(&app.create_campaign(&s.token, json!({"name": "C"})).await);
    let rows: Vec<Value> = (0..45)
        .map(|i| {
            let company = if i % 3 == 0 { "Match Inc" } else { "Other Ltd" };
            json!({"name": format!("Lead {i:02}"), "company": company})
        })
        .collect();
    app.import_json(&s.token, &cid, json!(rows))
        .await
        .expect(200);
    for sort in ["name", "-name", "created_at", "-updated_at"] {
        let mut seen = every_page(
            &app,
            &s,
            &format!("/api/leads?q=match&sort={sort}&limit=4"),
            15,
        )
        .await;
        let mut expected: Vec<String> = (0..45)
            .filter(|i| i % 3 == 0)
            .map(|i| format!("Lead {i:02}"))
            .collect();
        if sort == "-name" {
            expected.reverse();
        }
        if sort.ends_with("name") {
            assert_eq!(seen, expected, "{sort}");
        } else {
            seen.sort();
            assert_eq!(seen, expected, "{sort}: each match once");
        }
    }
}

/// Names `GET <path>` (a query string with its `limit`) lists through every page, checking
/// `total` on each.
async fn every_page(app: &TestApp, s: &Session, path: &str, total: u64) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let res = app
            .get(&format!("{path}{cursor}"), &s.token)
            .await
            .expect(200);
        assert_eq!(res.body["total"].as_u64(), Some(total), "{path}");
        seen.extend(column(&res.body, "name"));
        match res.body["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => return seen,
        }
    }
}

/// A term found in a few leads of a big workspace is searched by fetching just the rows
/// the trigram index names (the other workspace's among them, and a deleted lead's) and
/// sorting them, rather than by walking the workspace: the answers are those of any
/// search, on every filter, sort and page.
#[tokio::test]
async fn a_rare_term_in_a_big_workspace_is_found_like_any_other() {
    let app = TestApp::spawn().await;
    let (a, b, [big, small, theirs]) = app.two_workspaces().await;
    let rows: Vec<Value> = (0..400)
        .map(|i| {
            let company = if i % 100 == 7 {
                "Needle Works"
            } else {
                "Haystack Ltd"
            };
            json!({"name": format!("Lead {i:03}"), "company": company})
        })
        .collect();
    app.import_json(&a.token, &big, json!(rows))
        .await
        .expect(200);
    let odd = lead(&app, &a, &small, json!({"name": "Odd needle"})).await;
    let moved = lead(&app, &a, &big, json!({"name": "Moved needle"})).await;
    let gone = lead(&app, &a, &big, json!({"name": "Gone needle"})).await;
    for i in 0..3 {
        lead(&app, &b, &theirs, json!({"name": format!("B needle {i}")})).await;
    }
    app.patch(
        &format!("/api/leads/{}", id(&odd)),
        &a.token,
        json!({"status": "contacted", "connection_status": "pending"}),
    )
    .await
    .expect(200);
    app.patch(
        &format!("/api/leads/{}", id(&moved)),
        &a.token,
        json!({"campaign_id": small}),
    )
    .await
    .expect(200);
    app.delete(&format!("/api/leads/{}", id(&gone)), &a.token)
        .await
        .expect(204);

    // The paths these searches take on SQLite (the point of the test), and a common
    // term's; PostgreSQL plans searches from its statistics, and `list_leads` walks.
    let store = store_beside(&app).await;
    let ws: Uuid = a.workspace_id;
    let filter = |q: &str, campaign: Option<&str>| LeadFilter {
        campaign_id: campaign.and_then(|c| c.parse().ok()),
        q: Some(q.to_owned()),
        ..LeadFilter::default()
    };
    let paths = |f: LeadFilter| {
        let store = store.clone();
        async move { store.search_paths(ws, &f, 3).await.ok() }
    };
    let walked = Some((SearchPath::Walk, SearchPath::Walk));
    let fetched = if app.database_url.starts_with("sqlite:") {
        Some((SearchPath::Candidates, SearchPath::Candidates))
    } else {
        walked
    };
    assert_eq!(paths(filter("NEEDLE", None)).await, fetched);
    assert_eq!(paths(filter("needle", Some(&big))).await, fetched);
    assert_eq!(paths(filter("lead", Some(&big))).await, walked);

    let in_big = ["Lead 007", "Lead 107", "Lead 207", "Lead 307"];
    let mut everywhere: Vec<&str> = in_big.to_vec();
    everywhere.extend(["Moved needle", "Odd needle"]);
    for sort in ["name", "-name", "created_at", "-updated_at"] {
        let mut all = every_page(
            &app,
            &a,
            &format!("/api/leads?q=NEEDLE&sort={sort}&limit=2"),
            6,
        )
        .await;
        let mut campaign = every_page(
            &app,
            &a,
            &format!("/api/leads?q=needle&campaign_id={big}&sort={sort}&limit=2"),
            4,
        )
        .await;
        match sort {
            "name" => {}
            "-name" => {
                all.reverse();
                campaign.reverse();
            }
            _ => {
                all.sort();
                campaign.sort();
            }
        }
        assert_eq!(
            all, everywhere,
            "{sort}: the workspace's matches, once each"
        );
        assert_eq!(campaign, in_big, "{sort}: the campaign's");
    }
    // Times: the import's rows in their order, then the leads created after it.
    let by_time = every_page(&app, &a, "/api/leads?q=needle&sort=created_at&limit=2", 6).await;
    assert_eq!(&by_time[..4], in_big);
    let contacted = every_page(&app, &a, "/api/leads?q=needle&status=contacted&limit=2", 1).await;
    assert_eq!(contacted, ["Odd needle"]);
    let pending = every_page(
        &app,
        &a,
        "/api/leads?q=needle&connection_status=pending&limit=2",
        1,
    )
    .await;
    assert_eq!(pending, ["Odd needle"]);
    let theirs_seen = every_page(
        &app,
        &a,
        &format!("/api/leads?q=needle&campaign_id={theirs}&limit=2"),
        0,
    )
    .await;
    assert!(theirs_seen.is_empty());
    assert_eq!(
        every_page(&app, &b, "/api/leads?q=needle&sort=name&limit=2", 3).await,
        ["B needle 0", "B needle 1", "B needle 2"]
    );
}

#[tokio::test]
async fn search_stays_in_the_workspace() {
    let app = TestApp::spawn().await;
    let a = app.register().await;
    let b = app.register().await;
    let ca = id(&app.create_campaign(&a.token, json!({"name": "A"})).await);
    let cb = id(&app.create_campaign(&b.token, json!({"name": "B"})).await);
    lead(
        &app,
        &a,
        &ca,
        json!({"name": "Shared Name", "title": "In A"}),
    )
    .await;
    lead(
        &app,
        &b,
        &cb,
        json!({"name": "Shared Name", "title": "In B"}),
    )
    .await;
    lead(&app, &b, &cb, json!({"name": "Only B Secret"})).await;
    for q in ["shared name", "sh", "secret"] {
        let mine = app
            .get(&format!("/api/leads?q={}", urlencode(q)), &a.token)
            .await
            .expect(200);
        let titles = column(&mine.body, "title");
        assert!(titles.iter().all(|t| t == "In A"), "q={q}: {titles:?}");
    }
    assert_eq!(found(&app, &a, "shared").await.len(), 1);
    assert!(found(&app, &a, "secret").await.is_empty());
    assert_eq!(found(&app, &b, "shared").await.len(), 1);
    assert_eq!(found(&app, &b, "secret").await, ["Only B Secret"]);
    // Filtered by the other workspace's campaign: empty, with or without q.
    let other = app
        .get(&format!("/api/leads?campaign_id={cb}&q=shared"), &a.token)
        .await
        .expect(200);
    assert_eq!(other.body["total"], 0);
}

/// `GET <path>?q=<q>`.
async fn search(app: &TestApp, s: &Session, path: &str, q: &str) -> Res {
    app.get(&format!("{path}?q={}", urlencode(q)), &s.token)
        .await
}

#[tokio::test]
async fn a_search_is_at_most_200_characters() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let cid = id(&app.create_campaign(&s.token, json!({"name": "C"})).await);
    // 200 characters of 2 bytes each: counted in characters, so allowed, and it matches.
    let name = "é".repeat(200);
    app.create_lead(&s.token, &cid, json!({"name": name})).await;
    app.create_campaign(&s.token, json!({"name": name})).await;
    for path in ["/api/leads", "/api/campaigns"] {
        let res = search(&app, &s, path, &name).await.expect(200);
        assert_eq!(
            column(&res.body, "name"),
            std::slice::from_ref(&name),
            "{path}"
        );
        let res = search(&app, &s, path, &format!("{name}é"))
            .await
            .problem(400, "bad_request");
        assert!(
            res.body["detail"].as_str().unwrap_or("").contains("200"),
            "{path}: {}",
            res.body
        );
        search(&app, &s, path, &"x".repeat(20_000))
            .await
            .problem(400, "bad_request");
    }
}

#[tokio::test]
async fn a_search_never_matches_across_two_fields() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let cid = id(&app
        .create_campaign(
            &s.token,
            json!({"name": "Launch", "description": "Navy week"}),
        )
        .await);
    app.create_lead(
        &s.token,
        &cid,
        json!({"name": "Grace Hopper", "company": "Navy", "email": "grace@navy.mil"}),
    )
    .await;
    for (path, q) in [
        ("/api/leads", "hopper\nnavy"),
        ("/api/leads", "hopper\ngrace@"),
        ("/api/leads", "per\nna"),
        ("/api/campaigns", "launch\nnavy"),
        ("/api/campaigns", "ch\nna"),
    ] {
        search(&app, &s, path, q).await.problem(400, "bad_request");
    }
    // Other control characters are refused too; text without them still finds the lead.
    for q in ["hopper\r", "\tnavy", "a\u{7f}", "a\u{85}b"] {
        search(&app, &s, "/api/leads", q)
            .await
            .problem(400, "bad_request");
    }
    let res = search(&app, &s, "/api/leads", "hopper").await.expect(200);
    assert_eq!(column(&res.body, "name"), ["Grace Hopper"]);
}

/// A term in thousands of a big campaign's leads: the total is counted from the trigram
/// index's candidates in two halves, on two readers at once (SQLite), and is the exact
/// number of matches all the same: not the other workspace's, interleaved with them, nor
/// another campaign's, nor a deleted lead's; the pages hold exactly the matches.
#[tokio::test]
async fn a_total_counted_in_halves_is_exact() {
    let app = TestApp::spawn().await;
    let (a, b, [big, small, theirs]) = app.two_workspaces().await;
    let mut needles = Vec::new();
    for chunk in 0..3 {
        let rows: Vec<Value> = (0..10_000)
            .map(|i| {
                let n = chunk * 10_000 + i;
                let company = if n % 14 == 0 {
                    needles.push(format!("Lead {n:05}"));
                    "Needle Works"
                } else {
                    "Haystack Ltd"
                };
                json!({"name": format!("Lead {n:05}"), "company": company})
            })
            .collect();
        app.import_json(&a.token, &big, json!(rows))
            .await
            .expect(200);
        // Matches of the other workspace and of another campaign, between the big
        // campaign's in the trigram index.
        lead(
            &app,
            &b,
            &theirs,
            json!({"name": format!("B needle {chunk}")}),
        )
        .await;
        lead(
            &app,
            &a,
            &small,
            json!({"name": format!("Small needle {chunk}")}),
        )
        .await;
    }
    let gone = lead(&app, &a, &big, json!({"name": "Gone needle"})).await;
    app.delete(&format!("/api/leads/{}", id(&gone)), &a.token)
        .await
        .expect(204);

    if app.database_url.starts_with("sqlite:") {
        let store = store_beside(&app).await;
        let f = LeadFilter {
            campaign_id: big.parse().ok(),
            q: Some("needle".into()),
            ..LeadFilter::default()
        };
        // The needles, and three matches each in the other workspace and campaign.
        assert!(
            needles.len() + 6 >= SEARCH_SPLIT_AT,
            "enough candidates to split"
        );
        let paths = store.search_paths(a.workspace_id, &f, 51).await.ok();
        assert_eq!(
            paths.map(|p| p.0),
            Some(SearchPath::Candidates),
            "the total is counted from the candidates"
        );
    }

    let path = format!("/api/leads?q=needle&campaign_id={big}&sort=name&limit=200");
    let pages = every_page(&app, &a, &path, needles.len() as u64).await;
    assert_eq!(
        pages, needles,
        "the campaign's matches, once each, in order"
    );
    let res = app
        .get("/api/leads?q=NEEDLE&limit=1", &a.token)
        .await
        .expect(200);
    assert_eq!(
        res.body["total"].as_u64(),
        Some(needles.len() as u64 + 3),
        "the workspace's matches"
    );
    let theirs = every_page(&app, &b, "/api/leads?q=needle&sort=name", 3).await;
    assert_eq!(theirs, ["B needle 0", "B needle 1", "B needle 2"]);
}

/// Searches while an import of 3 000 matches is shown and its campaign deleted, again and
/// again: every total is one that existed, 0 or 3 000, never part of one write, though a
/// total of that many candidates is counted in halves on two readers (SQLite); each page
/// agrees with its total.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_search_never_counts_part_of_a_write() {
    const MATCHES: usize = 3000;
    let app = std::sync::Arc::new(TestApp::spawn().await);
    let a = app.register().await;
    let filler = id(&app
        .create_campaign(&a.token, json!({"name": "Filler"}))
        .await);
    let rows: Vec<Value> = (0..24_000)
        .map(|i| json!({"name": format!("Lead {i:05}"), "company": "Haystack Ltd"}))
        .collect();
    app.import_json(&a.token, &filler, json!(rows))
        .await
        .expect(200);
    let needles: Vec<Value> = (0..MATCHES)
        .map(|i| json!({"name": format!("Needle {i:05}")}))
        .collect();
    const { assert!(MATCHES >= SEARCH_SPLIT_AT, "enough candidates to split") };

    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let searchers: Vec<_> = (0..3)
        .map(|_| {
            let (app, token, done) = (app.clone(), a.token.clone(), done.clone());
            tokio::spawn(async move {
                let mut seen = Vec::new();
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    let res = app
                        .get("/api/leads?q=needle&limit=1", &token)
                        .await
                        .expect(200);
                    let total = res.body["total"].as_u64();
                    let rows = res.body["data"].as_array().map(Vec::len);
                    seen.push((total, rows));
                }
                seen
            })
        })
        .collect();
    for round in 0..8 {
        let c = id(&app
            .create_campaign(&a.token, json!({"name": format!("Round {round}")}))
            .await);
        app.import_json(&a.token, &c, json!(needles))
            .await
            .expect(200);
        app.delete(&format!("/api/campaigns/{c}"), &a.token)
            .await
            .expect(204);
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut searched = 0;
    for s in searchers {
        let seen = match s.await {
            Ok(seen) => seen,
            Err(e) => panic!("a searcher failed: {e}"),
        };
        searched += seen.len();
        for (total, rows) in seen {
            assert!(
                matches!((total, rows), (Some(0), Some(0)) | (Some(3000), Some(1))),
                "a total or page that never existed: {total:?}, {rows:?} rows"
            );
        }
    }
    assert!(searched > 0, "searches ran during the writes");
}

/// SQLite: a lead changed by hand while the server runs is indexed with its next write; one
/// changed by hand while it is stopped, with the index then rebuilt by hand and the queue
/// left, at its next start (applied, that queue would corrupt the index).
#[tokio::test]
async fn leads_changed_by_hand_are_indexed_by_the_next_write_or_start() {
    let mut app = TestApp::spawn().await;
    // SQLite's trigram index follows the search queue, checked here too; PostgreSQL's
    // follows every change itself.
    let sqlite = app.database_url.starts_with("sqlite");
    let s = app.register().await;
    let cid = id(&app.create_campaign(&s.token, json!({"name": "C"})).await);
    lead(&app, &s, &cid, json!({"name": "Grace Hopper"})).await;
    lead(&app, &s, &cid, json!({"name": "Alan Turing"})).await;
    let queue_applied = async |app: &TestApp| {
        if sqlite {
            assert_eq!(
                app.count("SELECT COUNT(*) FROM leads_search_pending").await,
                0
            );
            app.sql("INSERT INTO leads_search(leads_search, rank) VALUES ('integrity-check', 1)")
                .await;
        }
    };

    app.sql("UPDATE leads SET search_key = 'grace brewster' WHERE name = 'Grace Hopper'")
        .await;
    lead(&app, &s, &cid, json!({"name": "Ada Lovelace"})).await;
    assert_eq!(found(&app, &s, "brewster").await, ["Grace Hopper"]);
    queue_applied(&app).await;

    let mut while_stopped =
        vec!["UPDATE leads SET search_key = 'alan mathison' WHERE name = 'Alan Turing'"];
    if sqlite {
        while_stopped.push("INSERT INTO leads_search(leads_search) VALUES ('rebuild')");
    }
    app.restart_after_sql(&while_stopped).await;
    queue_applied(&app).await;
    lead(&app, &s, &cid, json!({"name": "Barbara Liskov"})).await;
    assert_eq!(found(&app, &s, "mathison").await, ["Alan Turing"]);
    assert_eq!(found(&app, &s, "liskov").await, ["Barbara Liskov"]);
    queue_applied(&app).await;
}
