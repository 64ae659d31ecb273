//! The command line: serve | migrate | seed | export-schema | token | import-hmsreg |
//! import-brreg | the benchmarks.

use std::time::Duration;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use tracing_subscriber::{EnvFilter, fmt};

mod bench;
mod bench_api;
mod bench_api_fill;
mod bench_brreg;
mod bench_followup;
mod bench_stats;
mod bench_workbook;
mod bench_wrk;
mod brreg_command;
mod import_command;
pub mod progress;

use crate::{
    auth::{AuthError, Authenticator, Role},
    config::{ConfigError, JwtKey, LogFormat, Settings},
    db, fixtures,
    hmsreg::service::HmsregConfig,
    schema,
    server::Application,
    tenders::catalogue::Catalogue,
    wiring,
};

#[derive(Parser)]
#[command(
    name = "samkjop",
    version,
    about = "GraphQL backend for joint framework agreements, the supplier watchlist, HMSREG shares and tender rules"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the API (migrates the database first).
    Serve {
        /// Address to listen on; overrides SAMKJOP_BIND.
        #[arg(long)]
        bind: Option<String>,
        /// Load the demo data, sign with a random secret and print a token per role.
        #[arg(long)]
        demo: bool,
    },
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Load the fixtures (demo data) into the database; data already there is left alone.
    Seed,
    /// Print the GraphQL schema (SDL).
    ExportSchema,
    /// Benchmark: generate a full-height HMSREG workbook and time calamine alone against the
    /// whole import (SQLite; PostgreSQL too with --postgres).
    BenchImport {
        /// Hour rows below the header (Excel's maximum is 1,048,575).
        #[arg(long, default_value_t = 1_048_575)]
        rows: u32,
        /// Which workbook: one month or a year of daily rows; without it, both in turn.
        #[arg(long, value_enum)]
        shape: Option<bench::Shape>,
        /// Keep (or reuse) the generated workbooks in this folder (bench-month.xlsx,
        /// bench-year.xlsx).
        #[arg(long)]
        workbooks: Option<std::path::PathBuf>,
        /// Also import into this PostgreSQL database (it should be empty).
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Benchmark: fill the database (SAMKJOP_DATABASE_URL; once) to a municipality's size and
    /// time contractFollowUp over it.
    BenchFollowup {
        /// Runs per query.
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// Benchmark: fill the database (DATABASE_URL; once) with six years of 1,000 tenders and
    /// time climateStats and labourStats over them.
    BenchStats {
        /// Runs per query.
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// Import an HMSREG export (.xlsx, .xlsm, .xls, .ods, .csv); exits with 1 when rejected.
    ImportHmsreg {
        /// The file to import.
        file: std::path::PathBuf,
        /// Check and compute the shares without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Print the outcome as JSON (for scheduled jobs).
        #[arg(long)]
        json: bool,
        /// Who the import is recorded as.
        #[arg(long, default_value = "cli")]
        by: String,
    },
    /// Import Enhetsregisteret's bulk download (the JSON array of entities, plain or gzip):
    /// keeps the register's name and flags for our suppliers; exits with 1 when refused.
    ImportBrreg {
        /// The file (enheter_alle.json.gz as downloaded, or unpacked).
        file: std::path::PathBuf,
        /// Print the outcome as JSON (for scheduled jobs); progress goes to the log.
        #[arg(long)]
        json: bool,
        /// Who the import is recorded as.
        #[arg(long, default_value = "cli")]
        by: String,
    },
    /// Benchmark: write a register file of N entities shaped like the real one (gzip) and
    /// time import-brreg over it, with its peak memory.
    BenchBrreg {
        /// Entities in the file.
        #[arg(long, default_value_t = 1_000_000)]
        entities: u64,
        /// Keep (or reuse) the generated file at this path; `.gz` makes it gzip.
        #[arg(long)]
        file: Option<std::path::PathBuf>,
    },
    /// Benchmark: fill DATABASE_URL (PostgreSQL; once) with a portfolio and 10 million hour
    /// rows, start `samkjop serve` on it and load it with wrk: requests per second, latency
    /// percentiles, statements per page, memory; side by side with --peer.
    BenchApi {
        /// Seconds per wrk run.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Runs per server and connection count; the medians are printed.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// Connection counts, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "1,16")]
        connections: Vec<u32>,
        /// Another GraphQL server over the same database (PostGraphile 5 from
        /// benches/postgraphile), asked the same page in alternating runs.
        #[arg(long)]
        peer: Option<String>,
        /// The peer's process id, to print its memory too.
        #[arg(long)]
        peer_pid: Option<u32>,
        /// Seconds per statistics query.
        #[arg(long, default_value_t = 5)]
        stats_seconds: u64,
        /// Only the page: no statistics data, no statistics queries.
        #[arg(long)]
        page_only: bool,
    },
    /// Sign a token with JWT_SECRET.
    Token {
        /// The subject (who the token is for).
        #[arg(long)]
        sub: String,
        /// A role: ADMIN, ADVISER, BUYER or CLIMATE_OFFICE; repeat for several.
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// Display name.
        #[arg(long)]
        name: Option<String>,
        /// The buyer's agency (virksomhet).
        #[arg(long)]
        agency: Option<String>,
        /// How long the token is valid, e.g. 8h, 30m, 7d.
        #[arg(long, default_value = "8h")]
        ttl: humantime::Duration,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| {
        format!("'{text}' is not a role: use ADMIN, ADVISER, BUYER or CLIMATE_OFFICE")
    })
}

pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::ExportSchema = cli.command {
        print!("{}", schema::sdl());
        return Ok(());
    }
    let settings = Settings::from_env()?;
    init_tracing(settings.log_format);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        match cli.command {
            Command::Serve { bind, demo } => serve(settings, bind, demo).await,
            Command::Migrate => {
                let catalogue = Catalogue::from_settings(&settings)?;
                wiring::open_database(&settings.database_url(), &catalogue).await?;
                println!("database is up to date");
                Ok(())
            }
            Command::ImportHmsreg {
                file,
                dry_run,
                json,
                by,
            } => {
                let hmsreg = HmsregConfig::from_settings(&settings)?;
                let db = db::connect_and_migrate(&settings.database_url())
                    .await
                    .context("cannot open the database")?;
                let accepted = import_command::run(&db, &hmsreg, &file, dry_run, json, &by).await?;
                if !accepted {
                    std::process::exit(1);
                }
                Ok(())
            }
            Command::ImportBrreg { file, json, by } => {
                let db = db::connect_and_migrate(&settings.database_url())
                    .await
                    .context("cannot open the database")?;
                if !brreg_command::run(&db, &file, json, &by).await? {
                    std::process::exit(1);
                }
                Ok(())
            }
            Command::BenchBrreg { entities, file } => bench_brreg::run(entities, file).await,
            Command::BenchImport {
                rows,
                shape,
                workbooks,
                postgres,
            } => {
                let mut config =
                    HmsregConfig::from_settings(&settings).or_else(|_| bench_config(&settings))?;
                // The benchmark file is ~60 MiB; it must not trip the upload limit.
                config.max_file_bytes = u64::MAX;
                let options = bench::Options {
                    rows,
                    shapes: shape.map_or_else(
                        || vec![bench::Shape::Month, bench::Shape::Year],
                        |s| vec![s],
                    ),
                    keep: workbooks,
                    postgres,
                };
                bench::run(options, &config).await
            }
            Command::BenchFollowup { runs } => {
                let db = db::connect_and_migrate(&settings.database_url())
                    .await
                    .context("cannot open the database")?;
                bench_followup::run(&db, runs.max(1)).await
            }
            Command::BenchStats { runs } => {
                let hmsreg =
                    HmsregConfig::from_settings(&settings).or_else(|_| bench_config(&settings))?;
                let catalogue = std::sync::Arc::new(Catalogue::from_settings(&settings)?);
                let db = wiring::open_database(&settings.database_url(), &catalogue).await?;
                bench_stats::run(&db, hmsreg, catalogue, runs.max(1)).await
            }
            Command::BenchApi {
                seconds,
                rounds,
                connections,
                peer,
                peer_pid,
                stats_seconds,
                page_only,
            } => {
                let hmsreg =
                    HmsregConfig::from_settings(&settings).or_else(|_| bench_config(&settings))?;
                let options = bench_api::Options {
                    duration: Duration::from_secs(seconds),
                    rounds: rounds.max(1),
                    connections,
                    peer,
                    peer_pid,
                    stats_duration: Duration::from_secs(stats_seconds),
                    skip_stats: page_only,
                };
                bench_api::run(&settings, hmsreg, options).await
            }
            Command::Seed => {
                let context = fixtures::FixtureContext {
                    hmsreg: HmsregConfig::from_settings(&settings)?,
                    catalogue: std::sync::Arc::new(Catalogue::from_settings(&settings)?),
                };
                let db =
                    wiring::open_database(&settings.database_url(), &context.catalogue).await?;
                let report = wiring::load_all(&db, &context)
                    .await
                    .context("cannot load the fixtures")?;
                print_load_report(&report);
                Ok(())
            }
            Command::Token {
                sub,
                roles,
                name,
                agency,
                ttl,
            } => {
                let auth = Authenticator::from_settings(&settings.jwt).map_err(key_hint)?;
                let ttl: Duration = ttl.into();
                let token = auth
                    .sign(&sub, name.as_deref(), &roles, agency.as_deref(), ttl)
                    .map_err(key_hint)?;
                println!("{token}");
                Ok(())
            }
            Command::ExportSchema => Ok(()),
        }
    })
}

/// Settings for a benchmark run on a machine with no keys configured: a throwaway hash key.
fn bench_config(settings: &Settings) -> Result<HmsregConfig, ConfigError> {
    let mut settings = settings.clone();
    settings.worker_key = Some(Authenticator::random_secret());
    HmsregConfig::from_settings(&settings)
}

fn key_hint(err: AuthError) -> anyhow::Error {
    match err {
        AuthError::NoKey => anyhow::anyhow!(
            "no signing key: set JWT_SECRET (at least 32 bytes) for HS256, or JWT_PUBLIC_KEY_FILE (RS256/ES256 public key in PEM); `serve --demo` makes its own"
        ),
        other => anyhow::anyhow!(other),
    }
}

fn print_load_report(report: &fixtures::LoadReport) {
    for (name, added) in &report.sets {
        match added {
            0 => println!("{name}: already present"),
            n => println!("{name}: {n} records added"),
        }
    }
}

async fn serve(mut settings: Settings, bind: Option<String>, demo: bool) -> anyhow::Result<()> {
    if let Some(bind) = bind {
        settings.bind = bind;
    }
    if demo {
        settings.jwt.key = JwtKey::Secret(Authenticator::random_secret());
    }
    // Check the keys before touching the database, so a misconfigured server fails fast.
    let auth = Authenticator::from_settings(&settings.jwt).map_err(key_hint)?;
    let hmsreg = HmsregConfig::from_settings(&settings)?;
    let catalogue = std::sync::Arc::new(Catalogue::from_settings(&settings)?);
    let db = wiring::open_database(&settings.database_url(), &catalogue).await?;
    if demo {
        let context = fixtures::FixtureContext {
            hmsreg: hmsreg.clone(),
            catalogue: catalogue.clone(),
        };
        let report = wiring::load_all(&db, &context)
            .await
            .context("cannot load the demo data")?;
        print_load_report(&report);
    }
    let demo_tokens = if demo {
        Some(demo_tokens(&auth)?)
    } else {
        None
    };
    let app = Application::build(
        &settings.bind,
        db,
        auth,
        settings.limits.clone(),
        hmsreg,
        catalogue,
    )
    .with_context(|| {
        format!(
            "cannot listen on {} (SAMKJOP_BIND or --bind)",
            settings.bind
        )
    })?;
    let host = settings
        .bind
        .rsplit_once(':')
        .map_or("127.0.0.1", |(h, _)| h);
    let address = format!("http://{host}:{}", app.port());
    tracing::info!(%address, "samkjop is listening");
    if let Some(tokens) = demo_tokens {
        println!("\nsamkjop demo: GraphiQL at {address}/graphql");
        println!(
            "Paste a token into GraphiQL's Headers pane as {{\"Authorization\": \"Bearer <token>\"}} (valid 8 hours):\n"
        );
        for (label, token) in tokens {
            println!("{label:<32} {token}\n");
        }
    }
    app.run_until_stopped()
        .await
        .context("the server stopped with an error")
}

/// Agency of the demo buyer; the demo data has tenders and hours for it.
pub const DEMO_BUYER_AGENCY: &str = "Oslobygg KF";

fn demo_tokens(auth: &Authenticator) -> anyhow::Result<Vec<(String, String)>> {
    // A working day, or less when SAMKJOP_MAX_TOKEN_LIFETIME says so.
    let ttl = Duration::from_secs(8 * 3600).min(auth.max_lifetime());
    let people = [
        (Role::Admin, "demo-admin", "Demo Administrator", None),
        (Role::Adviser, "demo-adviser", "Demo Adviser", None),
        (
            Role::Buyer,
            "demo-buyer",
            "Demo Buyer",
            Some(DEMO_BUYER_AGENCY),
        ),
        (
            Role::ClimateOffice,
            "demo-climate",
            "Demo Climate Office",
            None,
        ),
    ];
    people
        .into_iter()
        .map(|(role, sub, name, agency)| {
            let token = auth.sign(sub, Some(name), &[role], agency, ttl)?;
            let label = match agency {
                Some(a) => format!("{} ({a})", role.as_str()),
                None => role.as_str().to_string(),
            };
            Ok((label, token))
        })
        .collect()
}

fn init_tracing(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
