//! Lists of leads: filters, search, sort, limits and cursors.

use super::*;

#[tokio::test]
async fn list_filters_and_search() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let other = app.register().await;
    let c1 = app.create_campaign(&s.token, json!({"name": "One"})).await;
    let c2 = app.create_campaign(&s.token, json!({"name": "Two"})).await;
    let (c1, c2) = (id(&c1), id(&c2));
    let rows = [
        (
            &c1,
            "Ada Lovelace",
            "ada@engines.io",
            "Analytical",
            "CTO",
            "pending",
            "not_connected",
            "hidden gem",
        ),
        (
            &c1,
            "Bob Smith",
            "bob@acme.com",
            "ACME Corp",
            "Engineer",
            "contacted",
            "pending",
            "",
        ),
        (
            &c1,
            "Carol",
            "carol@widgets.com",
            "Widgets",
            "Head of Sales",
            "responded",
            "connected",
            "",
        ),
        (
            &c2,
            "Dave",
            "DAVE@ACME.COM",
            "Initech",
            "VP Engineering",
            "contacted",
            "connected",
            "",
        ),
        (
            &c2,
            "Erin 100%",
            "erin@example.com",
            "Hooli",
            "Chief_Officer",
            "converted",
            "connected",
            "",
        ),
    ];
    let mut by_name = std::collections::HashMap::new();
    for (cid, name, email, company, title, status, cs, notes) in rows {
        let l = app
            .create_lead(
                &s.token,
                cid,
                json!({"name": name, "email": email, "company": company, "title": title,
                       "status": status, "connection_status": cs, "notes": notes}),
            )
            .await;
        by_name.insert(name, id(&l));
    }
    // Someone else's leads never show up.
    let theirs = app
        .create_campaign(&other.token, json!({"name": "Theirs"}))
        .await;
    app.create_lead(
        &other.token,
        &id(&theirs),
        json!({"name": "Ada Impostor", "email": "ada@engines.io"}),
    )
    .await;

    let names = |q: &str| {
        let app = &app;
        let token = s.token.clone();
        let q = q.to_owned();
        async move {
            let res = app
                .get(&format!("/api/leads?sort=name&{q}"), &token)
                .await
                .expect(200);
            let names = column(&res.body, "name");
            assert_eq!(
                res.body["total"].as_u64(),
                Some(names.len() as u64),
                "{q}: total"
            );
            names
        }
    };
    assert_eq!(names("").await.len(), 5);
    assert_eq!(
        names(&format!("campaign_id={c1}")).await,
        ["Ada Lovelace", "Bob Smith", "Carol"]
    );
    assert_eq!(
        names(&format!("campaign_id={c2}")).await,
        ["Dave", "Erin 100%"]
    );
    assert_eq!(names("status=contacted").await, ["Bob Smith", "Dave"]);
    assert_eq!(names("status=do_not_contact").await, Vec::<String>::new());
    assert_eq!(
        names("connection_status=connected").await,
        ["Carol", "Dave", "Erin 100%"]
    );
    assert_eq!(
        names(&format!(
            "campaign_id={c2}&status=contacted&connection_status=connected"
        ))
        .await,
        ["Dave"]
    );
    assert_eq!(
        names(&format!("campaign_id={c1}&connection_status=connected")).await,
        ["Carol"]
    );
    // q: case-insensitive substring of name, email, company or title.
    assert_eq!(names("q=LOVE").await, ["Ada Lovelace"], "name");
    assert_eq!(names("q=acme.COM").await, ["Bob Smith", "Dave"], "email");
    assert_eq!(names("q=initech").await, ["Dave"], "company");
    assert_eq!(names("q=engineer").await, ["Bob Smith", "Dave"], "title");
    assert_eq!(
        names("q=acme").await,
        ["Bob Smith", "Dave"],
        "company or email"
    );
    assert_eq!(
        names("q=hidden").await,
        Vec::<String>::new(),
        "notes are not searched"
    );
    assert_eq!(
        names(&format!("q={}", urlencode("100%"))).await,
        ["Erin 100%"]
    );
    assert_eq!(
        names(&format!("q={}", urlencode("%"))).await,
        ["Erin 100%"],
        "% is literal"
    );
    assert_eq!(
        names(&format!("q={}", urlencode("_"))).await,
        ["Erin 100%"],
        "_ is literal"
    );
    assert_eq!(
        names(&format!("q={}", urlencode("ada lovelace"))).await,
        ["Ada Lovelace"]
    );
    assert_eq!(
        names(&format!("q=engineer&campaign_id={c2}")).await,
        ["Dave"]
    );
    assert_eq!(names("q=zzz").await, Vec::<String>::new());
    assert_eq!(names("q=").await.len(), 5, "empty q matches everything");

    // Filtered by another workspace's campaign: empty, not an error.
    assert_eq!(
        names(&format!("campaign_id={}", id(&theirs))).await,
        Vec::<String>::new()
    );
    assert_eq!(
        names(&format!("campaign_id={}", uuid::Uuid::now_v7())).await,
        Vec::<String>::new()
    );

    for bad in [
        "status=bogus",
        "status=Pending",
        "connection_status=bogus",
        "campaign_id=not-a-uuid",
        "sort=bogus",
        "sort=email",
        "limit=0",
        "limit=201",
        "limit=-1",
        "limit=ten",
        "cursor=%21%21%21",
        "cursor=eyJ4IjoxfQ",
    ] {
        app.get(&format!("/api/leads?{bad}"), &s.token)
            .await
            .problem(400, "bad_request");
    }
}

/// A list reads its rows another way than a single lead (on SQLite, on a reader
/// connection, decoded by the store itself): every field of every kind must read back the
/// same, set and unset, and a searched list the same as a walked one.
#[tokio::test]
async fn a_listed_lead_is_the_lead_field_for_field() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let cid = id(&c);
    let full = app
        .create_lead(
            &s.token,
            &cid,
            json!({"name": "Ada Lovelace", "email": "Ada@Example.com", "company": "AE",
                   "title": "CTO", "linkedin_url": "https://linkedin.com/in/ada",
                   "notes": "n", "status": "contacted", "connection_status": "pending"}),
        )
        .await;
    // A status change sets `last_activity_at`.
    app.patch(&lead_url(&full), &s.token, json!({"status": "responded"}))
        .await
        .expect(200);
    let bare = app
        .create_lead(&s.token, &cid, json!({"name": "Bob"}))
        .await;
    let full = app.get(&lead_url(&full), &s.token).await.expect(200).body;
    let bare = app.get(&lead_url(&bare), &s.token).await.expect(200).body;
    assert!(full["last_activity_at"].is_string(), "{full}");
    assert_eq!(full["version"], 2);

    let listed = app
        .get(&format!("/api/leads?campaign_id={cid}&sort=name"), &s.token)
        .await
        .expect(200)
        .body;
    assert_eq!(listed["data"], json!([full.clone(), bare]));
    assert_eq!(listed["total"], 2);
    for q in ["lovelace", "ad"] {
        let found = app
            .get(&format!("/api/leads?campaign_id={cid}&q={q}"), &s.token)
            .await
            .expect(200)
            .body;
        assert_eq!(found["data"], json!([full.clone()]), "q={q}");
        assert_eq!(found["total"], 1, "q={q}");
    }
}

/// Reads every page of `url` (which has no cursor) and returns the ids in order.
async fn all_pages(app: &TestApp, token: &str, url: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..1000 {
        let page_url = match &cursor {
            Some(c) => format!("{url}&cursor={c}"),
            None => url.to_owned(),
        };
        let page = app.get(&page_url, token).await.expect(200);
        seen.extend(ids(&page.body));
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return seen,
        }
    }
    panic!("pagination of {url} does not terminate");
}

#[tokio::test]
async fn sort_limit_and_cursor_pagination() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let cid = id(&c);
    // One by one: distinct created_at, names out of creation order.
    let names = ["mango", "Apple", "kiwi", "banana", "Cherry", "apple", "fig"];
    let mut created = Vec::new();
    let mut updated_at = Vec::new();
    for n in names {
        let l = app.create_lead(&s.token, &cid, json!({"name": n})).await;
        created.push(id(&l));
        updated_at.push(l["updated_at"].as_str().unwrap_or_default().to_owned());
    }
    // Touch the third lead: it becomes the most recently updated.
    let touched = app
        .patch(
            &format!("/api/leads/{}", created[2]),
            &s.token,
            json!({"notes": "x"}),
        )
        .await
        .expect(200);
    updated_at[2] = touched.body["updated_at"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let base = format!("/api/leads?campaign_id={cid}");
    let first = app.get(&base, &s.token).await.expect(200);
    let mut newest_first = created.clone();
    newest_first.reverse();
    assert_eq!(
        ids(&first.body),
        newest_first,
        "default sort is -created_at"
    );
    assert_eq!(first.body["next_cursor"], Value::Null);
    assert_eq!(first.body["total"], 7);

    let sorted_by_name = |desc: bool| {
        let mut pairs: Vec<(&str, &String)> = names.iter().copied().zip(created.iter()).collect();
        pairs.sort_by(|a, b| a.0.cmp(b.0).then(a.1.cmp(b.1)));
        if desc {
            pairs.reverse();
        }
        pairs.into_iter().map(|p| p.1.clone()).collect::<Vec<_>>()
    };
    // Ties in updated_at (same millisecond) are broken by id.
    let mut keyed: Vec<(&String, &String)> = updated_at.iter().zip(created.iter()).collect();
    keyed.sort();
    let by_updated: Vec<String> = keyed.into_iter().map(|k| k.1.clone()).collect();
    assert_eq!(by_updated.last(), Some(&created[2]));
    let mut by_updated_desc = by_updated.clone();
    by_updated_desc.reverse();
    for (sort, expected) in [
        ("created_at", created.clone()),
        ("-created_at", newest_first.clone()),
        ("name", sorted_by_name(false)),
        ("-name", sorted_by_name(true)),
        ("updated_at", by_updated),
        ("-updated_at", by_updated_desc),
    ] {
        let one_page = app
            .get(&format!("{base}&sort={sort}"), &s.token)
            .await
            .expect(200);
        assert_eq!(ids(&one_page.body), expected, "sort={sort}");
        for limit in [1, 2, 3, 7] {
            let paged =
                all_pages(&app, &s.token, &format!("{base}&sort={sort}&limit={limit}")).await;
            assert_eq!(paged, expected, "sort={sort} limit={limit}");
        }
        let page = app
            .get(&format!("{base}&sort={sort}&limit=3"), &s.token)
            .await
            .expect(200);
        assert_eq!(data(&page.body).len(), 3);
        assert_eq!(page.body["total"], 7, "total counts every page");
        assert!(page.body["next_cursor"].is_string());
    }

    // Cursors combine with filters.
    for i in [0, 3, 5] {
        app.patch(
            &format!("/api/leads/{}", created[i]),
            &s.token,
            json!({"status": "contacted"}),
        )
        .await
        .expect(200);
    }
    let contacted = all_pages(
        &app,
        &s.token,
        &format!("{base}&status=contacted&sort=created_at&limit=1"),
    )
    .await;
    assert_eq!(
        contacted,
        [created[0].clone(), created[3].clone(), created[5].clone()]
    );

    // A cursor of another sort order is refused.
    let p = app
        .get(&format!("{base}&sort=name&limit=2"), &s.token)
        .await
        .expect(200);
    let cur = p.body["next_cursor"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    app.get(&format!("{base}&sort=-name&limit=2&cursor={cur}"), &s.token)
        .await
        .problem(400, "bad_request");
    app.get(&format!("{base}&limit=2&cursor={cur}"), &s.token)
        .await
        .problem(400, "bad_request");
}

#[tokio::test]
async fn default_limit_and_ties_in_created_at() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let cid = id(&c);
    // One import: every row shares its created_at, so the keyset relies on the id.
    let rows: Vec<Value> = (0..120)
        .map(|i| json!({"name": format!("Lead {:03}", i % 7)}))
        .collect();
    let res = app
        .import_json(&s.token, &cid, json!(rows))
        .await
        .expect(200);
    assert_eq!(res.body["created"], 120);
    let base = format!("/api/leads?campaign_id={cid}");
    let page = app.get(&base, &s.token).await.expect(200);
    assert_eq!(data(&page.body).len(), 50, "default limit is 50");
    assert_eq!(page.body["total"], 120);
    let max = app
        .get(&format!("{base}&limit=200"), &s.token)
        .await
        .expect(200);
    assert_eq!(data(&max.body).len(), 120);
    assert_eq!(max.body["next_cursor"], Value::Null);
    for sort in [
        "created_at",
        "-created_at",
        "name",
        "-name",
        "updated_at",
        "-updated_at",
    ] {
        let all = all_pages(&app, &s.token, &format!("{base}&sort={sort}&limit=7")).await;
        let one = app
            .get(&format!("{base}&sort={sort}&limit=200"), &s.token)
            .await
            .expect(200);
        assert_eq!(all, ids(&one.body), "sort={sort}");
        let unique: HashSet<&String> = all.iter().collect();
        assert_eq!(unique.len(), 120, "sort={sort}: duplicates or gaps");
    }
}

#[tokio::test]
async fn search_folds_case_beyond_ascii_on_every_path() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let cid = id(&c);
    let lead = app
        .create_lead(
            &s.token,
            &cid,
            json!({"name": "Ödön Ügyes", "company": "ÉLŐ Kft", "title": "ΔΙΕΥΘΥΝΤΉΣ"}),
        )
        .await;
    let hits = |q: &'static str| {
        let app = &app;
        let token = s.token.clone();
        async move {
            let res = app
                .get(&format!("/api/leads?q={}", urlencode(q)), &token)
                .await
                .expect(200);
            res.body["total"].as_u64().unwrap_or(u64::MAX)
        }
    };
    assert_eq!(hits("ödön").await, 1, "name");
    assert_eq!(hits("élő").await, 1, "company");
    assert_eq!(hits("διευθυντής").await, 1, "title");
    // The search key follows updates and imports.
    app.patch(
        &format!("/api/leads/{}", id(&lead)),
        &s.token,
        json!({"name": "Zoë Brontë"}),
    )
    .await
    .expect(200);
    assert_eq!(hits("ödön").await, 0);
    assert_eq!(hits("ZOË").await, 1);
    app.post(
        &format!("/api/campaigns/{cid}/leads/import"),
        &s.token,
        json!([{"name": "Łukasz Żółć"}]),
    )
    .await
    .expect(200);
    assert_eq!(hits("ŁUKASZ").await, 1);
}

/// A list whose filter is rare walks far for its page. On SQLite a list is read in the
/// request's own thread only while it stays short, and a longer one is stopped there and
/// read again on a reader connection: the answer is the whole one either way, and another
/// workspace's and campaign's leads of the same status stay out of it.
#[tokio::test]
async fn a_rare_filter_that_walks_far_is_answered_whole() {
    let app = TestApp::spawn().await;
    let (a, b, [big, small, theirs]) = app.two_workspaces().await;
    // The one converted lead is imported first, so a walk from the newest meets it last.
    let rows: Vec<Value> = (0..3000)
        .map(|i| {
            let status = if i == 0 { "converted" } else { "pending" };
            json!({"name": format!("Lead {i:04}"), "status": status})
        })
        .collect();
    app.import_json(&a.token, &big, json!(rows))
        .await
        .expect(200);
    let elsewhere = json!({"name": "Elsewhere", "status": "converted"});
    app.create_lead(&a.token, &small, elsewhere.clone()).await;
    app.create_lead(&b.token, &theirs, elsewhere).await;

    for sort in ["-created_at", "created_at", "name", "-updated_at"] {
        let url = format!("/api/leads?campaign_id={big}&status=converted&sort={sort}&limit=10");
        let page = app.get(&url, &a.token).await.expect(200).body;
        assert_eq!(page["total"], 1, "{sort}: {page}");
        let names: Vec<&str> = page["data"]
            .as_array()
            .map(|d| d.iter().filter_map(|l| l["name"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(names, ["Lead 0000"], "{sort}");
        assert!(page["next_cursor"].is_null(), "{sort}: {page}");
    }
    let workspace = app
        .get("/api/leads?status=converted&limit=200", &a.token)
        .await
        .expect(200)
        .body;
    assert_eq!(workspace["total"], 2, "{workspace}");
    let mut names: Vec<&str> = workspace["data"]
        .as_array()
        .map(|d| d.iter().filter_map(|l| l["name"].as_str()).collect())
        .unwrap_or_default();
    names.sort_unstable();
    assert_eq!(names, ["Elsewhere", "Lead 0000"]);
}
