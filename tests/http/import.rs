//! `POST /api/campaigns/{id}/leads/import`: JSON and CSV, duplicates, row errors, limits.

use kandid_tests::{TestApp, data, id};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::fmt::Write;

fn import_url(cid: &str) -> String {
    format!("/api/campaigns/{cid}/leads/import")
}

/// `(row, field)` of every error of an import result.
fn error_rows(body: &Value) -> Vec<(u64, String)> {
    body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            assert!(
                e["message"].as_str().is_some_and(|m| !m.is_empty()),
                "error without a message: {e}"
            );
            (
                e["row"].as_u64().unwrap_or_default(),
                e["field"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Every lead of a campaign, by name.
async fn leads_by_name(app: &TestApp, token: &str, cid: &str) -> HashMap<String, Value> {
    let res = app
        .get(&format!("/api/leads?campaign_id={cid}&limit=200"), token)
        .await
        .expect(200);
    data(&res.body)
        .into_iter()
        .map(|l| (l["name"].as_str().unwrap_or_default().to_owned(), l))
        .collect()
}

async fn latest_seq(app: &TestApp, token: &str) -> i64 {
    app.get("/api/events?since=0&limit=1", token)
        .await
        .expect(200)
        .body["latest_seq"]
        .as_i64()
        .unwrap_or(-1)
}

#[tokio::test]
async fn json_import_skips_duplicates_and_reports_bad_rows() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app
        .create_campaign(&s.token, json!({"name": "Target"}))
        .await;
    let other = app
        .create_campaign(&s.token, json!({"name": "Other"}))
        .await;
    let cid = id(&c);
    app.create_lead(
        &s.token,
        &cid,
        json!({"name": "Existing Ada", "email": "Ada@Example.com"}),
    )
    .await;
    app.create_lead(
        &s.token,
        &cid,
        json!({"name": "Existing Bob", "linkedin_url": "https://linkedin.com/in/bob"}),
    )
    .await;
    app.create_lead(
        &s.token,
        &id(&other),
        json!({"name": "Carol elsewhere", "email": "carol@example.com"}),
    )
    .await;

    let rows = json!([
        {"name": "Dup email", "email": "ADA@example.COM"},                        // 1 skipped
        {"name": "Dup url", "linkedin_url": "https://linkedin.com/in/bob"},        // 2 skipped
        {"name": "Carol", "email": "carol@example.com"},                           // 3 created
        {"name": "", "email": "e@example.com"},                                    // 4 error name
        {"name": "Dan", "email": "dan@example.com"},                               // 5 created
        {"name": "Dan again", "email": "DAN@EXAMPLE.COM"},                         // 6 skipped (in file)
        {"name": "Eve", "email": "not-an-email"},                                  // 7 error email
        {"name": "Frank", "linkedin_url": "https://linkedin.com/in/frank"},        // 8 created
        {"name": "Frank again", "linkedin_url": "https://linkedin.com/in/frank"},  // 9 skipped (in file)
        {"name": "Bad status", "status": "bogus"},                                 // 10 error status
        {"name": "Full", "email": "full@example.com", "company": "ACME", "title": "CTO",
         "linkedin_url": "https://linkedin.com/in/full", "status": "contacted",
         "connection_status": "pending", "notes": "imported"},                    // 11 created
        5,                                                                         // 12 error
        {"name": 7},                                                               // 13 error name
        {"name": "Gus", "email": "gus@example.com", "company": "c".repeat(201)},   // 14 error company
        {"name": "Gus", "email": "gus@example.com"},                               // 15 created: 14 was not kept
        {"name": "No contact"},                                                    // 16 created
        {"name": "No contact"},                                                    // 17 created: names are no key
        {"name": "Bad conn", "connection_status": "yes"},                          // 18 error connection_status
        {"name": "Bad url", "linkedin_url": "www.linkedin.com/in/x"},              // 19 error linkedin_url
    ]);
    let res = app.import_json(&s.token, &cid, rows).await.expect(200);
    assert_eq!(res.body["created"], 7, "{}", res.body);
    assert_eq!(res.body["skipped"], 4, "{}", res.body);
    let errors = error_rows(&res.body);
    let rows: Vec<u64> = errors.iter().map(|e| e.0).collect();
    assert_eq!(rows, [4, 7, 10, 12, 13, 14, 18, 19], "{}", res.body);
    let by_row: HashMap<u64, &str> = errors.iter().map(|(r, f)| (*r, f.as_str())).collect();
    for (row, field) in [
        (4, "name"),
        (7, "email"),
        (10, "status"),
        (13, "name"),
        (14, "company"),
        (18, "connection_status"),
        (19, "linkedin_url"),
    ] {
        assert_eq!(
            by_row.get(&row).copied(),
            Some(field),
            "row {row}: {}",
            res.body
        );
    }
    assert!(
        !by_row.get(&12).copied().unwrap_or_default().is_empty(),
        "row 12 names no field"
    );

    let leads = leads_by_name(&app, &s.token, &cid).await;
    let mut names: Vec<&str> = leads.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "Carol",
            "Dan",
            "Existing Ada",
            "Existing Bob",
            "Frank",
            "Full",
            "Gus",
            "No contact"
        ]
    );
    let total = app
        .get(&format!("/api/leads?campaign_id={cid}"), &s.token)
        .await
        .expect(200);
    assert_eq!(total.body["total"], 9);
    let full = &leads["Full"];
    assert_eq!(full["campaign_id"], cid.as_str());
    assert_eq!(full["email"], "full@example.com");
    assert_eq!(full["company"], "ACME");
    assert_eq!(full["title"], "CTO");
    assert_eq!(full["linkedin_url"], "https://linkedin.com/in/full");
    assert_eq!(full["status"], "contacted");
    assert_eq!(full["connection_status"], "pending");
    assert_eq!(full["notes"], "imported");
    assert_eq!(full["version"], 1);
    assert_eq!(leads["Dan"]["status"], "pending");
    assert_eq!(leads["Dan"]["connection_status"], "not_connected");
    // The other campaign is untouched.
    let o = app
        .get(&format!("/api/leads?campaign_id={}", id(&other)), &s.token)
        .await
        .expect(200);
    assert_eq!(o.body["total"], 1);
    // Stats include the imported leads.
    let camp = app
        .get(&format!("/api/campaigns/{cid}"), &s.token)
        .await
        .expect(200);
    assert_eq!(camp.body["stats"]["total_leads"], 9);
    assert_eq!(camp.body["stats"]["by_status"]["contacted"], 1);

    // Importing the same file again creates nothing new.
    let again = app
        .import_json(&s.token, &cid, json!([{"name": "Dan", "email": "dan@example.com"}, {"name": "Frank", "linkedin_url": "https://linkedin.com/in/frank"}]))
        .await
        .expect(200);
    assert_eq!(
        again.body,
        json!({"created": 0, "skipped": 2, "errors": []})
    );
}

#[tokio::test]
async fn csv_import() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "CSV"})).await;
    let cid = id(&c);
    app.create_lead(
        &s.token,
        &cid,
        json!({"name": "Existing", "email": "taken@example.com"}),
    )
    .await;
    // BOM, header in another case and order, an unknown column, quoted commas and a quoted
    // line break (the records after it keep their numbers), CRLF line ends, empty cells.
    let csv = "\u{feff}Email,NAME,Company,ignored,title,linkedin_url,status,connection_status,notes\r\n\
        ada@example.com,Ada Lovelace,\"Engines, Ltd\",zzz,CTO,https://linkedin.com/in/ada,contacted,connected,\"line one\nline two\"\r\n\
        TAKEN@example.com,Dup Of Existing,,,,,,,\r\n\
        bad-email,Bad Email,,,,,,,\r\n\
        ,,No Name Inc,,,,,,\r\n\
        ADA@EXAMPLE.COM,Dup In File,,,,,,,\r\n\
        bob@example.com,Bob,,,,,weird,,\r\n\
        carol@example.com,Carol,,,,https://linkedin.com/in/ada,,,\r\n\
        ,Dora,,,,,,,\r\n\
        ,\"Quoted, Name\",,,,,,,\r\n";
    let res = app
        .send_raw(
            Method::POST,
            &import_url(&cid),
            &s.token,
            "text/csv; charset=utf-8",
            csv,
        )
        .await
        .expect(200);
    assert_eq!(res.body["created"], 3, "{}", res.body);
    assert_eq!(res.body["skipped"], 3, "{}", res.body);
    assert_eq!(
        error_rows(&res.body),
        [
            (3, "email".to_owned()),
            (4, "name".to_owned()),
            (6, "status".to_owned())
        ],
        "{}",
        res.body
    );
    let leads = leads_by_name(&app, &s.token, &cid).await;
    let mut names: Vec<&str> = leads.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["Ada Lovelace", "Dora", "Existing", "Quoted, Name"]);
    let ada = &leads["Ada Lovelace"];
    assert_eq!(ada["email"], "ada@example.com");
    assert_eq!(ada["company"], "Engines, Ltd");
    assert_eq!(ada["title"], "CTO");
    assert_eq!(ada["linkedin_url"], "https://linkedin.com/in/ada");
    assert_eq!(ada["status"], "contacted");
    assert_eq!(ada["connection_status"], "connected");
    assert_eq!(ada["notes"], "line one\nline two");
    let dora = &leads["Dora"];
    for f in ["email", "company", "title", "linkedin_url", "notes"] {
        assert_eq!(dora[f], Value::Null, "empty cell {f} is absent");
    }
    assert_eq!(dora["status"], "pending");

    // Only a name column; a header-only file creates nothing.
    let res = app
        .import_csv(&s.token, &cid, "name\nSolo\n")
        .await
        .expect(200);
    assert_eq!(res.body, json!({"created": 1, "skipped": 0, "errors": []}));
    let res = app
        .import_csv(&s.token, &cid, "name,email\n")
        .await
        .expect(200);
    assert_eq!(res.body, json!({"created": 0, "skipped": 0, "errors": []}));
    // A row that is not UTF-8 is reported; the rows around it are kept.
    let mut bytes = b"name,email\nBefore,before@example.com\n".to_vec();
    bytes.extend_from_slice(b"Bad \xff\xfe bytes,x@example.com\nAfter,after@example.com\n");
    let res = app
        .send_raw(Method::POST, &import_url(&cid), &s.token, "text/csv", bytes)
        .await
        .expect(200);
    assert_eq!(res.body["created"], 2, "{}", res.body);
    assert_eq!(error_rows(&res.body), [(2, "row".to_owned())]);
    // An unreadable header is a bad request.
    app.send_raw(
        Method::POST,
        &import_url(&cid),
        &s.token,
        "text/csv",
        b"na\xffme\nx\n".to_vec(),
    )
    .await
    .problem(400, "bad_request");
    // Without a name column every row is invalid.
    let res = app
        .import_csv(&s.token, &cid, "email\nx@example.com\ny@example.com\n")
        .await
        .expect(200);
    assert_eq!(res.body["created"], 0);
    assert_eq!(
        error_rows(&res.body),
        [(1, "name".to_owned()), (2, "name".to_owned())]
    );
}

#[tokio::test]
async fn nothing_created_means_no_activity_and_no_event() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let cid = id(&c);
    app.create_lead(
        &s.token,
        &cid,
        json!({"name": "A", "email": "a@example.com"}),
    )
    .await;
    let seq = latest_seq(&app, &s.token).await;
    let acts = app.get("/api/activities", &s.token).await.expect(200).body["total"].clone();

    for body in [
        json!([]),
        json!([{"name": "dup", "email": "A@EXAMPLE.COM"}, {"name": ""}, {"email": "x@example.com"}]),
    ] {
        let res = app.import_json(&s.token, &cid, body).await.expect(200);
        assert_eq!(res.body["created"], 0, "{}", res.body);
    }
    let res = app
        .import_json(
            &s.token,
            &cid,
            json!([{"name": "dup", "email": "A@EXAMPLE.COM"}, {"name": ""}]),
        )
        .await
        .expect(200);
    assert_eq!(res.body["skipped"], 1);
    assert_eq!(error_rows(&res.body), [(2, "name".to_owned())]);
    assert_eq!(
        latest_seq(&app, &s.token).await,
        seq,
        "an import that created nothing emitted an event"
    );
    assert_eq!(
        app.get("/api/activities", &s.token).await.expect(200).body["total"],
        acts,
        "an import that created nothing logged an activity"
    );
    let camp = app
        .get(&format!("/api/campaigns/{cid}"), &s.token)
        .await
        .expect(200);
    assert_eq!(camp.body["version"], 1);
    assert_eq!(camp.body["stats"]["total_leads"], 1);

    // A successful import: one event, one activity.
    let res = app
        .import_json(&s.token, &cid, json!([{"name": "B"}, {"name": "C"}]))
        .await
        .expect(200);
    assert_eq!(res.body["created"], 2);
    let ev = app
        .get(&format!("/api/events?since={seq}"), &s.token)
        .await
        .expect(200);
    let events = data(&ev.body);
    assert_eq!(events.len(), 1, "{}", ev.body);
    assert_eq!(events[0]["type"], "leads_updated");
    assert_eq!(events[0]["action"], "imported");
    assert_eq!(events[0]["count"], 2);
    assert_eq!(events[0]["id"], Value::Null);
    assert_eq!(events[0]["campaign_id"], cid.as_str());
}

#[tokio::test]
async fn content_type_campaign_and_body_shape() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let other = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let cid = id(&c);
    let url = import_url(&cid);
    for ct in [
        "text/plain",
        "",
        "application/xml",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
    ] {
        app.send_raw(Method::POST, &url, &s.token, ct, "name\nA\n")
            .await
            .problem(415, "unsupported_media_type");
    }
    for body in [
        "{\"name\": \"x\"}",
        "\"rows\"",
        "42",
        "null",
        "[{\"name\": \"x\"",
        "not json",
        "",
    ] {
        app.send_raw(Method::POST, &url, &s.token, "application/json", body)
            .await
            .problem(400, "bad_request");
    }
    // An unknown campaign and another workspace's are both 404, whatever the body.
    let theirs = app
        .create_campaign(&other.token, json!({"name": "Theirs"}))
        .await;
    for cid in [id(&theirs), uuid::Uuid::now_v7().to_string()] {
        app.import_json(&s.token, &cid, json!([{"name": "x"}]))
            .await
            .problem(404, "not_found");
        app.import_csv(&s.token, &cid, "name\nx\n")
            .await
            .problem(404, "not_found");
    }
    let theirs_leads = app
        .get(
            &format!("/api/leads?campaign_id={}", id(&theirs)),
            &other.token,
        )
        .await
        .expect(200);
    assert_eq!(theirs_leads.body["total"], 0);
    app.import_json(&s.token, "not-a-uuid", json!([]))
        .await
        .problem(400, "bad_request");
    // Viewers may not import.
    let viewer = app.member(&s, "viewer").await.token;
    app.import_json(&viewer, &cid, json!([{"name": "x"}]))
        .await
        .problem(403, "forbidden");
    let leads = app
        .get(&format!("/api/leads?campaign_id={cid}"), &s.token)
        .await
        .expect(200);
    assert_eq!(leads.body["total"], 0);
}

#[tokio::test]
async fn row_and_size_limits() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let cid = id(&c);
    let url = import_url(&cid);

    let too_many_json = format!(
        "[{}{{\"name\":\"x\"}}]",
        "{\"name\":\"x\"},".repeat(100_000)
    );
    app.send_raw(
        Method::POST,
        &url,
        &s.token,
        "application/json",
        too_many_json,
    )
    .await
    .problem(413, "payload_too_large");
    let too_many_csv = format!("name\n{}", "x\n".repeat(100_001));
    app.import_csv(&s.token, &cid, too_many_csv)
        .await
        .problem(413, "payload_too_large");
    // Over 50 MiB, even with few rows.
    let huge = format!("name,notes\nx,{}\n", "n".repeat(50 * 1024 * 1024));
    app.import_csv(&s.token, &cid, huge)
        .await
        .problem(413, "payload_too_large");
    // Imports may be larger than the 1 MiB of other endpoints.
    let mut big = String::from("name,notes\n");
    for i in 0..300 {
        let _ = writeln!(big, "Lead {i},{}", "n".repeat(7000));
    }
    assert!(big.len() > 2 * 1024 * 1024);
    let res = app.import_csv(&s.token, &cid, big).await.expect(200);
    assert_eq!(res.body["created"], 300);
    let leads = app
        .get(&format!("/api/leads?campaign_id={cid}&limit=1"), &s.token)
        .await
        .expect(200);
    assert_eq!(leads.body["total"], 300, "a refused import created leads");
}

#[tokio::test]
async fn one_hundred_thousand_csv_rows() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "Big"})).await;
    let cid = id(&c);
    app.create_lead(
        &s.token,
        &cid,
        json!({"name": "Existing", "email": "lead1@example.com"}),
    )
    .await;
    let seq = latest_seq(&app, &s.token).await;

    // Row i (from 1): a unique lead, except
    //   row 1: its e-mail exists in the campaign (skipped);
    //   i % 1000 == 0: the e-mail of row i - 1, upper-cased (skipped);
    //   i % 1000 == 250: the LinkedIn URL of row i - 1 (skipped);
    //   i % 1000 == 500: an invalid e-mail (error);
    //   i % 1000 == 750: an unknown status (error).
    let mut csv = String::with_capacity(100_000 * 110);
    csv.push_str("name,email,company,title,linkedin_url,status,connection_status\n");
    let mut expected_errors = Vec::new();
    for i in 1..=100_000u64 {
        let email = match i % 1000 {
            0 => format!("LEAD{}@EXAMPLE.COM", i - 1),
            500 => {
                expected_errors.push((i, "email".to_owned()));
                format!("bad-{i}")
            }
            _ => format!("lead{i}@example.com"),
        };
        let url = match i % 1000 {
            250 => format!("https://linkedin.com/in/lead{}", i - 1),
            _ => format!("https://linkedin.com/in/lead{i}"),
        };
        let status = match i % 1000 {
            750 => {
                expected_errors.push((i, "status".to_owned()));
                "nope"
            }
            _ => ["pending", "contacted", "responded"][(i % 3) as usize],
        };
        let _ = writeln!(
            csv,
            "Lead {i},{email},Company {},Title,{url},{status},not_connected",
            i % 97
        );
    }
    expected_errors.sort();
    let started = std::time::Instant::now();
    let res = app.import_csv(&s.token, &cid, csv).await.expect(200);
    let took = started.elapsed();
    let skipped = 1 + 100 + 100;
    let errors = 200;
    assert_eq!(res.body["skipped"], skipped, "took {took:?}");
    assert_eq!(error_rows(&res.body), expected_errors);
    assert_eq!(res.body["created"], 100_000 - skipped - errors);

    let list = app
        .get(&format!("/api/leads?campaign_id={cid}&limit=1"), &s.token)
        .await
        .expect(200);
    assert_eq!(list.body["total"], 100_000 - skipped - errors + 1);
    let camp = app
        .get(&format!("/api/campaigns/{cid}"), &s.token)
        .await
        .expect(200);
    assert_eq!(
        camp.body["stats"]["total_leads"],
        100_000 - skipped - errors + 1
    );
    // Spot checks: skipped duplicates are absent, the rows they duplicated are present.
    let count = |q: &str| {
        let app = &app;
        let url = format!("/api/leads?campaign_id={cid}&limit=1&q={q}");
        let token = s.token.clone();
        async move { app.get(&url, &token).await.expect(200).body["total"].clone() }
    };
    assert_eq!(count("999%40").await, 100, "rows 999, 1999, … 99999");
    assert_eq!(
        count("000%40").await,
        0,
        "rows 1000, 2000, … were duplicates"
    );
    // One event for the whole import.
    let ev = app
        .get(&format!("/api/events?since={seq}"), &s.token)
        .await
        .expect(200);
    let events = data(&ev.body);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["action"], "imported");
    assert_eq!(events[0]["count"], 100_000 - skipped - errors);
}

#[tokio::test]
async fn a_row_with_several_bad_fields_names_each() {
    let app = TestApp::spawn().await;
    let s = app.register().await;
    let c = app.create_campaign(&s.token, json!({"name": "C"})).await;
    let csv = "name,email,status\n,not-an-email,bogus\nOk,ok@example.com,pending\n";
    let res = app.import_csv(&s.token, &id(&c), csv).await.expect(200);
    assert_eq!(res.body["created"], 1);
    let mut fields: Vec<(u64, String)> = error_rows(&res.body);
    fields.sort();
    assert_eq!(
        fields,
        [
            (1, "email".to_owned()),
            (1, "name".to_owned()),
            (1, "status".to_owned())
        ]
    );
}
