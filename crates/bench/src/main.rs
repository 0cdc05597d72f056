//! Command line of the load generator: one subcommand per scenario.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use kandid_bench::api::{Api, Session};
use kandid_bench::contention::ContentionOptions;
use kandid_bench::load::LoadOptions;
use kandid_bench::reads::ReadsOptions;
use kandid_bench::record::Record;
use kandid_bench::seed::{MAX_CHUNK, SeedOptions};
use kandid_bench::socket::{FanoutOptions, SocketOptions};
use kandid_bench::{contention, import, load, memory, reads, report, rows, seed, socket};
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(
    name = "kandid-bench",
    version,
    about = "Load generator for kandid and any server of the same contract. Each scenario \
             prints one JSON line on stdout and a summary on stderr."
)]
struct Cli {
    /// Base URL of the server (for `seed`; overrides the session's for the others).
    #[arg(long, env = "BENCH_URL", global = true)]
    url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Register (or log in), create a campaign and import N leads into it.
    Seed {
        /// Leads to import.
        #[arg(long)]
        leads: u64,
        /// Rows per import request (at most 100 000, the servers' limit).
        #[arg(long, default_value_t = MAX_CHUNK)]
        chunk: u64,
        #[arg(long, default_value = "bench@example.com")]
        email: String,
        #[arg(long, default_value = "bench-password-123")]
        password: String,
        /// Write the session (URL, token, campaign id) here for the other scenarios.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// C clients listing the seeded campaign's leads for D seconds.
    RestList {
        #[command(flatten)]
        load: LoadArgs,
        /// Page size.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// C clients creating leads in one workspace for D seconds.
    RestCreate {
        #[command(flatten)]
        load: LoadArgs,
    },
    /// Time single imports of R rows each into fresh campaigns.
    Import {
        #[command(flatten)]
        session: SessionArg,
        /// Rows per import; repeat or separate with commas.
        #[arg(long, value_delimiter = ',', default_values_t = [50_000_u64, 100_000])]
        rows: Vec<u64>,
        #[arg(long)]
        server_pid: Option<u32>,
    },
    /// C clients writing into another workspace while the seeded one imports R rows:
    /// their latency before and during the import.
    ImportContention {
        #[command(flatten)]
        session: SessionArg,
        /// Rows of the import.
        #[arg(long, default_value_t = 100_000)]
        rows: u64,
        /// Clients creating leads in the other workspace.
        #[arg(short, long, default_value_t = 4)]
        clients: usize,
        /// Seconds of writing before the import starts.
        #[arg(long, default_value_t = 1.0)]
        before: f64,
    },
    /// Latency of the dashboard's reads, one request at a time.
    Reads {
        #[command(flatten)]
        session: SessionArg,
        /// Repetitions per endpoint.
        #[arg(long, default_value_t = 200)]
        reps: u32,
        /// Time budget per endpoint in seconds; slow endpoints get fewer repetitions.
        #[arg(long, default_value_t = 10.0)]
        max_seconds: f64,
        /// Substring searched for (the seed puts it in about 1 % of names).
        #[arg(long, default_value = rows::SEARCH_TERM)]
        q: String,
    },
    /// N Socket.IO sockets connect and stay idle: the server's RSS per socket.
    Idle {
        #[command(flatten)]
        sockets: SocketArgs,
        /// Seconds the sockets stay connected before the server's memory is read.
        #[arg(long, default_value_t = 5.0)]
        settle: f64,
        /// Fail (after printing the record) when the server's RSS per socket exceeds this
        /// many KiB, or when a socket failed to connect: a memory-regression check.
        #[arg(long)]
        max_kib_per_socket: Option<f64>,
    },
    /// N sockets in the `leads` room while leads are created through REST at W per second.
    Fanout {
        #[command(flatten)]
        fanout: FanoutArgs,
    },
    /// `fanout` at the load that saturates a server (2 000 sockets × 200 writes/s).
    Saturation {
        #[command(flatten)]
        fanout: FanoutArgs,
    },
    /// The server's resident memory now and at its peak: a memory-regression check.
    Memory {
        #[arg(long)]
        server_pid: u32,
        /// What the server has done so far (a scenario's name).
        #[arg(long)]
        label: String,
        /// Fail (after printing the record) when the peak is over this many MiB.
        #[arg(long)]
        max_mib: Option<f64>,
    },
    /// Markdown tables of a run: reads `<dir>/<leads>/<server>.ndjson`.
    Report {
        #[arg(long)]
        dir: PathBuf,
    },
}

#[derive(Debug, Args)]
struct SessionArg {
    /// Session file written by `seed --out`.
    #[arg(long)]
    session: PathBuf,
}

#[derive(Debug, Args)]
struct LoadArgs {
    #[command(flatten)]
    session: SessionArg,
    /// Concurrent clients.
    #[arg(short, long, default_value_t = 16)]
    concurrency: usize,
    /// Measured seconds.
    #[arg(short, long, default_value_t = 10.0)]
    duration: f64,
    /// Unmeasured seconds before.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Server process whose CPU time is charged to the requests.
    #[arg(long)]
    server_pid: Option<u32>,
}

#[derive(Debug, Args)]
struct SocketArgs {
    #[command(flatten)]
    session: SessionArg,
    /// Sockets to connect (default: 1 000; `saturation`: 2 000).
    #[arg(short = 'n', long)]
    sockets: Option<usize>,
    /// Handshakes in flight at once while connecting.
    #[arg(long, default_value_t = 64)]
    connect_concurrency: usize,
    /// Server process whose memory and CPU are read.
    #[arg(long)]
    server_pid: Option<u32>,
}

impl SocketArgs {
    fn options(&self, default_sockets: usize) -> SocketOptions {
        SocketOptions {
            sockets: self.sockets.unwrap_or(default_sockets),
            connect_concurrency: self.connect_concurrency,
            server_pid: self.server_pid,
        }
    }
}

#[derive(Debug, Args)]
struct FanoutArgs {
    #[command(flatten)]
    sockets: SocketArgs,
    /// Lead creations per second (default: 5; `saturation`: 200).
    #[arg(short = 'w', long)]
    rate: Option<f64>,
    /// Seconds of writing.
    #[arg(short, long, default_value_t = 10.0)]
    duration: f64,
    /// Writes in flight at most.
    #[arg(long, default_value_t = 256)]
    max_in_flight: usize,
    /// Seconds without a delivery after which the missing ones count as lost.
    #[arg(long, default_value_t = 5.0)]
    quiet: f64,
}

impl FanoutArgs {
    fn options(&self, default_sockets: usize, default_rate: f64) -> Result<FanoutOptions> {
        Ok(FanoutOptions {
            socket: self.sockets.options(default_sockets),
            rate: self.rate.unwrap_or(default_rate),
            duration: Duration::try_from_secs_f64(self.duration).context("--duration")?,
            max_in_flight: self.max_in_flight,
            quiet: Duration::try_from_secs_f64(self.quiet).context("--quiet")?,
        })
    }
}

impl LoadArgs {
    fn options(&self) -> Result<LoadOptions> {
        Ok(LoadOptions {
            concurrency: self.concurrency,
            duration: Duration::try_from_secs_f64(self.duration).context("--duration")?,
            warmup: Duration::try_from_secs_f64(self.warmup).context("--warmup")?,
            server_pid: self.server_pid,
        })
    }
}

fn session(arg: &SessionArg, url: Option<&String>) -> Result<Session> {
    let mut s = Session::load(&arg.session)?;
    if let Some(u) = url {
        s.base_url.clone_from(u);
    }
    Ok(s)
}

async fn run(cli: Cli) -> Result<()> {
    let url = cli.url.as_ref();
    // A scenario's own pass/fail verdict, reported after its record is printed.
    let mut check: Result<()> = Ok(());
    let record = match cli.command {
        Command::Seed {
            leads,
            chunk,
            email,
            password,
            out,
        } => {
            let base = url.map_or("http://127.0.0.1:8080", String::as_str);
            let mut api = Api::new(base, 1)?;
            let opts = SeedOptions {
                leads,
                chunk,
                email,
                password,
            };
            let r = seed::seed(&mut api, &opts).await?;
            if let Some(path) = out {
                std::fs::write(&path, serde_json::to_vec_pretty(&r.session)?)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            Record::Seed(r)
        }
        Command::RestList { load: l, limit } => {
            let s = session(&l.session, url)?;
            Record::RestList(load::rest_list(&s, &l.options()?, limit).await?)
        }
        Command::RestCreate { load: l } => {
            let s = session(&l.session, url)?;
            Record::RestCreate(load::rest_create(&s, &l.options()?).await?)
        }
        Command::Import {
            session: arg,
            rows,
            server_pid,
        } => {
            let s = session(&arg, url)?;
            Record::Import(import::import(&s, &rows, server_pid).await?)
        }
        Command::ImportContention {
            session: arg,
            rows,
            clients,
            before,
        } => {
            let s = session(&arg, url)?;
            let opts = ContentionOptions {
                rows,
                clients,
                before: Duration::try_from_secs_f64(before).context("--before")?,
            };
            Record::ImportContention(contention::contention(&s, &opts).await?)
        }
        Command::Reads {
            session: arg,
            reps,
            max_seconds,
            q,
        } => {
            let s = session(&arg, url)?;
            let opts = ReadsOptions {
                reps,
                max_per_endpoint: Duration::try_from_secs_f64(max_seconds)
                    .context("--max-seconds")?,
                q,
            };
            Record::Reads(reads::reads(&s, &opts).await?)
        }
        Command::Idle {
            sockets,
            settle,
            max_kib_per_socket,
        } => {
            let s = session(&sockets.session, url)?;
            let settle = Duration::try_from_secs_f64(settle).context("--settle")?;
            let r = socket::idle(&s, &sockets.options(1000), settle).await?;
            if let Some(max) = max_kib_per_socket {
                check = socket::check_idle(&r, max);
            }
            Record::Idle(r)
        }
        Command::Fanout { fanout } => {
            let s = session(&fanout.sockets.session, url)?;
            Record::Fanout(socket::fanout(&s, &fanout.options(1000, 5.0)?).await?)
        }
        Command::Saturation { fanout } => {
            let s = session(&fanout.sockets.session, url)?;
            Record::Saturation(socket::fanout(&s, &fanout.options(2000, 200.0)?).await?)
        }
        Command::Memory {
            server_pid,
            label,
            max_mib,
        } => {
            let r = memory::memory(server_pid, &label, max_mib)?;
            check = memory::check(&r);
            Record::Memory(r)
        }
        Command::Report { dir } => {
            let md = report::markdown(&report::load_dir(&dir)?);
            std::io::stdout().lock().write_all(md.as_bytes())?;
            return Ok(());
        }
    };
    eprintln!("{}", record.human());
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, &record)?;
    writeln!(out)?;
    check
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kandid-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}
