//! Imports are all or nothing while other writes go on: a list never shows part of an
//! import, and (SQLite, which stages an import's rows in short writes) the rows of an
//! import that never finished are never seen and are removed at the next start-up.

use kandid::sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use kandid_tests::{TestApp, data, id};
use serde_json::{Value, json};

/// `n` distinct import rows named `prefix …`.
fn rows(prefix: &str, n: usize) -> Value {
    (0..n)
        .map(|i| {
            json!({"name": format!("{prefix} {i}"), "email": format!("{prefix}-{i}@example.com"),
                   "linkedin_url": format!("https://linkedin.com/in/{prefix}-{i}")})
        })
        .collect()
}

async fn total(app: &TestApp, token: &str, query: &str) -> i64 {
    app.get(&format!("/api/leads?{query}"), token)
        .await
        .expect(200)
        .body["total"]
        .as_i64()
        .unwrap_or(-1)
}

#[tokio::test]
async fn a_list_sees_all_of_an_import_or_none_while_others_write() {
    const N: usize = 20_000;
    let app = TestApp::spawn().await;
    let a = app.register().await;
    let b = app.register().await;
    let cid = id(&app.create_campaign(&a.token, json!({"name": "Big"})).await);
    let other = id(&app
        .create_campaign(&b.token, json!({"name": "Other"}))
        .await);

    let import = app.import_json(&a.token, &cid, rows("bulk", N));
    let watch = async {
        let (mut seen, mut created) = (Vec::new(), 0);
        // Until the import is visible: every total is all of it or none.
        loop {
            let t = total(&app, &a.token, &format!("campaign_id={cid}")).await;
            seen.push(t);
            app.create_lead(&b.token, &other, json!({"name": format!("B {created}")}))
                .await;
            created += 1;
            if t != 0 || created > 2000 {
                break;
            }
        }
        (seen, created)
    };
    let (res, (seen, created)) = tokio::join!(import, watch);
    let res = res.expect(200);
    assert_eq!(res.body["created"], N, "{}", res.body);
    assert!(
        seen.iter().all(|t| *t == 0 || *t == N as i64),
        "a list saw part of an import: {seen:?}"
    );
    assert_eq!(
        total(&app, &a.token, &format!("campaign_id={cid}")).await,
        N as i64
    );
    assert_eq!(total(&app, &b.token, "").await, created);
    // One event for the import.
    let ev = app
        .get("/api/events?since=0&limit=200", &a.token)
        .await
        .expect(200);
    let imported: Vec<Value> = data(&ev.body)
        .into_iter()
        .filter(|e| e["action"] == "imported")
        .collect();
    assert_eq!(imported.len(), 1, "{}", ev.body);
    assert_eq!(imported[0]["count"], N);
}

/// One number from the test's database.
async fn count(url: &str, sql: &str) -> i64 {
    let db = match Database::connect(url).await {
        Ok(db) => db,
        Err(e) => panic!("{url}: {e}"),
    };
    let row = match db
        .query_one_raw(Statement::from_string(DbBackend::Sqlite, sql))
        .await
    {
        Ok(Some(r)) => r,
        other => panic!("{sql}: {other:?}"),
    };
    let n = row.try_get::<i64>("", "n").unwrap_or(-1);
    let _ = db.close().await;
    n
}

#[tokio::test]
async fn an_import_cut_short_is_never_seen_and_goes_at_start_up() {
    let mut app = TestApp::spawn().await;
    if app.database_url.starts_with("postgres") {
        // PostgreSQL imports in one transaction: nothing is ever staged.
        return;
    }
    let s = app.register().await;
    let cid = id(&app
        .create_campaign(&s.token, json!({"name": "Staged"}))
        .await);
    let gone = id(&app.create_campaign(&s.token, json!({"name": "Gone"})).await);
    for c in [&cid, &gone] {
        let res = app
            .import_json(&s.token, c, rows("zed", 3))
            .await
            .expect(200);
        assert_eq!(res.body["created"], 3);
    }
    let lead = data(
        &app.get(&format!("/api/leads?campaign_id={cid}"), &s.token)
            .await
            .expect(200)
            .body,
    )[0]
    .clone();
    // As a crash leaves an import: listed as unfinished, its rows written, no counts yet.
    for name in ["Staged", "Gone"] {
        app.sql(&format!(
            "INSERT INTO lead_imports (id, workspace_id, campaign_id, created_at)
               SELECT id, workspace_id, id, created_at FROM campaigns WHERE name = '{name}'"
        ))
        .await;
        app.sql(&format!(
            "UPDATE leads SET import_id = campaign_id
               WHERE campaign_id IN (SELECT id FROM campaigns WHERE name = '{name}')"
        ))
        .await;
        app.sql(&format!(
            "DELETE FROM lead_counts WHERE campaign_id IN (SELECT id FROM campaigns WHERE name = '{name}')"
        ))
        .await;
    }

    assert_eq!(
        total(&app, &s.token, &format!("campaign_id={cid}")).await,
        0
    );
    assert_eq!(total(&app, &s.token, "").await, 0);
    assert_eq!(total(&app, &s.token, "q=zed").await, 0);
    let lead_url = format!("/api/leads/{}", id(&lead));
    app.get(&lead_url, &s.token).await.expect(404);
    app.patch(&lead_url, &s.token, json!({"name": "x"}))
        .await
        .expect(404);
    // Invisible rows are no duplicates.
    let res = app
        .import_json(
            &s.token,
            &cid,
            json!([{"name": "zed again", "email": "zed-0@example.com"}]),
        )
        .await
        .expect(200);
    assert_eq!(res.body["created"], 1, "{}", res.body);

    // A deleted campaign announces only the leads anyone saw.
    let seq = app
        .get("/api/events?since=0&limit=1", &s.token)
        .await
        .expect(200)
        .body["latest_seq"]
        .as_i64()
        .unwrap_or(-1);
    app.create_lead(&s.token, &gone, json!({"name": "seen"}))
        .await;
    app.delete(&format!("/api/campaigns/{gone}"), &s.token)
        .await
        .expect(204);
    let ev = app
        .get(&format!("/api/events?since={}", seq + 1), &s.token)
        .await
        .expect(200);
    let deleted: Vec<Value> = data(&ev.body)
        .into_iter()
        .filter(|e| e["type"] == "leads_updated")
        .collect();
    assert_eq!(deleted.len(), 1, "{}", ev.body);
    assert_eq!(deleted[0]["count"], 1, "{}", ev.body);

    app.restart_with(|_| {}).await;
    let url = app.database_url.clone();
    assert_eq!(
        count(&url, "SELECT COUNT(*) AS n FROM lead_imports").await,
        0
    );
    assert_eq!(
        count(
            &url,
            "SELECT COUNT(*) AS n FROM leads WHERE campaign_id IN (SELECT id FROM campaigns WHERE name = 'Staged')"
        )
        .await,
        1
    );
    assert_eq!(total(&app, &s.token, "q=zed").await, 1);
    assert_eq!(
        total(&app, &s.token, &format!("campaign_id={cid}")).await,
        1
    );
}
