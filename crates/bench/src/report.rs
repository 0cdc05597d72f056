//! `report`: the markdown tables of a `tests/bench/db.sh` run, from the JSON lines each
//! server's scenarios wrote to `<dir>/<leads>/<server>.ndjson`.

use crate::contention::ContentionReport;
use crate::load::LoadReport;
use crate::memory::MemoryReport;
use crate::record::Record;
use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::path::Path;

/// File stem and column title of each server, in column order; the last one is the
/// comparison that ratios divide by.
pub const SERVERS: [(&str, &str); 3] = [
    ("kandid-sqlite", "kandid SQLite"),
    ("kandid-postgres", "kandid PostgreSQL"),
    ("node", "Node"),
];

/// The records of one database size, per server (in `SERVERS` order; empty when that
/// server did not run).
#[derive(Debug, Default)]
pub struct SizeResults {
    pub leads: u64,
    pub servers: [Vec<Record>; 3],
}

/// Reads every `<dir>/<leads>/<server>.ndjson`; lines that are not records (a crashed run's
/// partial output) are skipped so the rest still reports.
pub fn load_dir(dir: &Path) -> Result<Vec<SizeResults>> {
    let mut sizes = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        let Some(leads) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        let mut size = SizeResults {
            leads,
            ..SizeResults::default()
        };
        for (i, (stem, _)) in SERVERS.iter().enumerate() {
            let path = entry.path().join(format!("{stem}.ndjson"));
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            size.servers[i] = text
                .lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect();
        }
        sizes.push(size);
    }
    sizes.sort_by_key(|s| s.leads);
    Ok(sizes)
}

/// One line of a table: a figure of each server.
struct Row {
    key: String,
    metric: String,
    values: [Option<f64>; 3],
    /// Whether a kandid ÷ Node ratio means something (not for error counts).
    ratio: bool,
}

/// `1000000` → `1 000 000`.
#[must_use]
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// Enough digits to compare, no more; counts stay whole.
#[must_use]
pub fn figure(v: f64) -> String {
    let a = v.abs();
    if a >= 100.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

fn table(out: &mut String, title: &str, legend: &str, rows: &[Row]) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "### {title}\n\n{legend}\n");
    let _ = writeln!(
        out,
        "| leads | figure | {} | {} | {} | SQLite ÷ Node | PostgreSQL ÷ Node |",
        SERVERS[0].1, SERVERS[1].1, SERVERS[2].1
    );
    let _ = writeln!(out, "|---|---|--:|--:|--:|--:|--:|");
    for r in rows {
        let cell = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), figure);
        let ratio = |v: Option<f64>| match (v, r.values[2]) {
            (Some(k), Some(n)) if r.ratio && n > 0.0 => format!("{:.2}", k / n),
            _ => "–".to_owned(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.key,
            r.metric,
            cell(r.values[0]),
            cell(r.values[1]),
            cell(r.values[2]),
            ratio(r.values[0]),
            ratio(r.values[1]),
        );
    }
    out.push('\n');
}

/// The first record of each server that `pick` accepts.
fn per_server<'a, T>(
    size: &'a SizeResults,
    pick: impl Fn(&'a Record) -> Option<&'a T>,
) -> [Option<&'a T>; 3] {
    [0, 1, 2].map(|i| size.servers[i].iter().find_map(&pick))
}

fn load_rows(rows: &mut Vec<Row>, key: &str, r: [Option<&LoadReport>; 3]) {
    if r.iter().all(Option::is_none) {
        return;
    }
    type Get = fn(&LoadReport) -> Option<f64>;
    #[allow(clippy::cast_precision_loss)]
    let figures: [(&str, Get, bool); 6] = [
        ("req/s", |l| Some(l.rps), true),
        ("p50 ms", |l| l.latency.map(|x| x.p50_ms), true),
        ("p99 ms", |l| l.latency.map(|x| x.p99_ms), true),
        ("server CPU ms/req", |l| l.server_cpu_ms_per_req, true),
        (
            "generator CPU ms/req",
            |l| Some(l.client_cpu_ms_per_req),
            false,
        ),
        (
            "errors",
            |l| Some(l.errors.values().sum::<u64>() as f64),
            false,
        ),
    ];
    for (metric, get, ratio) in figures {
        rows.push(Row {
            key: key.to_owned(),
            metric: metric.to_owned(),
            values: r.map(|l| l.and_then(get)),
            ratio,
        });
    }
}

/// The tables of a run, one per scenario, each with a row group per database size.
#[must_use]
pub fn markdown(sizes: &[SizeResults]) -> String {
    let (mut seed, mut list, mut create, mut import, mut reads) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut contention, mut memory) = (Vec::new(), Vec::new());
    for size in sizes {
        let key = grouped(size.leads);
        let s = per_server(size, |r| match r {
            Record::Seed(s) => Some(s),
            _ => None,
        });
        if s.iter().any(Option::is_some) {
            seed.push(Row {
                key: key.clone(),
                metric: "seconds".into(),
                values: s.map(|s| s.map(|s| s.seconds)),
                ratio: true,
            });
        }
        let l = per_server(size, |r| match r {
            Record::RestList(l) => Some(l),
            _ => None,
        });
        load_rows(&mut list, &key, l);
        let c = per_server(size, |r| match r {
            Record::RestCreate(l) => Some(l),
            _ => None,
        });
        load_rows(&mut create, &key, c);

        let imp = per_server(size, |r| match r {
            Record::Import(i) => Some(i),
            _ => None,
        });
        let mut counts: Vec<u64> = imp
            .iter()
            .flatten()
            .flat_map(|i| i.runs.iter().map(|r| r.rows))
            .collect();
        counts.sort_unstable();
        counts.dedup();
        for n in counts {
            let run = imp.map(|i| i.and_then(|i| i.runs.iter().find(|r| r.rows == n)));
            import.push(Row {
                key: key.clone(),
                metric: format!("{} rows: seconds", grouped(n)),
                values: run.map(|r| r.map(|r| r.seconds)),
                ratio: true,
            });
            import.push(Row {
                key: key.clone(),
                metric: format!("{} rows: server CPU s", grouped(n)),
                values: run.map(|r| r.and_then(|r| r.server_cpu_s)),
                ratio: true,
            });
        }

        let ct = per_server(size, |r| match r {
            Record::ImportContention(c) => Some(c),
            _ => None,
        });
        if ct.iter().any(Option::is_some) {
            type Get = fn(&ContentionReport) -> Option<f64>;
            #[allow(clippy::cast_precision_loss)]
            let figures: [(&str, Get, bool); 9] = [
                ("A's import: seconds", |c| Some(c.import_seconds), true),
                ("B before: p50 ms", |c| c.before.map(|l| l.p50_ms), true),
                ("B before: p99 ms", |c| c.before.map(|l| l.p99_ms), true),
                ("B during: writes", |c| Some(c.during_writes as f64), true),
                ("B during: p50 ms", |c| c.during.map(|l| l.p50_ms), true),
                ("B during: p99 ms", |c| c.during.map(|l| l.p99_ms), true),
                ("B during: worst ms", |c| c.during.map(|l| l.max_ms), true),
                ("B errors", |c| Some(c.errors as f64), false),
                ("clients of B", |c| Some(c.clients as f64), false),
            ];
            let rows_of = ct.iter().flatten().map(|c| c.rows).max().unwrap_or(0);
            for (metric, get, ratio) in figures {
                contention.push(Row {
                    key: key.clone(),
                    metric: format!("{} rows, {metric}", grouped(rows_of)),
                    values: ct.map(|c| c.and_then(get)),
                    ratio,
                });
            }
        }

        memory_rows(&mut memory, &key, size);

        let rd = per_server(size, |r| match r {
            Record::Reads(r) => Some(r),
            _ => None,
        });
        let names: Vec<String> = rd
            .iter()
            .flatten()
            .flat_map(|r| r.endpoints.iter().map(|e| e.name.clone()))
            .fold(Vec::new(), |mut v, n| {
                if !v.contains(&n) {
                    v.push(n);
                }
                v
            });
        for name in names {
            let lat = rd.map(|r| {
                r.and_then(|r| r.endpoints.iter().find(|e| e.name == name))
                    .and_then(|e| e.latency)
            });
            for (metric, get) in [("p50 ms", 0), ("p99 ms", 1)] {
                reads.push(Row {
                    key: key.clone(),
                    metric: format!("`{name}` {metric}"),
                    values: lat.map(|l| l.map(|l| if get == 0 { l.p50_ms } else { l.p99_ms })),
                    ratio: true,
                });
            }
        }
    }

    let better = "Ratios are kandid ÷ Node of the figure in that row: above 1 is better for req/s, \
                  below 1 is better for latencies, CPU and seconds.";
    let mut out = String::new();
    table(
        &mut out,
        "Seeding",
        &format!("Time to import the leads in JSON chunks of at most 100 000 rows. {better}"),
        &seed,
    );
    table(
        &mut out,
        "`rest-list`: `GET /api/leads?campaign_id=…&limit=50` under concurrent load",
        &format!(
            "Closed loop; latencies of successful requests; server CPU is utime + stime of the server process (PostgreSQL's own processes not included). {better}"
        ),
        &list,
    );
    table(
        &mut out,
        "`rest-create`: `POST /api/leads` into one workspace under concurrent load",
        &format!("Every write in one workspace, each with its activity row and event. {better}"),
        &create,
    );
    table(
        &mut out,
        "`import`: one `POST /api/campaigns/{id}/leads/import` (JSON) into a fresh campaign",
        &format!(
            "Seconds from sending the request to the answer; the body is encoded before timing. {better}"
        ),
        &import,
    );
    table(
        &mut out,
        "`import-contention`: `POST /api/leads` into workspace B while workspace A imports",
        &format!(
            "Clients of B create leads in a closed loop from a second before A's JSON import until it answered; \
             `before` are B's writes that started before the import, `during` those that started while it was in flight. {better}"
        ),
        &contention,
    );
    table(
        &mut out,
        "`reads`: one request at a time",
        &format!(
            "`campaign` = `GET /api/campaigns/{{id}}` (with stats), `dashboard` = `GET /api/dashboard`, `leads` = `GET /api/leads?campaign_id=…`, `leads_search` = the same with `&q=zephyr` (about 1 % of the leads match). {better}"
        ),
        &reads,
    );
    table(
        &mut out,
        "Memory: the server's resident set",
        &format!(
            "`VmRSS` (now), `RssAnon` (the process's own memory: heap and stacks, not mapped files such as SQLite's WAL index) and `VmHWM` (peak RSS so far) \
             of the server process after each step, from `/proc/<pid>/status`; PostgreSQL's own processes are not included. {better}"
        ),
        &memory,
    );
    out
}

/// A row per memory reading (in the order they were taken) and figure.
fn memory_rows(rows: &mut Vec<Row>, key: &str, size: &SizeResults) {
    let mut labels: Vec<&str> = Vec::new();
    for r in size.servers.iter().flatten() {
        if let Record::Memory(m) = r
            && !labels.contains(&m.label.as_str())
        {
            labels.push(&m.label);
        }
    }
    for label in labels {
        let m = per_server(size, |r| match r {
            Record::Memory(m) if m.label == label => Some(m),
            _ => None,
        });
        type Get = fn(&MemoryReport) -> f64;
        let figures: [(&str, Get); 3] = [
            ("RSS MiB", |m| m.rss_mib),
            ("own (anonymous) MiB", |m| m.anon_mib),
            ("peak RSS MiB", |m| m.peak_mib),
        ];
        for (metric, get) in figures {
            rows.push(Row {
                key: key.to_owned(),
                metric: format!("after {label}: {metric}"),
                values: m.map(|m| m.map(get)),
                ratio: true,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(1_000_000), "1\u{202f}000\u{202f}000");
        assert_eq!(grouped(20_000), "20\u{202f}000");
        assert_eq!(grouped(999), "999");
    }

    #[test]
    fn figures() {
        assert_eq!(figure(0.0), "0");
        assert_eq!(figure(1234.5), "1234");
        assert_eq!(figure(12.34), "12.3");
        assert_eq!(figure(0.4425), "0.443");
    }

    #[test]
    fn tables_from_records() -> serde_json::Result<()> {
        let line = |rps: f64| {
            format!(
                r#"{{"scenario":"rest-list","concurrency":4,"seconds":5.0,"requests":10,"rps":{rps},"latency":{{"p50_ms":1.0,"p90_ms":2.0,"p99_ms":3.0,"mean_ms":1.5,"max_ms":4.0}},"errors":{{}},"server_cpu_ms_per_req":0.5,"client_cpu_ms_per_req":0.1}}"#
            )
        };
        let size = SizeResults {
            leads: 1000,
            servers: [
                vec![serde_json::from_str(&line(300.0))?],
                vec![],
                vec![serde_json::from_str(&line(100.0))?],
            ],
        };
        let md = markdown(&[size]);
        assert!(
            md.contains("| 1\u{202f}000 | req/s | 300 | – | 100 | 3.00 | – |"),
            "{md}"
        );
        assert!(!md.contains("Seeding"), "{md}");
        assert!(!md.contains("Memory"), "{md}");
        Ok(())
    }

    #[test]
    fn memory_table() -> serde_json::Result<()> {
        let line = |label: &str, rss: f64| {
            serde_json::from_str::<Record>(&format!(
                r#"{{"scenario":"memory","label":"{label}","rss_mib":{rss},"anon_mib":{rss},"peak_mib":{},"ceiling_mib":null}}"#,
                rss * 2.0
            ))
        };
        let size = SizeResults {
            leads: 1000,
            servers: [
                vec![line("seed", 40.0)?, line("rest-list", 50.0)?],
                vec![],
                vec![line("seed", 80.0)?],
            ],
        };
        let md = markdown(&[size]);
        assert!(
            md.contains("| 1\u{202f}000 | after seed: RSS MiB | 40 | – | 80 | 0.50 | – |"),
            "{md}"
        );
        assert!(
            md.contains("| 1\u{202f}000 | after rest-list: peak RSS MiB | 100 | – | – | – | – |"),
            "{md}"
        );
        Ok(())
    }
}
