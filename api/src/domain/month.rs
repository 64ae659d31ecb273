//! Months as stored (`yyyymm`, e.g. `202603`) and as shown (`2026-03`, `2026-Q1`, `2026`).

use chrono::{Datelike, NaiveDate};

/// The month `date` falls in, as `yyyymm`.
pub fn of(date: NaiveDate) -> u32 {
    date.year().unsigned_abs() * 100 + date.month()
}

/// `202603` -> `2026-03`.
pub fn label(month: u32) -> String {
    format!("{:04}-{:02}", month / 100, month % 100)
}

/// `202605` -> `2026-Q2`.
pub fn quarter_label(month: u32) -> String {
    format!("{:04}-Q{}", month / 100, (month % 100).div_ceil(3))
}

/// `202605` -> `2026`.
pub fn year_label(month: u32) -> String {
    format!("{:04}", month / 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_quarters_and_years() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        assert_eq!(of(d), 202603);
        assert_eq!(label(202603), "2026-03");
        assert_eq!(quarter_label(202603), "2026-Q1");
        assert_eq!(quarter_label(202604), "2026-Q2");
        assert_eq!(quarter_label(202612), "2026-Q4");
        assert_eq!(year_label(202612), "2026");
    }
}
