//! Reads a spreadsheet or CSV file row by row into the [`Parser`]. .xlsx/.xlsm stream cell by
//! cell (a sheet that declares a million columns costs nothing until cells come); .xls and
//! .ods go through calamine's range reader, bounded by the upload size; CSV is decoded from
//! UTF-8 or Windows-1252 with `;` or `,` between values.

use std::io::{Read, Seek, SeekFrom};

use calamine::{Data, DataRef, ExcelDateTime, Ods, Reader, Xls, XlsError, Xlsx};

use super::{
    parse::{Cell, Parser},
    xls_check,
};

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

#[derive(Debug, PartialEq, Eq)]
enum Format {
    Xlsx,
    Xls,
    Ods,
    Csv,
}

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Encrypted Office files are an OLE container with this stream (its name in UTF-16LE).
fn encrypted_package_marker() -> Vec<u8> {
    "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
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

fn detect<R: Read + Seek>(source: &mut R, file_name: &str) -> Result<Format, ReadFailure> {
    let mut head = Vec::with_capacity(4096);
    source
        .by_ref()
        .take(4096)
        .read_to_end(&mut head)
        .map_err(|_| io_failure())?;
    rewind(source)?;
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    if head.is_empty() {
        return Err(ReadFailure::Unreadable("the file is empty".into()));
    }
    if head.starts_with(b"PK\x03\x04") {
        let ods =
            ext == "ods" || contains(&head, b"application/vnd.oasis.opendocument.spreadsheet");
        return Ok(if ods { Format::Ods } else { Format::Xlsx });
    }
    if head.starts_with(&CFB_MAGIC) {
        let mut all = Vec::new();
        source.read_to_end(&mut all).map_err(|_| io_failure())?;
        rewind(source)?;
        if contains(&all, &encrypted_package_marker()) {
            return Err(ReadFailure::PasswordProtected);
        }
        // calamine would take memory without bound from some damaged files; see `xls_check`.
        if !xls_check::is_bounded(&all) {
            return Err(damaged("an .xls workbook"));
        }
        return Ok(Format::Xls);
    }
    // CSV by name (or no name), and only if it is text.
    if matches!(ext.as_str(), "csv" | "txt" | "") && !head.contains(&0) {
        return Ok(Format::Csv);
    }
    Err(ReadFailure::Unreadable(format!(
        "'{file_name}' is not a spreadsheet (.xlsx, .xlsm, .xls, .ods) or a CSV file"
    )))
}

/// Reads every sheet of the file in `source` into `parser`.
pub fn read<R: Read + Seek>(
    mut source: R,
    file_name: &str,
    limits: ReadLimits,
    parser: &mut Parser,
) -> Result<(), ReadFailure> {
    match detect(&mut source, file_name)? {
        Format::Xlsx => read_xlsx(source, limits, parser),
        Format::Xls => {
            let workbook = Xls::new(source).map_err(|e| match e {
                XlsError::Password => ReadFailure::PasswordProtected,
                _ => damaged("an .xls workbook"),
            })?;
            read_ranges(workbook, "an .xls workbook", limits, parser)
        }
        Format::Ods => {
            let workbook = Ods::new(source).map_err(|e| match e {
                calamine::OdsError::Password => ReadFailure::PasswordProtected,
                _ => damaged("an .ods workbook"),
            })?;
            read_ranges(workbook, "an .ods workbook", limits, parser)
        }
        Format::Csv => read_csv(source, file_name, limits, parser),
    }
}

/// Collects one row's cells; the parser gets the row when the next one starts.
struct RowBuffer {
    row: Option<u32>,
    cells: Vec<Cell>,
}

impl RowBuffer {
    fn new() -> Self {
        Self {
            row: None,
            cells: Vec::new(),
        }
    }

    /// Hands the finished row to the parser; false when the parser wants no more of the sheet.
    fn flush(&mut self, parser: &mut Parser) -> bool {
        if let Some(r) = self.row.take() {
            parser.row(r + 1, &self.cells);
            self.cells.clear();
            return parser.wants_more(r + 2);
        }
        true
    }

    fn put(&mut self, col: u32, cell: Cell) {
        let col = col as usize;
        if self.cells.len() <= col {
            self.cells.resize(col + 1, Cell::Empty);
        }
        self.cells[col] = cell;
    }
}

/// Checks a cell's position against the limits; reports and says stop when it is outside.
fn within(limits: ReadLimits, row: u32, col: u32, parser: &mut Parser) -> bool {
    if row >= limits.max_rows {
        parser.reader_issue(
            "TOO_MANY_ROWS",
            format!("the sheet has more than {} rows", limits.max_rows),
            Some(row + 1),
            None,
        );
        return false;
    }
    if col >= limits.max_columns {
        parser.reader_issue(
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

fn read_xlsx<R: Read + Seek>(
    source: R,
    limits: ReadLimits,
    parser: &mut Parser,
) -> Result<(), ReadFailure> {
    let mut workbook = Xlsx::new(source).map_err(|e| match e {
        calamine::XlsxError::Password => ReadFailure::PasswordProtected,
        _ => damaged("an .xlsx workbook"),
    })?;
    let names = workbook.sheet_names().to_vec();
    for name in names {
        parser.start_sheet(&name);
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
                if !buffer.flush(parser) {
                    break;
                }
                buffer.row = Some(row);
            }
            if matches!(cell.get_value(), DataRef::Empty) {
                continue;
            }
            if !within(limits, row, col, parser) {
                buffer.row = None;
                break;
            }
            buffer.put(col, from_ref(cell.get_value()));
        }
        buffer.flush(parser);
        parser.end_sheet();
    }
    Ok(())
}

fn read_ranges<S: Read + Seek, R: Reader<S>>(
    mut workbook: R,
    kind: &str,
    limits: ReadLimits,
    parser: &mut Parser,
) -> Result<(), ReadFailure> {
    let names = workbook.sheet_names().to_vec();
    for name in names {
        parser.start_sheet(&name);
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
                if !within(limits, row, col, parser) {
                    break 'rows;
                }
                if cells.len() <= col as usize {
                    cells.resize(col as usize + 1, Cell::Empty);
                }
                cells[col as usize] = from_data(value);
            }
            parser.row(row + 1, &cells);
            if !parser.wants_more(row + 2) {
                break;
            }
        }
        parser.end_sheet();
    }
    Ok(())
}

fn read_csv<R: Read>(
    mut source: R,
    file_name: &str,
    limits: ReadLimits,
    parser: &mut Parser,
) -> Result<(), ReadFailure> {
    let mut bytes = Vec::new();
    source.read_to_end(&mut bytes).map_err(|_| io_failure())?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    // Norwegian Excel saves CSV as Windows-1252 unless told otherwise.
    let text = match std::str::from_utf8(body) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(body)
                .0
        }
    };
    // Decimal commas mean semicolons between values; a semicolon in the first lines decides.
    let separator = if text.lines().take(30).any(|l| l.contains(';')) {
        b';'
    } else {
        b','
    };
    // The csv crate skips blank lines and miscounts lines after them; a spreadsheet shows a
    // blank line as an empty row. Keep them as a lone separator so record n is line n (plus
    // the line breaks inside quoted values, counted below).
    let sep = char::from(separator).to_string();
    let text: String = text
        .split_inclusive('\n')
        .map(|line| {
            if line.trim().is_empty() {
                format!("{sep}{line}")
            } else {
                line.to_string()
            }
        })
        .collect();
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let sheet = file_name.to_string();
    parser.start_sheet(&sheet);
    let mut record = csv::StringRecord::new();
    let mut next_row = 0u32;
    loop {
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
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
            if !within(limits, row, col as u32, parser) {
                stop = true;
                break;
            }
            cells.push(Cell::Text(value.to_string()));
        }
        if stop {
            break;
        }
        parser.row(row + 1, &cells);
        if !parser.wants_more(row + 2) {
            break;
        }
    }
    parser.end_sheet();
    Ok(())
}

fn from_datetime(value: &ExcelDateTime) -> Cell {
    match value.as_datetime() {
        Some(dt) if value.is_datetime() => Cell::Date(dt.date()),
        _ => Cell::Number(value.as_f64()),
    }
}

fn from_ref(value: &DataRef<'_>) -> Cell {
    match value {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(d) => from_datetime(d),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::Empty => Cell::Empty,
    }
}

fn from_data(value: &Data) -> Cell {
    match value {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => from_datetime(d),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}
