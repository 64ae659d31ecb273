//! Reads a CSV file as one sheet named after the file, a row numbered by its line.

use std::io::{Read, Seek};

use super::{ReadFailure, ReadLimits, RowSink, decode, io_failure, within};
use crate::hmsreg::import::cells::Cell;

pub(super) fn read<R: Read + Seek>(
    source: R,
    file_name: &str,
    limits: ReadLimits,
    sink: &mut impl RowSink,
) -> Result<(), ReadFailure> {
    let (text, separator) = decode::text(source)?;
    let mut csv = ::csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    sink.start_sheet(file_name);
    let mut record = ::csv::StringRecord::new();
    // Counted here, not taken from the csv crate's record positions: those count `\n` up to
    // where the reader stopped, which after a record ended by `\r\n` is before its `\n`, so
    // every row after the first of a Windows file would be a line early (and a file with
    // `\r` line ends all on line 1).
    let mut next_row = 0u32;
    loop {
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) if matches!(e.kind(), ::csv::ErrorKind::Io(_)) => return Err(io_failure()),
            Err(_) => {
                return Err(ReadFailure::Unreadable(
                    "the CSV file is malformed (an unclosed quote?)".into(),
                ));
            }
        }
        let row = next_row;
        let breaks: usize = record.iter().map(|v| v.matches('\n').count()).sum();
        next_row = next_row.saturating_add(1 + breaks as u32);
        let mut cells = Vec::with_capacity(record.len());
        let mut stop = false;
        for (col, value) in record.iter().enumerate() {
            if value.trim().is_empty() {
                cells.push(Cell::Empty);
                continue;
            }
            if !within(limits, row, col as u32, sink) {
                stop = true;
                break;
            }
            cells.push(Cell::Text(value.to_string()));
        }
        if stop {
            break;
        }
        sink.row(row + 1, &cells);
        if !sink.wants_more(row + 2) {
            break;
        }
    }
    sink.end_sheet();
    Ok(())
}

#[cfg(test)]
#[path = "csv_tests.rs"]
mod tests;
