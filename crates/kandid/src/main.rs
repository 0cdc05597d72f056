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
    let Cli { command, config } = Cli::parse();
    let log_format = config.log_format;
    kandid::telemetry::init(log_format);
    let result = match command.unwrap_or(Command::Serve) {
        Command::Openapi => print_out(&kandid_api::openapi_json()),
        Command::Asyncapi => kandid::asyncapi::yaml().and_then(|y| print_out(&y)),
        Command::Migrate => migrate(&config).await,
        Command::Healthcheck => healthcheck(&config).await,
        Command::Serve => serve(config).await,
        Command::Seed(args) => seed(&config, args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Once: as a log line where logs are machine-read, else as plain text.
            match log_format {
                kandid::LogFormat::Json => tracing::error!("{e:#}"),
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

async fn migrate(config: &kandid::Config) -> anyhow::Result<()> {
    let db = kandid::db::connect(
        &config.database_url(),
        kandid::db::maintenance(config.database_wait),
    )
    .await?;
    kandid::db::migrate(&db).await?;
    tracing::info!("migrations applied");
    Ok(())
}

async fn healthcheck(config: &kandid::Config) -> anyhow::Result<()> {
    let host = if config.bind.is_unspecified() {
        std::net::IpAddr::from([127, 0, 0, 1])
    } else {
        config.bind
    };
    let url = format!(
        "http://{}/readyz",
        std::net::SocketAddr::new(host, config.port)
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

async fn seed(config: &kandid::Config, args: kandid::seed::SeedArgs) -> anyhow::Result<()> {
    let s = kandid::seed::run(config, args).await?;
    let url = kandid::browse_url(std::net::SocketAddr::new(config.bind, config.port));
    println!(
        "Seeded {:?} ({}): {} campaigns, {} leads, events up to seq {}.",
        s.workspace_name, s.workspace_id, s.campaigns, s.leads, s.latest_seq
    );
    let page = if config.serve_app { "/app/" } else { "" };
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
