//! `kandid [serve|migrate|openapi|asyncapi|seed]`: parses settings and hands over to the library.

use clap::Parser;
use kandid::{Cli, Command};
use std::io::Write;
use std::process::ExitCode;

/// mimalloc instead of glibc's allocator: with one arena per thread and the socket runtime's
/// threads, glibc kept more memory per idle socket (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let Cli {
        command,
        log_format,
        config,
    } = Cli::parse();
    kandid::telemetry::init(log_format);
    let result = match command {
        None => serve(config).await,
        Some(Command::Serve(config)) => serve(*config).await,
        Some(Command::Openapi) => print_out(&kandid_api::openapi_json()),
        Some(Command::Asyncapi(format)) if format.typescript => {
            print_out(&kandid::asyncapi::typescript())
        }
        Some(Command::Asyncapi(_)) => kandid::asyncapi::yaml().and_then(|y| print_out(&y)),
        Some(Command::Migrate(database)) => migrate(&database).await,
        Some(Command::Healthcheck(listen)) => healthcheck(&listen).await,
        Some(Command::Seed(cmd)) => seed(*cmd).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Once, straight to stderr whatever RUST_LOG says: a JSON line where logs are
            // machine-read, else plain text.
            match log_format {
                kandid::LogFormat::Json => eprintln!(
                    "{}",
                    serde_json::json!({
                        "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                        "level": "ERROR",
                        "message": format!("{e:#}"),
                        "target": "kandid",
                    })
                ),
                kandid::LogFormat::Pretty => eprintln!("kandid: {e:#}"),
            }
            ExitCode::FAILURE
        }
    }
}

/// Writes a document to stdout; a reader that went away (`kandid openapi | head`) is no error.
fn print_out(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

async fn migrate(database: &kandid::config::Database) -> anyhow::Result<()> {
    let db = kandid::db::connect(&database.url(), kandid::db::maintenance(database.wait)).await?;
    kandid::db::migrate(&db).await?;
    tracing::info!("migrations applied");
    Ok(())
}

async fn healthcheck(listen: &kandid::config::Listen) -> anyhow::Result<()> {
    let host = if listen.bind.is_unspecified() {
        std::net::IpAddr::from([127, 0, 0, 1])
    } else {
        listen.bind
    };
    let url = format!(
        "http://{}/readyz",
        std::net::SocketAddr::new(host, listen.port)
    );
    let res = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(3))
        .build()?
        .get(&url)
        .send()
        .await?;
    anyhow::ensure!(res.status().is_success(), "{url} answered {}", res.status());
    Ok(())
}

async fn seed(cmd: kandid::config::SeedCommand) -> anyhow::Result<()> {
    let s = kandid::seed::run(&cmd.database, cmd.write_timeout, cmd.args).await?;
    let url = kandid::browse_url(std::net::SocketAddr::new(cmd.listen.bind, cmd.listen.port));
    println!(
        "Seeded {:?} ({}): {} campaigns, {} leads, events up to seq {}.",
        s.workspace_name, s.workspace_id, s.campaigns, s.leads, s.latest_seq
    );
    let page = if cmd.serve_app { "/app/" } else { "" };
    println!("Sign in at {url}{page} with");
    println!("  email:    {}", s.email);
    match &s.password {
        Some(p) => println!("  password: {p}"),
        None => println!("  password: (the account's own)"),
    }
    Ok(())
}

async fn serve(config: kandid::Config) -> anyhow::Result<()> {
    let database = config.database_display();
    let serve_app = config.serve_app;
    let app = kandid::build(config).await?;
    let base = kandid::browse_url(app.addr());
    tracing::info!(%database, "database: {database}");
    tracing::info!("API reference: {base}/docs/");
    if serve_app {
        tracing::info!("live dashboard: {base}/app/");
    }
    // The one line saying where it listens, on stdout whatever the log filter, for people,
    // process supervisors and the test harness alike.
    println!("listening on {base}");
    app.run_until_stopped(kandid::shutdown_signal()).await
}
