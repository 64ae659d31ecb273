//! `samkjop bench-api`: the server under load, as a client sees it. Fills the PostgreSQL
//! database in DATABASE_URL (once), starts `samkjop serve` on it as a child process, drives it
//! with wrk, and prints requests per second, latency percentiles, SQL statements per page and
//! the server's memory. With `--peer URL` the same page is asked of another GraphQL server over
//! the same database (PostGraphile 5: `benches/postgraphile/`), in alternating runs, so both
//! servers' figures come from one run on one machine. Prints figures; asserts nothing.

use std::{
    process::Stdio,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use anyhow::Context as _;
use async_graphql::Request;
use secrecy::ExposeSecret as _;

use super::{bench_api_fill, bench_wrk};
use crate::{
    auth::{Authenticator, Role, Viewer},
    config::{JwtKey, Settings},
    db,
    hmsreg::service::HmsregConfig,
    schema,
    tenders::catalogue::Catalogue,
    wiring,
};

/// The portfolio page: 50 agreements with area, ranked suppliers and their watchlist flags.
pub const PAGE: &str = "{ agreements(first: 50) { edges { node { reference title area { name } \
    suppliers { rank supplier { orgNumber name watchlisted } } } } } }";
/// The same page in PostGraphile 5's amber naming (`supplier_watchlisted` is the computed
/// column `benches/postgraphile/watchlisted.sql` adds). The amber preset orders only by
/// indexed columns, so the links come by primary key, not by rank as ours do.
pub const PEER_PAGE: &str = "{ allAgreements(first: 50, orderBy: REFERENCE_ASC) { nodes { \
    reference title agreementAreaByAreaId { name } \
    agreementSuppliersByAgreementId(orderBy: PRIMARY_KEY_ASC) { nodes { rank \
    supplierBySupplierId { orgNumber name watchlisted } } } } } }";

const SHARE_FIELDS: &str = "key subKey relevantHours skilledShare apprenticeShare apprenticeCount";

pub struct Options {
    pub duration: Duration,
    pub rounds: usize,
    pub connections: Vec<u32>,
    pub peer: Option<String>,
    pub peer_pid: Option<u32>,
    pub stats_duration: Duration,
    pub skip_stats: bool,
}

/// Our server, started for the benchmark and stopped with it.
struct Server {
    child: tokio::process::Child,
    url: String,
    token: String,
}

pub async fn run(
    settings: &Settings,
    hmsreg: HmsregConfig,
    options: Options,
) -> anyhow::Result<()> {
    let url = settings.database_url();
    if !url.starts_with("postgres") {
        anyhow::bail!("bench-api measures PostgreSQL: set DATABASE_URL to an empty database");
    }
    let catalogue = Arc::new(Catalogue::from_settings(settings)?);
    let db = wiring::open_database(&url, &catalogue).await?;
    let agreements = bench_api_fill::ensure(&db).await?;
    println!(
        "portfolio: {agreements} benchmark agreements, {} suppliers, 3 ranked suppliers each, 500 watchlisted",
        bench_api_fill::SUPPLIERS
    );
    if !options.skip_stats {
        // bench-followup's data: 10 million hour rows as month-grain facts, and tenders.
        println!("statistics data (bench-followup's fill, one timing run):");
        super::bench_followup::run(&db, 1).await?;
    }
    let statements = statements_per_page(&url, settings, hmsreg, catalogue).await?;
    println!("SQL statements per page of 50: {statements}");

    let server = start(settings, &url).await?;
    let ours_script = script_file(PAGE, Some(&server.token))?;
    check_answer(&server.url, PAGE, Some(&server.token), "agreements").await?;
    let peer_script = match &options.peer {
        Some(peer) => {
            check_answer(peer, PEER_PAGE, None, "allAgreements").await?;
            Some(script_file(PEER_PAGE, None)?)
        }
        None => None,
    };

    println!(
        "\nportfolio page, {} s per run, {} rounds, runs alternate between the servers",
        options.duration.as_secs(),
        options.rounds
    );
    for &connections in &options.connections {
        let mut ours = Vec::new();
        let mut peer = Vec::new();
        for _ in 0..options.rounds {
            ours.push(
                bench_wrk::run(
                    &server.url,
                    ours_script.path(),
                    connections,
                    options.duration,
                )
                .await?,
            );
            if let (Some(url), Some(script)) = (&options.peer, &peer_script) {
                peer.push(bench_wrk::run(url, script.path(), connections, options.duration).await?);
            }
        }
        let ours = summary(&ours);
        println!("{connections:>3} connections  samkjop      {}", ours.line());
        if !peer.is_empty() {
            let peer = summary(&peer);
            println!("{connections:>3} connections  peer         {}", peer.line());
            println!(
                "{connections:>3} connections  samkjop/peer requests/s {:.2} x, median latency {:.2} x",
                ours.rps / peer.rps,
                ours.p50 / peer.p50
            );
        }
    }
    println!(
        "samkjop server memory after the page runs: {}",
        memory(server.child.id())
    );
    if let Some(pid) = options.peer_pid {
        println!(
            "peer server memory after the page runs: {}",
            memory(Some(pid))
        );
    }

    if !options.skip_stats {
        println!(
            "\nstatistics, 1 connection, {} s each",
            options.stats_duration.as_secs()
        );
        for (label, query) in statistics_queries() {
            check_answer(&server.url, &query, Some(&server.token), "").await?;
            let script = script_file(&query, Some(&server.token))?;
            let load =
                bench_wrk::run(&server.url, script.path(), 1, options.stats_duration).await?;
            println!("{label:<44} {}", summary(&[load]).line());
        }
        println!(
            "samkjop server memory at the end: {}",
            memory(server.child.id())
        );
    }
    drop(server);
    Ok(())
}

/// Medians over a set of runs.
struct Summary {
    rps: f64,
    p50: f64,
    p90: f64,
    p99: f64,
    failures: u64,
}

impl Summary {
    fn line(&self) -> String {
        format!(
            "{:>8.1} requests/s, latency p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms{}",
            self.rps,
            self.p50,
            self.p90,
            self.p99,
            if self.failures > 0 {
                format!(", {} FAILED requests", self.failures)
            } else {
                String::new()
            }
        )
    }
}

fn summary(loads: &[bench_wrk::Load]) -> Summary {
    let pick = |f: fn(&bench_wrk::Load) -> f64| {
        let mut values: Vec<f64> = loads.iter().map(f).collect();
        bench_wrk::median(&mut values)
    };
    Summary {
        rps: pick(|l| l.requests_per_second),
        p50: pick(|l| l.p50),
        p90: pick(|l| l.p90),
        p99: pick(|l| l.p99),
        failures: loads.iter().map(|l| l.failures).sum(),
    }
}

fn statistics_queries() -> Vec<(String, String)> {
    let mut queries: Vec<(String, String)> = [
        "TOTAL", "AGENCY", "SUPPLIER", "CONTRACT", "TRADE", "MONTH", "QUARTER", "YEAR",
    ]
    .iter()
    .map(|g| {
        (
            format!("workforceShares(groupBy: {g})"),
            format!("{{ workforceShares(groupBy: {g}) {{ {SHARE_FIELDS} }} }}"),
        )
    })
    .collect();
    queries.push((
        "workforceShares(groupBy: AGENCY, thenBy: YEAR)".into(),
        format!("{{ workforceShares(groupBy: AGENCY, thenBy: YEAR) {{ {SHARE_FIELDS} }} }}"),
    ));
    queries.push((
        "contractFollowUp(2025)".into(),
        "{ contractFollowUp(filter: { from: \"2025-01-01\", to: \"2025-12-31\" }) { contract \
         agency apprenticeStatus skilledStatus workforce { skilledShare apprenticeShare apprenticeCount } } }"
            .into(),
    ));
    queries.push((
        "goalScorecard(year: 2025)".into(),
        "{ goalScorecard(year: 2025) { id actual rounded deviation history { year actual } } }"
            .into(),
    ));
    queries
}

/// Counts the statements one page sends, on a connection of its own that counts them.
async fn statements_per_page(
    url: &str,
    settings: &Settings,
    hmsreg: HmsregConfig,
    catalogue: Arc<Catalogue>,
) -> anyhow::Result<usize> {
    // A pool of its own (the database is migrated already), so only the page is counted.
    let mut counted = db::connect(url).await?;
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    counted.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let schema = schema::build(counted.clone(), &settings.limits, hmsreg, catalogue);
    let viewer = Some(Viewer {
        subject: "bench".into(),
        name: None,
        roles: vec![Role::Adviser],
        agency: None,
    });
    let request = wiring::attach_loaders(Request::new(PAGE).data(viewer), &counted);
    count.store(0, Ordering::SeqCst);
    // As on an actix worker: the request is a task of a single-threaded set, and the loaders
    // start their batches beside it on the same thread.
    let response = tokio::task::LocalSet::new()
        .run_until(async move {
            tokio::task::spawn_local(async move { schema.execute(request).await }).await
        })
        .await?;
    if let Some(e) = response.errors.first() {
        anyhow::bail!("the page failed: {}", e.message);
    }
    Ok(count.load(Ordering::SeqCst))
}

/// Starts `samkjop serve` on a free port with a throwaway signing key, and waits for it.
async fn start(settings: &Settings, database_url: &str) -> anyhow::Result<Server> {
    let secret = Authenticator::random_secret();
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let child = tokio::process::Command::new(std::env::current_exe()?)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", database_url)
        .env("JWT_SECRET", secret.expose_secret())
        .env(
            "SAMKJOP_WORKER_KEY",
            Authenticator::random_secret().expose_secret(),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("cannot start samkjop serve")?;
    let mut jwt = settings.jwt.clone();
    jwt.key = JwtKey::Secret(secret);
    let token = Authenticator::from_settings(&jwt)?.sign(
        "bench",
        None,
        &[Role::Adviser],
        None,
        Duration::from_secs(3600),
    )?;
    for _ in 0..600 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(Server {
                child,
                url: format!("http://127.0.0.1:{port}/graphql"),
                token,
            });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("samkjop serve did not start listening within 60 s")
}

/// A wrk script posting `query`, in a temporary file.
fn script_file(query: &str, token: Option<&str>) -> anyhow::Result<tempfile::NamedTempFile> {
    let body = serde_json::json!({ "query": query }).to_string();
    let headers: Vec<(&str, String)> = token
        .map(|t| vec![("Authorization", format!("Bearer {t}"))])
        .unwrap_or_default();
    let file = tempfile::Builder::new().suffix(".lua").tempfile()?;
    std::fs::write(file.path(), bench_wrk::script(&body, &headers))?;
    Ok(file)
}

/// Asks `query` once with curl and refuses to measure an answer with errors or without `field`.
async fn check_answer(
    url: &str,
    query: &str,
    token: Option<&str>,
    field: &str,
) -> anyhow::Result<()> {
    let body = serde_json::json!({ "query": query }).to_string();
    let mut curl = tokio::process::Command::new("curl");
    curl.args(["-sS", "-X", "POST", "-H", "Content-Type: application/json"]);
    if let Some(t) = token {
        curl.args(["-H", &format!("Authorization: Bearer {t}")]);
    }
    let output = curl
        .args(["--data-binary", &body, url])
        .output()
        .await
        .context("cannot run curl")?;
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout)
        .with_context(|| format!("{url} did not answer JSON"))?;
    if answer.get("errors").is_some() || answer["data"].get(field).is_none() && !field.is_empty() {
        let text = answer.to_string();
        anyhow::bail!(
            "{url} answered with errors: {}",
            text.chars().take(500).collect::<String>()
        );
    }
    Ok(())
}

/// Resident and peak resident memory of process `pid`, from /proc.
fn memory(pid: Option<u32>) -> String {
    let Some(pid) = pid else {
        return "unknown".into();
    };
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map(|kb| format!("{:.1} MiB", kb / 1024.0))
            .unwrap_or_else(|| "unknown".into())
    };
    format!("resident {}, peak {}", field("VmRSS:"), field("VmHWM:"))
}
