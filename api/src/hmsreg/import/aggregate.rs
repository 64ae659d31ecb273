//! The sums of a file's valid rows: hours per category and month, apprentices, labels, issues.
//!
//! The month grain is the one every grouping and filter of the shares needs.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::{
    cells::Category,
    issue::{Issue, Severity},
};

pub use crate::domain::agency::NO_AGENCY;
/// The trade key for hours without a trade.
pub const NO_TRADE: &str = "(none)";
pub const MAX_ISSUES: usize = 1000;

/// Where hours are added up: the grain every grouping and filter of the shares needs.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FactKey {
    /// `yyyymm`.
    pub month: u32,
    pub agency: String,
    pub org_number: String,
    pub contract: String,
    pub trade: String,
}

/// Hundredths of an hour per category.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hours {
    pub skilled: i64,
    pub apprentice: i64,
    pub unskilled: i64,
    pub administrative: i64,
}

impl Hours {
    pub(super) fn add(&mut self, category: Category, hundredths: i64) {
        match category {
            Category::Skilled => self.skilled += hundredths,
            Category::Apprentice => self.apprentice += hundredths,
            Category::Unskilled => self.unskilled += hundredths,
            Category::Administrative => self.administrative += hundredths,
        }
    }

    pub fn plus(&mut self, other: &Hours) {
        self.skilled += other.skilled;
        self.apprentice += other.apprentice;
        self.unskilled += other.unskilled;
        self.administrative += other.administrative;
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LabelKind {
    Agency,
    Contract,
    Trade,
}

impl LabelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LabelKind::Agency => "agency",
            LabelKind::Contract => "contract",
            LabelKind::Trade => "trade",
        }
    }
}

/// What a file holds, ready to store.
#[derive(Debug, Default)]
pub struct Parsed {
    pub facts: HashMap<FactKey, Hours>,
    /// (where, keyed hash of the worker) for every worker with apprentice hours.
    pub apprentices: HashSet<(FactKey, String)>,
    /// The first spelling of each agency, contract and trade, by key.
    pub labels: HashMap<(LabelKind, String), String>,
    /// Where each agency key was written, so an unknown agency can be pointed at.
    pub agency_rows: HashMap<String, AgencyRows>,
    /// Where each trade key was first written, so a trade the catalogue lacks can be pointed at.
    pub trade_rows: HashMap<String, FirstSeen>,
    pub row_count: u64,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub issues: Vec<Issue>,
    pub issues_left_out: usize,
    pub has_errors: bool,
    pub sheets_with_header: usize,
}

/// Where a file writes one agency text: its first sheet, column and rows, and how many rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgencyRows {
    pub sheet: String,
    pub column: Option<String>,
    /// The first [`AgencyRows::SHOWN`] rows.
    pub rows: Vec<u32>,
    pub count: u64,
}

impl AgencyRows {
    pub const SHOWN: usize = 10;
}

/// Where a file first writes a text: its sheet, row and column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FirstSeen {
    pub sheet: String,
    pub row: u32,
    pub column: Option<String>,
}

impl Parsed {
    pub fn add_issue(&mut self, issue: Issue) {
        if issue.severity == Severity::Error {
            self.has_errors = true;
        }
        if self.issues.len() < MAX_ISSUES {
            self.issues.push(issue);
        } else {
            self.issues_left_out += 1;
        }
    }

    /// Counts a valid row that covers `first..=last`.
    pub(super) fn count_row(&mut self, first: NaiveDate, last: NaiveDate) {
        self.period_from = Some(self.period_from.map_or(first, |p| p.min(first)));
        self.period_to = Some(self.period_to.map_or(last, |p| p.max(last)));
        self.row_count += 1;
    }

    /// Says how many issues did not fit in the list, if any did not.
    pub(super) fn close_issues(&mut self) {
        if self.issues_left_out > 0 {
            let n = self.issues_left_out;
            self.issues.push(Issue::file(
                Severity::Error,
                "TOO_MANY_ISSUES",
                format!("{n} more issues were found and are not listed"),
            ));
        }
    }
}
