//! The pipeline against the reader read directly: the same rows, on a sheet long enough to
//! fill several batches and to pass the rows a header may be in.

use std::io::Cursor;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use super::{BATCH_ROWS, read};
use crate::hmsreg::import::{
    aggregate::Parsed,
    header::HEADER_SEARCH_ROWS,
    parser::Parser,
    reader::{self, ReadLimits},
};

const KEY: &[u8] = b"pipeline-test-worker-key-32-byte";
const LIMITS: ReadLimits = ReadLimits {
    max_rows: 1_000_000,
    max_columns: 100,
};
/// Rows under the header: more than two batches and not a whole number of them.
const ROWS: u32 = 9_000;

/// A sheet of `ROWS` hour rows, 7.5 hours on even rows and 2.25 on odd ones, two contracts,
/// then a second sheet without a header.
fn workbook() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let hours = workbook.add_worksheet();
    hours.set_name("Timer").unwrap();
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
        hours.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=ROWS {
        let day = ExcelDateTime::from_ymd(2025, 3, (r % 28 + 1) as u8).unwrap();
        hours.write_datetime_with_format(r, 0, &day, &date).unwrap();
        hours.write_number(r, 1, 974760673.0).unwrap();
        hours.write_string(r, 2, "Bymiljøetaten").unwrap();
        hours
            .write_string(r, 3, if r % 3 == 0 { "P-1" } else { "P-2" })
            .unwrap();
        hours
            .write_string(r, 4, format!("HMS {:05}", r % 50))
            .unwrap();
        hours.write_string(r, 5, "Navn Navnesen").unwrap();
        hours.write_string(r, 6, "Faglært").unwrap();
        hours.write_string(r, 7, "Tømrer").unwrap();
        hours
            .write_number(r, 8, if r % 2 == 0 { 7.5 } else { 2.25 })
            .unwrap();
    }
    let notes = workbook.add_worksheet();
    notes.set_name("Merknader").unwrap();
    notes.write_string(0, 0, "Eksportert fra HMSREG").unwrap();
    workbook.save_to_buffer().unwrap()
}

fn skilled_hundredths(parsed: &Parsed) -> i64 {
    parsed.facts.values().map(|h| h.skilled).sum()
}

/// The workbook read through the pipeline, and by the reader alone.
fn both_ways(bytes: &[u8], limits: ReadLimits) -> (Parsed, Parsed) {
    let piped = read(Cursor::new(bytes), "timer.xlsx", limits, Parser::new(KEY))
        .unwrap()
        .finish();
    let mut direct = Parser::new(KEY);
    reader::read(Cursor::new(bytes), "timer.xlsx", limits, &mut direct).unwrap();
    (piped, direct.finish())
}

#[test]
fn an_xlsx_sheet_of_several_batches_reads_as_the_reader_alone_reads_it() {
    const { assert!(ROWS as usize > 2 * BATCH_ROWS && ROWS > HEADER_SEARCH_ROWS) };
    let (piped, direct) = both_ways(&workbook(), LIMITS);

    assert_eq!(piped.row_count, u64::from(ROWS));
    assert_eq!(piped.sheets_with_header, 1);
    assert!(!piped.has_errors, "{:?}", piped.issues);
    // 4,500 rows of 7.5 hours and 4,500 of 2.25: 33,750 + 10,125 hours, in hundredths.
    assert_eq!(skilled_hundredths(&piped), 4_387_500);
    assert_eq!(piped.facts, direct.facts);
    assert_eq!(piped.row_count, direct.row_count);
    assert_eq!(piped.issues.len(), direct.issues.len());
}

#[test]
fn a_sheet_past_the_row_limit_stops_where_the_reader_alone_stops() {
    let bytes = workbook();
    let limits = ReadLimits {
        max_rows: 5_000,
        ..LIMITS
    };
    let (piped, direct) = both_ways(&bytes, limits);

    // Rows 2..=5000 of the sheet are hour rows: 4,999 of them, the rest refused with one issue.
    assert_eq!(piped.row_count, 4_999);
    assert_eq!(piped.facts, direct.facts);
    let codes = |p: &Parsed| p.issues.iter().map(|i| i.code.clone()).collect::<Vec<_>>();
    assert!(codes(&piped).contains(&"TOO_MANY_ROWS".to_string()));
    assert_eq!(codes(&piped), codes(&direct));
}
