//! `kandid [serve|migrate|openapi]`: parses settings and hands over to the library.

use clap::Parser;
use kandid::{Cli, Command};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    kandid::telemetry::init(cli.config.log_format);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Openapi => {
            print!("{}", kandid_api::openapi_json());
            Ok(())
        }
        Command::Migrate => migrate(&cli.config).await,
        Command::Healthcheck => healthcheck(&cli.config).await,
        Command::Serve => serve(cli.config).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("kandid: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate(config: &kandid::Config) -> anyhow::Result<()> {
    let db = kandid::db::connect(&config.database_url(), 1, kandid::db::MIGRATION_TIMEOUT).await?;
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

async fn serve(config: kandid::Config) -> anyhow::Result<()> {
    let app = kandid::build(config).await?;
    tracing::info!(addr = %app.addr(), "kandid listening");
    // A machine-readable line for process supervisors and the test harness.
    println!("listening on {}", app.addr());
    app.run_until_stopped(kandid::shutdown_signal()).await
}
