//! Streams an .xlsx/.xlsm workbook cell by cell; a row goes on when the next one starts.
//!
//! What a sheet declares costs nothing until its cells come.

use std::io::{Read, Seek};

use calamine::{DataRef, Reader, Xlsx};

use super::{ReadFailure, ReadLimits, RowSink, damaged, values::from_ref, within};
use crate::hmsreg::import::cells::Cell;

/// Collects one row's cells; the sink gets the row when the next one starts.
struct RowBuffer {
    row: Option<u32>,
    cells: Vec<Cell>,
    /// The texts of rows handed on, kept for the next rows' texts: a sheet of a million rows
    /// of text cells then allocates for its widest row, not for every cell.
    spare: Vec<String>,
}

impl RowBuffer {
    fn new() -> Self {
        Self {
            row: None,
            cells: Vec::new(),
            spare: Vec::new(),
        }
    }

    /// Hands the finished row to the sink; false when the sink wants no more of the sheet.
    fn flush(&mut self, sink: &mut impl RowSink) -> bool {
        if let Some(r) = self.row.take() {
            sink.row_owned(r + 1, &mut self.cells, &mut self.spare);
            return sink.wants_more(r + 2);
        }
        true
    }

    fn put(&mut self, col: u32, value: &DataRef<'_>) {
        let cell = match value {
            DataRef::SharedString(s) => self.text(s),
            DataRef::String(s) => self.text(s),
            other => from_ref(other),
        };
        // Cells come left to right, most often with no gap: then it is a push (a `resize`
        // per cell was a twentieth of the reader's time on a million-row sheet).
        let col = col as usize;
        match col.cmp(&self.cells.len()) {
            std::cmp::Ordering::Equal => self.cells.push(cell),
            std::cmp::Ordering::Greater => {
                self.cells.resize_with(col, || Cell::Empty);
                self.cells.push(cell);
            }
            std::cmp::Ordering::Less => self.cells[col] = cell,
        }
    }

    /// A text cell in a kept buffer, as [`from_ref`] makes it.
    fn text(&mut self, s: &str) -> Cell {
        let mut t = self.spare.pop().unwrap_or_default();
        t.clear();
        t.push_str(s);
        Cell::Text(t)
    }
}

pub(super) fn read<R: Read + Seek>(
    source: R,
    limits: ReadLimits,
    sink: &mut impl RowSink,
) -> Result<(), ReadFailure> {
    let mut workbook = Xlsx::new(source).map_err(|e| match e {
        calamine::XlsxError::Password => ReadFailure::PasswordProtected,
        _ => damaged("an .xlsx workbook"),
    })?;
    let names = workbook.sheet_names().to_vec();
    for name in names {
        sink.start_sheet(&name);
        let mut cells = workbook
            .worksheet_cells_reader(&name)
            .map_err(|_| damaged("an .xlsx workbook"))?;
        let mut buffer = RowBuffer::new();
        loop {
            let next = cells
                .next_cell()
                .map_err(|_| damaged("an .xlsx workbook"))?;
            let Some(cell) = next else { break };
            let (row, col) = cell.get_position();
            if buffer.row != Some(row) {
                if !buffer.flush(sink) {
                    break;
                }
                buffer.row = Some(row);
            }
            if matches!(cell.get_value(), DataRef::Empty) {
                continue;
            }
            if !within(limits, row, col, sink) {
                buffer.row = None;
                break;
            }
            buffer.put(col, cell.get_value());
        }
        buffer.flush(sink);
        sink.end_sheet();
    }
    Ok(())
}
