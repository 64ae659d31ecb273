//! `samkjop bench-import`: how the HMSREG import compares with calamine's streaming reader alone.
//! Prints figures; it asserts nothing (performance is measured, not tested).

use std::{
    fs::File,
    io::BufReader,
    path::{Path, PathBuf},
    time::Instant,
};

use anyhow::Context as _;
use calamine::{DataRef, Reader, Xlsx};

pub use super::bench_workbook::Shape;
use super::bench_workbook::generate;
use crate::hmsreg::service::{self, HmsregConfig};

/// Peak resident memory of this process since the last reset, in MiB (Linux).
pub(super) fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Starts a new peak: writing 5 to clear_refs resets VmHWM to the current size.
pub(super) fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

pub(super) fn show_peak() -> String {
    peak_mib().map_or("n/a".into(), |m| format!("{m:.0} MiB"))
}

/// (a) calamine's streaming reader alone, summing the hours column.
fn calamine_only(path: &Path) -> anyhow::Result<(u64, f64)> {
    let mut workbook: Xlsx<_> = Xlsx::new(BufReader::new(File::open(path)?))?;
    let mut cells = workbook.worksheet_cells_reader("Timer")?;
    let (mut rows, mut sum) = (0u64, 0.0);
    while let Some(cell) = cells.next_cell()? {
        if cell.get_position().1 == 8 {
            rows += 1;
            match cell.get_value() {
                DataRef::Float(f) => sum += f,
                DataRef::Int(i) => sum += *i as f64,
                _ => {}
            }
        }
    }
    Ok((rows, sum))
}

/// How long each step of a full import took: opening (and migrating) the database, which a
/// running server has done long before, is timed apart from the import itself.
struct Steps {
    rows: u64,
    open: f64,
    read: f64,
    store: f64,
}

async fn full_import(url: &str, path: &Path, config: &HmsregConfig) -> anyhow::Result<Steps> {
    let started = Instant::now();
    let db = crate::db::connect_and_migrate(url)
        .await
        .context("cannot open the benchmark database")?;
    let open = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let file = File::open(path)?;
    let name = "bench.xlsx".to_string();
    let cfg = config.clone();
    let checked = tokio::task::spawn_blocking(move || {
        service::read_and_check(BufReader::new(file), &name, &cfg)
    })
    .await?;
    let read = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let outcome = service::store(&db, config, "bench", "bench.xlsx", checked, false)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let store = started.elapsed().as_secs_f64();
    let import = outcome.import.ok_or_else(|| {
        anyhow::anyhow!(
            "the benchmark file was rejected: {:?}",
            outcome.issues.first()
        )
    })?;
    Ok(Steps {
        rows: import.row_count as u64,
        open,
        read,
        store,
    })
}

/// What to run: the shapes, their rows, where to keep the workbooks, and PostgreSQL.
pub struct Options {
    pub rows: u32,
    pub shapes: Vec<Shape>,
    /// Keep (or reuse) the workbooks in this folder, as `bench-<shape>.xlsx`.
    pub keep: Option<PathBuf>,
    pub postgres: Option<String>,
}

pub async fn run(options: Options, config: &HmsregConfig) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    for shape in &options.shapes {
        println!("{} shape, {} rows:", shape.name(), options.rows);
        let folder = options.keep.as_deref().unwrap_or(dir.path());
        std::fs::create_dir_all(folder)?;
        let path = folder.join(format!("bench-{}.xlsx", shape.name()));
        // One SQLite file per shape, so that each import starts from an empty database.
        let sqlite = dir.path().join(format!("bench-{}.db", shape.name()));
        run_shape(&options, *shape, &path, &sqlite, config).await?;
    }
    Ok(())
}

async fn run_shape(
    options: &Options,
    shape: Shape,
    path: &Path,
    sqlite: &Path,
    config: &HmsregConfig,
) -> anyhow::Result<()> {
    if !path.exists() {
        let started = Instant::now();
        generate(path, options.rows, shape)?;
        println!(
            "generated {} rows in {:.1} s ({} MiB)",
            options.rows,
            started.elapsed().as_secs_f64(),
            std::fs::metadata(path)?.len() / (1024 * 1024)
        );
    }

    reset_peak();
    let started = Instant::now();
    let (cells, sum) = tokio::task::spawn_blocking({
        let path = path.to_path_buf();
        move || calamine_only(&path)
    })
    .await??;
    let reader_secs = started.elapsed().as_secs_f64();
    println!(
        "(a) calamine streaming reader alone: {cells} rows, {sum:.1} hours, {reader_secs:.2} s, {:.0} rows/s, peak {}",
        cells as f64 / reader_secs,
        show_peak()
    );

    let targets = std::iter::once(("SQLite", format!("sqlite://{}?mode=rwc", sqlite.display())))
        .chain(options.postgres.clone().map(|u| ("PostgreSQL", u)));
    for (label, url) in targets {
        reset_peak();
        let steps = full_import(&url, path, config).await?;
        let secs = steps.read + steps.store;
        println!(
            "(b) full import into {label} (hash, parse, validate, write, shares): {} rows, {secs:.2} s \
             (reading and checking {:.2} s, storing {:.2} s; opening the database before it {:.2} s), \
             {:.0} rows/s, ratio (b)/(a) {:.2}, peak {}",
            steps.rows,
            steps.read,
            steps.store,
            steps.open,
            steps.rows as f64 / secs,
            secs / reader_secs,
            show_peak()
        );
    }
    Ok(())
}
