//! A problem found in a file, placed where a spreadsheet user would look for it.

use rust_xlsxwriter::utility::column_number_to_name;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    Error,
    Warning,
}

/// A problem found in the file, where a spreadsheet user would look for it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Issue {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    pub sheet: Option<String>,
    /// 1-based, as the spreadsheet shows it.
    pub row: Option<u32>,
    /// Letters, as the spreadsheet shows them.
    pub column: Option<String>,
}

impl Issue {
    pub fn file(severity: Severity, code: &str, message: impl Into<String>) -> Self {
        Self {
            severity,
            code: code.into(),
            message: message.into(),
            sheet: None,
            row: None,
            column: None,
        }
    }
}

/// `0` -> `A`, `25` -> `Z`, `26` -> `AA`.
pub fn column_letter(index: u32) -> String {
    match u16::try_from(index) {
        // rust_xlsxwriter counts columns in a u16 and adds one to it first.
        Ok(i) if i < u16::MAX => column_number_to_name(i),
        // A CSV row can reach further: the letters of `index / 26 - 1`, then of `index % 26`,
        // as the spreadsheet count goes on past `ZZ` to `AAA`.
        _ => format!(
            "{}{}",
            column_letter(index / 26 - 1),
            column_letter(index % 26)
        ),
    }
}

#[cfg(test)]
#[path = "issue_tests.rs"]
mod tests;
