//! The import benchmark's workbooks: HMSREG-like sheets of one month or of a year.
//!
//! Both are shaped like real exports (each contract has one agency and a few suppliers, a
//! worker keeps one supplier, category and trade), since the import's cost depends on how
//! many month-grain groups and apprentice-months a file has, not only on its rows.

use std::path::Path;

use chrono::Datelike;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

const CATEGORIES: [&str; 4] = ["Faglært", "Lærling", "Ufaglært", "Administrativ"];
const TRADES: [&str; 7] = [
    "Tømrer",
    "Elektriker",
    "Rørlegger",
    "Maler",
    "Betong",
    "Anleggsgartner",
    "Murer",
];
const AGENCIES: [&str; 6] = [
    "Oslobygg KF",
    "Bymiljøetaten",
    "Boligbygg Oslo KF",
    "Vann- og avløpsetaten",
    "Sykehjemsetaten",
    "Utdanningsetaten",
];
const HEADER: [&str; 9] = [
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

/// Which workbook the benchmark writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Shape {
    /// One month (March 2025): 150 contracts, 60 suppliers, 19,800 workers, 5 agencies,
    /// 6 trades; about 2,700 month-grain groups.
    Month,
    /// A year of daily rows (2025, in date order): 250 contracts, 400 supplier-contract
    /// pairs, 40,000 workers, 6 agencies, 7 trades; about 33,600 month-grain groups and
    /// 40,000 apprentice-months.
    Year,
}

impl Shape {
    pub fn name(self) -> &'static str {
        match self {
            Shape::Month => "month",
            Shape::Year => "year",
        }
    }
}

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

/// 45 % skilled, 10 % apprentices, 35 % unskilled, 10 % administrative, by worker.
fn category_of(worker: u32) -> &'static str {
    CATEGORIES[match worker % 20 {
        0..=8 => 0,
        9..=10 => 1,
        11..=17 => 2,
        _ => 3,
    }]
}

/// One row's values, by column.
struct Row<'a> {
    day: &'a ExcelDateTime,
    org_number: f64,
    agency: &'static str,
    contract: String,
    worker: u32,
    trade: &'static str,
    hours: f64,
}

fn write_row(ws: &mut Worksheet, r: u32, row: &Row, date: &Format) -> anyhow::Result<()> {
    ws.write_datetime_with_format(r, 0, row.day, date)?;
    ws.write_number(r, 1, row.org_number)?;
    ws.write_string(r, 2, row.agency)?;
    ws.write_string(r, 3, &row.contract)?;
    ws.write_string(r, 4, format!("HMS {:05}", row.worker))?;
    ws.write_string(r, 5, "Navn Navnesen")?;
    ws.write_string(r, 6, category_of(row.worker))?;
    ws.write_string(r, 7, row.trade)?;
    ws.write_number(r, 8, row.hours)?;
    Ok(())
}

/// Writes an HMSREG-like workbook of `shape` with `rows` hour rows under one header row.
pub fn generate(path: &Path, rows: u32, shape: Shape) -> anyhow::Result<()> {
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let ws = workbook.add_worksheet_with_constant_memory()?;
    ws.set_name("Timer")?;
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    match shape {
        Shape::Month => month_rows(ws, rows, &date)?,
        Shape::Year => year_rows(ws, rows, &date)?,
    }
    workbook.save(path)?;
    Ok(())
}

/// The one-month shape, row for row the benchmark's original workbook: 150 contracts, each
/// with one agency and three of 60 suppliers; 330 workers per supplier; rows in random order.
fn month_rows(ws: &mut Worksheet, rows: u32, date: &Format) -> anyhow::Result<()> {
    let suppliers: Vec<f64> = (0..60).map(|i| org_number(i * 7919 + 11)).collect();
    let days: Vec<ExcelDateTime> = (1..=28)
        .map(|d| ExcelDateTime::from_ymd(2025, 3, d))
        .collect::<Result<_, _>>()?;
    for i in 0..rows {
        let x = i.wrapping_mul(2_654_435_761);
        let contract = (x >> 11) % 150;
        let supplier = (contract * 3 + (x >> 5) % 3) % 60;
        let worker = supplier * 330 + (x >> 13) % 330;
        let row = Row {
            day: &days[(x % 28) as usize],
            org_number: suppliers[supplier as usize],
            agency: AGENCIES[(contract % 5) as usize],
            contract: format!("P-{contract:03}"),
            worker,
            trade: TRADES[(worker % 6) as usize],
            hours: f64::from(4 + (x >> 21) % 9) / 2.0,
        };
        write_row(ws, i + 1, &row, date)?;
    }
    Ok(())
}

/// SplitMix64: independent-looking bits per row, so the year's fields do not correlate.
fn mix(i: u32) -> u64 {
    let mut z = u64::from(i).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The year shape: the rows go through 2025 day by day, as a year's export is sorted. 400
/// supplier-contract pairs over 250 contracts (150 with two suppliers) and 120 suppliers;
/// each pair has 100 workers, each with one category and one of 7 trades.
fn year_rows(ws: &mut Worksheet, rows: u32, date: &Format) -> anyhow::Result<()> {
    const PAIRS: u64 = 400;
    const CONTRACTS: u64 = 250;
    let suppliers: Vec<f64> = (0..120).map(|i| org_number(i * 7919 + 11)).collect();
    let first = chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
        .ok_or_else(|| anyhow::anyhow!("2025-01-01 is a date"))?;
    let days: Vec<ExcelDateTime> = first
        .iter_days()
        .take(365)
        .map(|d| ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8))
        .collect::<Result<_, _>>()?;
    for i in 0..rows {
        let x = mix(i);
        let pair = x % PAIRS;
        let contract = pair % CONTRACTS;
        // Pairs p and p + 250 share a contract and differ in supplier (7p and 7p + 70 mod 120).
        let supplier = (pair * 7) % 120;
        let worker = (pair * 100 + (x >> 16) % 100) as u32;
        let row = Row {
            day: &days[(u64::from(i) * 365 / u64::from(rows.max(1))) as usize],
            org_number: suppliers[supplier as usize],
            agency: AGENCIES[(contract % 6) as usize],
            contract: format!("K-{contract:03}"),
            worker,
            trade: TRADES[(worker % 7) as usize],
            hours: f64::from(4 + ((x >> 32) % 9) as u32) / 2.0,
        };
        write_row(ws, i + 1, &row, date)?;
    }
    Ok(())
}
