//! Reads a spreadsheet or CSV file row by row into a [`RowSink`].
//!
//! .xlsx/.xlsm stream cell by cell (a sheet that declares a million columns costs nothing
//! until cells come); .xls and .ods go through calamine's range reader, bounded by the
//! upload size; CSV is decoded from UTF-8 or Windows-1252 as it is read, with `;` or `,`
//! between values.

mod csv;
mod decode;
mod detect;
mod ranges;
mod values;
mod xls_check;
mod xlsx;

use std::io::{Read, Seek, SeekFrom};

use calamine::{Ods, Reader, Xls, XlsError};

use super::cells::Cell;
use detect::Format;

/// What a reader hands rows to, and all it may ask of it.
pub trait RowSink {
    fn start_sheet(&mut self, name: &str);
    /// `row` is 1-based; `cells[i]` is column `i`.
    fn row(&mut self, row: u32, cells: &[Cell]);
    /// `row` with its cells the sink may keep: it leaves `cells` empty, and may put texts in
    /// `spare` for the reader's next cells. The reader's own buffers then cross to the
    /// parser's thread without a copy (`pipeline.rs`); other sinks read the row in place.
    fn row_owned(&mut self, row: u32, cells: &mut Vec<Cell>, spare: &mut Vec<String>) {
        self.row(row, cells);
        spare.extend(cells.drain(..).filter_map(|cell| match cell {
            Cell::Text(t) => Some(t),
            _ => None,
        }));
    }
    /// Whether the sheet's row `row` (1-based) is still wanted: readers stop early otherwise.
    fn wants_more(&mut self, row: u32) -> bool;
    /// A problem the reader found in this sheet (limits, unreadable cells); `column` 0-based.
    fn reader_issue(&mut self, code: &str, message: String, row: Option<u32>, column: Option<u32>);
    fn end_sheet(&mut self);
}

#[derive(Clone, Copy, Debug)]
pub struct ReadLimits {
    pub max_rows: u32,
    pub max_columns: u32,
}

/// Why a file could not be read at all; said in words a user understands.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadFailure {
    #[error("{0}")]
    Unreadable(String),
    #[error(
        "the workbook is protected with a password: save it without a password and upload it again"
    )]
    PasswordProtected,
}

impl ReadFailure {
    pub fn code(&self) -> &'static str {
        match self {
            ReadFailure::Unreadable(_) => "UNREADABLE_FILE",
            ReadFailure::PasswordProtected => "PASSWORD_PROTECTED",
        }
    }
}

fn damaged(kind: &str) -> ReadFailure {
    ReadFailure::Unreadable(format!(
        "the file cannot be read as {kind}: it is damaged, incomplete, or not really that kind of file"
    ))
}

fn io_failure() -> ReadFailure {
    ReadFailure::Unreadable("the uploaded file could not be read".into())
}

fn rewind<R: Seek>(source: &mut R) -> Result<(), ReadFailure> {
    source
        .seek(SeekFrom::Start(0))
        .map(|_| ())
        .map_err(|_| io_failure())
}

/// Reads every sheet of the file in `source` into `sink`.
pub fn read<R: Read + Seek>(
    mut source: R,
    file_name: &str,
    limits: ReadLimits,
    sink: &mut impl RowSink,
) -> Result<(), ReadFailure> {
    match detect::detect(&mut source, file_name)? {
        Format::Xlsx => xlsx::read(source, limits, sink),
        Format::Xls => {
            let workbook = Xls::new(source).map_err(|e| match e {
                XlsError::Password => ReadFailure::PasswordProtected,
                _ => damaged("an .xls workbook"),
            })?;
            ranges::read(workbook, "an .xls workbook", limits, sink)
        }
        Format::Ods => {
            let workbook = Ods::new(source).map_err(|e| match e {
                calamine::OdsError::Password => ReadFailure::PasswordProtected,
                _ => damaged("an .ods workbook"),
            })?;
            ranges::read(workbook, "an .ods workbook", limits, sink)
        }
        Format::Csv => csv::read(source, file_name, limits, sink),
    }
}

/// Checks a cell's position (0-based) against the limits; reports and says stop when it is
/// outside.
fn within(limits: ReadLimits, row: u32, col: u32, sink: &mut impl RowSink) -> bool {
    if row >= limits.max_rows {
        sink.reader_issue(
            "TOO_MANY_ROWS",
            format!("the sheet has more than {} rows", limits.max_rows),
            Some(row + 1),
            None,
        );
        return false;
    }
    if col >= limits.max_columns {
        sink.reader_issue(
            "TOO_MANY_COLUMNS",
            format!(
                "a value beyond the last allowed column ({}): the rest of the sheet is not read",
                limits.max_columns
            ),
            Some(row + 1),
            Some(col),
        );
        return false;
    }
    true
}
