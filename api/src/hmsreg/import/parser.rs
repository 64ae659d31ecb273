//! Turns a file's rows, sheet by sheet, into what the file holds.
//!
//! Finds each sheet's header row, then checks each row below it and adds the valid ones up.
//! No I/O: a reader feeds it rows through [`RowSink`]; tests feed it rows directly.

use super::{
    aggregate::{AgencyRows, FirstSeen, LabelKind, NO_AGENCY, NO_TRADE, Parsed},
    cells::{Category, Cell, last_of_month},
    header::{Columns, Field, HEADER_SEARCH_ROWS},
    issue::{Issue, Severity, column_letter},
    memo::Memo,
    reader::RowSink,
    row_check::{self, Checked, Values},
    sums::{Grain, Sums},
    worker::worker_hash,
};
use crate::{domain::month, validate::collapse_spaces};

/// Reads rows sheet by sheet; call [`RowSink::start_sheet`], [`RowSink::row`] for each row
/// in order, [`RowSink::end_sheet`], and at the end [`Parser::finish`].
pub struct Parser {
    worker_key: Vec<u8>,
    out: Parsed,
    sheet: String,
    columns: Option<Columns>,
    memo: Memo,
    sums: Sums,
    /// The ids of [`NO_AGENCY`] and [`NO_TRADE`] in the memo's texts.
    no_agency: usize,
    no_trade: usize,
}

impl RowSink for Parser {
    fn start_sheet(&mut self, name: &str) {
        self.sheet = name.to_string();
        self.columns = None;
    }

    /// `row` is 1-based; `cells[i]` is column `i`.
    fn row(&mut self, row: u32, cells: &[Cell]) {
        if self.columns.is_none() {
            if row <= HEADER_SEARCH_ROWS {
                self.try_header(row, cells);
            }
            return;
        }
        if cells.iter().all(Cell::is_empty) {
            return;
        }
        if let Some(first) = cells.iter().find(|c| !c.is_empty())
            && let Cell::Text(t) = first
            && is_totals(t)
        {
            let message = "a totals row: skipped, never counted".into();
            self.issue(Severity::Warning, "TOTALS_ROW", message, Some(row), None);
            return;
        }
        self.data_row(row, cells);
    }

    /// Whether the sheet can still get a header: readers stop reading a headerless sheet early.
    fn wants_more(&mut self, row: u32) -> bool {
        self.columns.is_some() || row <= HEADER_SEARCH_ROWS
    }

    /// An issue the reader found in this sheet (limits, unreadable cells).
    fn reader_issue(&mut self, code: &str, message: String, row: Option<u32>, column: Option<u32>) {
        let column = column.map(|c| c as usize);
        self.issue(Severity::Error, code, message, row, column);
    }

    fn end_sheet(&mut self) {
        if self.columns.is_none() {
            let message = format!(
                "no header row in the first {HEADER_SEARCH_ROWS} rows (looked for hours and category columns): sheet skipped"
            );
            self.issue(Severity::Warning, "NO_HEADER", message, None, None);
        }
    }
}

impl Parser {
    pub fn new(worker_key: &[u8]) -> Self {
        let mut memo = Memo::default();
        let no_agency = memo.texts.id(NO_AGENCY);
        let no_trade = memo.texts.id(NO_TRADE);
        Self {
            worker_key: worker_key.to_vec(),
            out: Parsed::default(),
            sheet: String::new(),
            columns: None,
            memo,
            sums: Sums::default(),
            no_agency,
            no_trade,
        }
    }

    pub fn has_header(&self) -> bool {
        self.columns.is_some()
    }

    pub fn finish(mut self) -> Parsed {
        self.sums
            .finish(&self.memo.texts, &self.memo.hashes, &mut self.out);
        self.out.close_issues();
        self.out
    }

    fn issue(
        &mut self,
        severity: Severity,
        code: &str,
        message: String,
        row: Option<u32>,
        column: Option<usize>,
    ) {
        self.out.add_issue(Issue {
            severity,
            code: code.into(),
            message,
            sheet: Some(self.sheet.clone()),
            row,
            column: column.map(|c| column_letter(c as u32)),
        });
    }

    fn try_header(&mut self, row: u32, cells: &[Cell]) {
        let Some(columns) = Columns::of_header(cells) else {
            return;
        };
        self.out.sheets_with_header += 1;
        for (severity, code, message) in columns.issues() {
            self.issue(severity, code, message, Some(row), None);
        }
        self.columns = Some(columns);
    }

    fn data_row(&mut self, row: u32, cells: &[Cell]) {
        let Some(columns) = self.columns.as_ref() else {
            return;
        };
        match row_check::check(cells, columns, &mut self.memo) {
            Checked::Skipped => {}
            Checked::Invalid(problems) => {
                for (code, message, column) in problems {
                    self.issue(Severity::Error, code, message, Some(row), column);
                }
            }
            Checked::Valid(values) => self.add(row, values),
        }
    }

    /// Keys a valid row's names and adds it up.
    fn add(&mut self, row: u32, v: Values) {
        // The names are keyed in this order: the first kind to meet a text labels it.
        let agency = v
            .agency
            .map_or(self.no_agency, |a| self.name(LabelKind::Agency, &a));
        self.note_agency_row(agency, row);
        let contract = self.name(LabelKind::Contract, &v.contract);
        let trade = v
            .trade
            .map_or(self.no_trade, |t| self.name(LabelKind::Trade, &t));
        self.note_trade_row(trade, row);
        let grain = Grain {
            month: month::of(v.date),
            agency,
            org_number: v.org_number,
            contract,
            trade,
        };
        let last = if v.by_day {
            v.date
        } else {
            last_of_month(v.date)
        };
        let apprentice = match (v.category, v.worker) {
            (Category::Apprentice, Some(w)) => Some(self.worker(&w)),
            _ => None,
        };
        self.out.count_row(v.date, last);
        self.sums.add(grain, v.category, v.hours, apprentice);
    }

    /// The id of a worker's keyed hash, worked out once per distinct text.
    fn worker(&mut self, worker: &str) -> usize {
        if let Some(id) = self.memo.workers.get(worker) {
            return *id;
        }
        let id = self.memo.hashes.id(&worker_hash(&self.worker_key, worker));
        self.memo.workers.insert(worker.to_string(), id);
        id
    }

    /// Remembers where `agency` is written, for the store step's UNKNOWN_AGENCY warning.
    fn note_agency_row(&mut self, agency: usize, row: u32) {
        if agency == self.no_agency {
            return;
        }
        let (columns, sheet) = (&self.columns, &self.sheet);
        let entry = self.sums.agency_rows(agency, || AgencyRows {
            sheet: sheet.clone(),
            column: letter(columns, Field::Agency),
            ..Default::default()
        });
        entry.count += 1;
        if entry.rows.len() < AgencyRows::SHOWN && entry.sheet == *sheet {
            entry.rows.push(row);
        }
    }

    /// Remembers where `trade` is first written, for the store step's UNKNOWN_TRADE warning.
    fn note_trade_row(&mut self, trade: usize, row: u32) {
        if trade == self.no_trade || self.sums.has_trade(trade) {
            return;
        }
        let first = FirstSeen {
            sheet: self.sheet.clone(),
            row,
            column: letter(&self.columns, Field::Trade),
        };
        self.sums.first_trade(trade, first);
    }

    /// The id of a name's key (trimmed, collapsed, lower case), remembering its first spelling.
    fn name(&mut self, kind: LabelKind, raw: &str) -> usize {
        if let Some(id) = self.memo.names.get(raw) {
            return *id;
        }
        let label = collapse_spaces(raw);
        let key = label.to_lowercase();
        let id = self.memo.texts.id(&key);
        self.out.labels.entry((kind, key)).or_insert(label);
        self.memo.names.insert(raw.to_string(), id);
        id
    }
}

/// The letter of the column holding `field`, for a message.
fn letter(columns: &Option<Columns>, field: Field) -> Option<String> {
    columns
        .as_ref()
        .and_then(|c| c.get(field))
        .map(|c| column_letter(c as u32))
}

/// Whether a row starting with `text` is a totals row ("Sum ...", "Total ..."), in any case.
/// Compares the lower-cased start without making the lower-case text.
fn is_totals(text: &str) -> bool {
    let lower = || text.trim().chars().flat_map(char::to_lowercase);
    let starts = |prefix: &str| {
        let mut chars = lower();
        prefix.chars().all(|p| chars.next() == Some(p))
    };
    starts("sum") || starts("total")
}

#[cfg(test)]
#[path = "parser_tests.rs"]
mod tests;
