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
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::hmsreg::service::{self, HmsregConfig};

const CATEGORIES: [&str; 4] = ["Faglært", "Lærling", "Ufaglært", "Administrativ"];
const TRADES: [&str; 6] = [
    "Tømrer",
    "Elektriker",
    "Rørlegger",
    "Maler",
    "Betong",
    "Anleggsgartner",
];
const AGENCIES: [&str; 5] = [
    "Oslobygg KF",
    "Bymiljøetaten",
    "Boligbygg Oslo KF",
    "Vann- og avløpsetaten",
    "Sykehjemsetaten",
];

/// A made-up valid org number: 3, `n` in seven digits, the MOD11 digit (skipping numbers with none).
fn org_number(n: u32) -> f64 {
    let mut k = n;
    loop {
        let digits: Vec<u32> = format!("3{k:07}")
            .bytes()
            .map(|b| u32::from(b - b'0'))
            .collect();
        if let Some(check) = crate::domain::orgnr::check_digit(&digits) {
            return f64::from(300_000_000 + k * 10 + check);
        }
        k += 1;
    }
}

/// Writes an HMSREG-like workbook with `rows` hour rows under one header row.
pub fn generate(path: &Path, rows: u32) -> anyhow::Result<()> {
    let mut workbook = Workbook::new();
    let date_format = Format::new().set_num_format("dd.mm.yyyy");
    let ws = workbook.add_worksheet_with_constant_memory()?;
    ws.set_name("Timer")?;
    let header = [
        "Dato",
        "Orgnr",
        "Oppdragsgiver",
        "Prosjektnr",
        "HMS-kort",
        "Navn",
        "Kategori",
        "Faggruppe",
        "Timer",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    let suppliers: Vec<f64> = (0..60).map(|i| org_number(i * 7919 + 11)).collect();
    let days: Vec<ExcelDateTime> = (1..=28)
        .map(|d| ExcelDateTime::from_ymd(2025, 3, d))
        .collect::<Result<_, _>>()?;
    // Shaped like a real export: 150 contracts, each with one agency and three suppliers; 60
    // suppliers with 330 workers each, and a worker keeps one category and trade (45 % skilled,
    // 10 % apprentices, 35 % unskilled, 10 % administrative).
    for i in 0..rows {
        let r = i + 1;
        let x = i.wrapping_mul(2_654_435_761);
        let contract = (x >> 11) % 150;
        let supplier = (contract * 3 + (x >> 5) % 3) % 60;
        let worker = supplier * 330 + (x >> 13) % 330;
        let category = match worker % 20 {
            0..=8 => 0,
            9..=10 => 1,
            11..=17 => 2,
            _ => 3,
        };
        ws.write_datetime_with_format(r, 0, &days[(x % 28) as usize], &date_format)?;
        ws.write_number(r, 1, suppliers[supplier as usize])?;
        ws.write_string(r, 2, AGENCIES[(contract % 5) as usize])?;
        ws.write_string(r, 3, format!("P-{contract:03}"))?;
        ws.write_string(r, 4, format!("HMS {worker:05}"))?;
        ws.write_string(r, 5, "Navn Navnesen")?;
        ws.write_string(r, 6, CATEGORIES[category])?;
        ws.write_string(r, 7, TRADES[(worker % 6) as usize])?;
        ws.write_number(r, 8, f64::from(4 + (x >> 21) % 9) / 2.0)?;
    }
    workbook.save(path)?;
    Ok(())
}

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

async fn full_import(url: &str, path: &Path, config: &HmsregConfig) -> anyhow::Result<u64> {
    let db = crate::db::connect_and_migrate(url)
        .await
        .context("cannot open the benchmark database")?;
    let file = File::open(path)?;
    let name = "bench.xlsx".to_string();
    let cfg = config.clone();
    let checked = tokio::task::spawn_blocking(move || {
        service::read_and_check(BufReader::new(file), &name, &cfg)
    })
    .await?;
    let outcome = service::store(&db, config, "bench", "bench.xlsx", checked, false)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let import = outcome.import.ok_or_else(|| {
        anyhow::anyhow!(
            "the benchmark file was rejected: {:?}",
            outcome.issues.first()
        )
    })?;
    Ok(import.row_count as u64)
}

pub async fn run(
    rows: u32,
    keep: Option<PathBuf>,
    postgres: Option<String>,
    config: &HmsregConfig,
) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = keep.unwrap_or_else(|| dir.path().join("bench.xlsx"));
    if !path.exists() {
        let started = Instant::now();
        generate(&path, rows)?;
        println!(
            "generated {} rows in {:.1} s ({} MiB)",
            rows,
            started.elapsed().as_secs_f64(),
            std::fs::metadata(&path)?.len() / (1024 * 1024)
        );
    }

    reset_peak();
    let started = Instant::now();
    let (cells, sum) = tokio::task::spawn_blocking({
        let path = path.clone();
        move || calamine_only(&path)
    })
    .await??;
    let reader_secs = started.elapsed().as_secs_f64();
    println!(
        "(a) calamine streaming reader alone: {cells} rows, {sum:.1} hours, {reader_secs:.2} s, {:.0} rows/s, peak {}",
        cells as f64 / reader_secs,
        show_peak()
    );

    let db_path = dir.path().join("bench.db");
    let targets = std::iter::once(("SQLite", format!("sqlite://{}?mode=rwc", db_path.display())))
        .chain(postgres.map(|u| ("PostgreSQL", u)));
    for (label, url) in targets {
        reset_peak();
        let started = Instant::now();
        let imported = full_import(&url, &path, config).await?;
        let secs = started.elapsed().as_secs_f64();
        println!(
            "(b) full import into {label} (parse, validate, write, shares): {imported} rows, {secs:.2} s, {:.0} rows/s, ratio (b)/(a) {:.2}, peak {}",
            imported as f64 / secs,
            secs / reader_secs,
            show_peak()
        );
    }
    Ok(())
}
