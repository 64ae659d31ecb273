//! Turns a file's rows, sheet by sheet, into what the file holds.
//!
//! Finds each sheet's header row, then checks each row below it and adds the valid ones up.
//! No I/O: a reader feeds it rows through [`RowSink`]; tests feed it rows directly.

use super::{
    aggregate::{self, AgencyRows, FactKey, FirstSeen, LabelKind, NO_AGENCY, NO_TRADE, Parsed},
    cells::{Category, Cell, last_of_month},
    header::{Columns, Field, HEADER_SEARCH_ROWS},
    issue::{Issue, Severity, column_letter},
    memo::{Memo, cached},
    reader::RowSink,
    row_check::{self, Checked, Values},
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
        {
            let t = t.trim().to_lowercase();
            if t.starts_with("sum") || t.starts_with("total") {
                let message = "a totals row: skipped, never counted".into();
                self.issue(Severity::Warning, "TOTALS_ROW", message, Some(row), None);
                return;
            }
        }
        self.data_row(row, cells);
    }

    /// Whether the sheet can still get a header: readers stop reading a headerless sheet early.
    fn wants_more(&self, row: u32) -> bool {
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
        Self {
            worker_key: worker_key.to_vec(),
            out: Parsed::default(),
            sheet: String::new(),
            columns: None,
            memo: Memo::default(),
        }
    }

    pub fn has_header(&self) -> bool {
        self.columns.is_some()
    }

    pub fn finish(mut self) -> Parsed {
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
        let agency = v.agency.map_or_else(
            || NO_AGENCY.to_string(),
            |a| self.name(LabelKind::Agency, &a),
        );
        self.note_agency_row(&agency, row);
        let contract = self.name(LabelKind::Contract, &v.contract);
        let trade = v
            .trade
            .map_or_else(|| NO_TRADE.to_string(), |t| self.name(LabelKind::Trade, &t));
        self.note_trade_row(&trade, row);
        let key = FactKey {
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
            (Category::Apprentice, Some(w)) => {
                let worker_key = &self.worker_key;
                Some(cached(&mut self.memo.workers, &w, |w| {
                    worker_hash(worker_key, w)
                }))
            }
            _ => None,
        };
        self.out.add_row(aggregate::Row {
            key,
            category: v.category,
            hours: v.hours,
            first: v.date,
            last,
            apprentice,
        });
    }

    /// Remembers where `agency` is written, for the store step's UNKNOWN_AGENCY warning.
    fn note_agency_row(&mut self, agency: &str, row: u32) {
        if agency == NO_AGENCY {
            return;
        }
        let column = self
            .columns
            .as_ref()
            .and_then(|c| c.get(Field::Agency))
            .map(|c| column_letter(c as u32));
        let sheet = &self.sheet;
        let entry = self
            .out
            .agency_rows
            .entry(agency.to_string())
            .or_insert_with(|| AgencyRows {
                sheet: sheet.clone(),
                column,
                ..Default::default()
            });
        entry.count += 1;
        if entry.rows.len() < AgencyRows::SHOWN && entry.sheet == *sheet {
            entry.rows.push(row);
        }
    }

    /// Remembers where `trade` is first written, for the store step's UNKNOWN_TRADE warning.
    fn note_trade_row(&mut self, trade: &str, row: u32) {
        if trade == NO_TRADE || self.out.trade_rows.contains_key(trade) {
            return;
        }
        let column = self
            .columns
            .as_ref()
            .and_then(|c| c.get(Field::Trade))
            .map(|c| column_letter(c as u32));
        let first = FirstSeen {
            sheet: self.sheet.clone(),
            row,
            column,
        };
        self.out.trade_rows.insert(trade.to_string(), first);
    }

    /// The key of a name (trimmed, collapsed, lower case), remembering its first spelling.
    fn name(&mut self, kind: LabelKind, raw: &str) -> String {
        if let Some((key, _)) = self.memo.names.get(raw) {
            return key.clone();
        }
        let label = collapse_spaces(raw);
        let key = label.to_lowercase();
        self.out
            .labels
            .entry((kind, key.clone()))
            .or_insert_with(|| label.clone());
        self.memo
            .names
            .insert(raw.to_string(), (key.clone(), label));
        key
    }
}

#[cfg(test)]
#[path = "parser_tests.rs"]
mod tests;
