//! Reads .xls and .ods workbooks through calamine's range reader, a whole sheet at a time.
//!
//! Bounded by the upload size, and for .xls by `xls_check`.

use std::io::{Read, Seek};

use calamine::{Data, Reader};

use super::{ReadFailure, ReadLimits, RowSink, damaged, values::from_data, within};
use crate::hmsreg::import::cells::Cell;

/// `kind` names the format in the message when a sheet cannot be read.
pub(super) fn read<S: Read + Seek, R: Reader<S>>(
    mut workbook: R,
    kind: &str,
    limits: ReadLimits,
    sink: &mut impl RowSink,
) -> Result<(), ReadFailure> {
    let names = workbook.sheet_names().to_vec();
    for name in names {
        sink.start_sheet(&name);
        let range = workbook.worksheet_range(&name).map_err(|_| damaged(kind))?;
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        'rows: for (i, values) in range.rows().enumerate() {
            let row = first_row + i as u32;
            let mut cells = Vec::new();
            for (j, value) in values.iter().enumerate() {
                if matches!(value, Data::Empty) {
                    continue;
                }
                let col = first_col + j as u32;
                if !within(limits, row, col, sink) {
                    break 'rows;
                }
                if cells.len() <= col as usize {
                    cells.resize(col as usize + 1, Cell::Empty);
                }
                cells[col as usize] = from_data(value);
            }
            sink.row(row + 1, &cells);
            if !sink.wants_more(row + 2) {
                break;
            }
        }
        sink.end_sheet();
    }
    Ok(())
}
