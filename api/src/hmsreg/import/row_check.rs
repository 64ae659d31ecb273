//! Checks one data row's values, in the order their errors are listed.
//!
//! The hours are also checked against the day or month they are given for.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::{
    cells::{
        Category, Cell, OrgValue, category, clip, org_value, parse_date, parse_hours, parse_period,
        show, show_hours, text_value,
    },
    header::{Columns, Field},
    memo::{Memo, Texts, cached},
};
use crate::domain::orgnr;

const MAX_TEXT: usize = 1000;
/// Hundredths: 24 and 744 hours (31 days of 24 hours).
const MAX_HOURS_PER_DAY: i64 = 2_400;
const MAX_HOURS_PER_MONTH: i64 = 74_400;

/// An error in a row: its code, its message, and the column it is in.
pub(super) type Problem = (&'static str, String, Option<usize>);

/// What a valid row holds, its names as the cells spell them.
pub(super) struct Values<'a> {
    pub hours: i64,
    pub category: Category,
    /// The id of the org number's normal form in the memo's texts.
    pub org_number: usize,
    pub contract: Cow<'a, str>,
    pub date: NaiveDate,
    /// Whether `date` is a day (else the first of a month given as a period).
    pub by_day: bool,
    pub agency: Option<Cow<'a, str>>,
    pub trade: Option<Cow<'a, str>>,
    pub worker: Option<Cow<'a, str>>,
}

pub(super) enum Checked<'a> {
    /// No hours: the row counts for nothing, whatever else it holds.
    Skipped,
    Valid(Values<'a>),
    Invalid(Vec<Problem>),
}

/// The cells of a row by field.
struct Row<'a, 'c> {
    cells: &'a [Cell],
    columns: &'c Columns,
}

impl<'a> Row<'a, '_> {
    fn column(&self, f: Field) -> Option<usize> {
        self.columns.get(f)
    }

    fn cell(&self, f: Field) -> &'a Cell {
        self.column(f)
            .and_then(|i| self.cells.get(i))
            .unwrap_or(&Cell::Empty)
    }

    /// The text of a column the header may lack: `None` without the column or a value.
    fn optional_text(
        &self,
        f: Field,
        what: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<Cow<'a, str>> {
        let column = self.column(f)?;
        match text_value(self.cell(f)) {
            Ok(text) => text,
            Err(e) => {
                let message = format!("the {what} cell holds the error {e}");
                problems.push(("FORMULA_ERROR", message, Some(column)));
                None
            }
        }
    }
}

/// Checks `cells` against the header's `columns`; `memo` remembers what distinct texts were.
pub(super) fn check<'a>(cells: &'a [Cell], columns: &Columns, memo: &mut Memo) -> Checked<'a> {
    let row = Row { cells, columns };
    let mut problems = too_long(cells);
    let hours = hours(&row, &mut problems);
    if hours == Some(0) {
        return Checked::Skipped;
    }
    let category = category_of(&row, memo, &mut problems);
    let org_number = org_number(&row, memo, &mut problems);
    let contract = contract(&row, &mut problems);
    let when = when(&row, &mut problems);
    if let (Some(h), Some((_, by_day))) = (hours, when) {
        limit(h, by_day, row.column(Field::Hours), &mut problems);
    }
    let agency = row.optional_text(Field::Agency, "agency", &mut problems);
    let trade = row.optional_text(Field::Trade, "trade", &mut problems);
    let worker = row.optional_text(Field::Worker, "worker", &mut problems);
    if !problems.is_empty() {
        return Checked::Invalid(problems);
    }
    let (Some(hours), Some(category), Some(org_number), Some(contract), Some((date, by_day))) =
        (hours, category, org_number, contract, when)
    else {
        return Checked::Skipped;
    };
    Checked::Valid(Values {
        hours,
        category,
        org_number,
        contract,
        date,
        by_day,
        agency,
        trade,
        worker,
    })
}

/// Text past `MAX_TEXT` characters, in any cell of the row.
fn too_long(cells: &[Cell]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (i, c) in cells.iter().enumerate() {
        // Bytes bound characters from above: count characters only for long text.
        if let Cell::Text(t) = c
            && t.len() > MAX_TEXT
            && t.chars().count() > MAX_TEXT
        {
            problems.push((
                "TEXT_TOO_LONG",
                format!("the cell holds more than {MAX_TEXT} characters"),
                Some(i),
            ));
        }
    }
    problems
}

/// The hours in hundredths (`Some(0)` for a row of no hours), or `None` when they are wrong
/// and said so in `problems`.
fn hours(row: &Row, problems: &mut Vec<Problem>) -> Option<i64> {
    let column = row.column(Field::Hours);
    let hours = match row.cell(Field::Hours) {
        Cell::Empty => Err(("MISSING_VALUE", "no hours".to_string())),
        c => parse_hours(c),
    };
    match hours {
        Ok(h) if h < 0 => {
            let message = format!("negative hours ({})", show_hours(h));
            problems.push(("NEGATIVE_HOURS", message, column));
            None
        }
        Ok(h) => Some(h),
        Err((code, message)) => {
            problems.push((code, message, column));
            None
        }
    }
}

fn category_of(row: &Row, memo: &mut Memo, problems: &mut Vec<Problem>) -> Option<Category> {
    let column = row.column(Field::Category);
    let problem = match row.cell(Field::Category) {
        Cell::Text(t) if !t.trim().is_empty() => match cached(&mut memo.categories, t, category) {
            Some(c) => return Some(c),
            None => (
                "UNKNOWN_CATEGORY",
                format!(
                    "'{}' is not a category: use faglært, lærling, ufaglært or administrativ",
                    clip(t)
                ),
            ),
        },
        Cell::Error(e) => (
            "FORMULA_ERROR",
            format!("the category cell holds the error {e}"),
        ),
        Cell::Empty | Cell::Text(_) => ("MISSING_VALUE", "no category".into()),
        other => (
            "UNKNOWN_CATEGORY",
            format!("{} is not a category", show(other)),
        ),
    };
    problems.push((problem.0, problem.1, column));
    None
}

fn org_number(row: &Row, memo: &mut Memo, problems: &mut Vec<Problem>) -> Option<usize> {
    let column = row.column(Field::OrgNumber);
    let problem = match row.cell(Field::OrgNumber) {
        Cell::Empty => ("MISSING_VALUE", "no organisation number".into()),
        Cell::Error(e) => (
            "FORMULA_ERROR",
            format!("the org number cell holds the error {e}"),
        ),
        c => match org_value(c).map(|v| org_id(v, memo)) {
            Some(Ok(n)) => return Some(n),
            Some(Err(e)) => ("INVALID_ORG_NUMBER", e),
            None => (
                "INVALID_ORG_NUMBER",
                format!("{} is not an organisation number", show(c)),
            ),
        },
    };
    problems.push((problem.0, problem.1, column));
    None
}

/// The id of an org number's normal form, or why it is not one; worked out once per distinct
/// value (a number cell is keyed by its integer, so it is not printed for every row).
fn org_id(value: OrgValue, memo: &mut Memo) -> Result<usize, String> {
    let normal = |text: &str, texts: &mut Texts| {
        orgnr::normalize(text)
            .map(|n| texts.id(&n))
            .map_err(|e| e.to_string())
    };
    match value {
        OrgValue::Integer(n) => {
            if let Some(known) = memo.org_values.get(&n) {
                return known.clone();
            }
            let id = normal(&n.to_string(), &mut memo.texts);
            memo.org_values.insert(n, id.clone());
            id
        }
        OrgValue::Text(t) => {
            let texts = &mut memo.texts;
            cached(&mut memo.org_numbers, t, |t| normal(t, texts))
        }
    }
}

fn contract<'a>(row: &Row<'a, '_>, problems: &mut Vec<Problem>) -> Option<Cow<'a, str>> {
    let column = row.column(Field::Contract);
    match text_value(row.cell(Field::Contract)) {
        Ok(Some(t)) => Some(t),
        Ok(None) => {
            problems.push(("MISSING_VALUE", "no contract or project".into(), column));
            None
        }
        Err(e) => {
            let message = format!("the contract cell holds the error {e}");
            problems.push(("FORMULA_ERROR", message, column));
            None
        }
    }
}

/// A date where there is one; else the period; a row needs one of them. With whether it is
/// a day.
fn when(row: &Row, problems: &mut Vec<Problem>) -> Option<(NaiveDate, bool)> {
    let (c_date, c_period) = (row.column(Field::Date), row.column(Field::Period));
    let date = row.cell(Field::Date);
    let period = c_period.map(|_| row.cell(Field::Period));
    let (problem, column) = match (date, period) {
        (d, _) if !d.is_empty() => match parse_date(d) {
            Ok(date) => return Some((date, true)),
            Err(m) => (("INVALID_DATE", m), c_date),
        },
        (_, Some(p)) if !p.is_empty() => match parse_period(p) {
            Ok(first) => return Some((first, false)),
            Err(m) => (("INVALID_PERIOD", m), c_period),
        },
        _ => (
            ("MISSING_VALUE", "no date or period".into()),
            c_date.or(c_period),
        ),
    };
    problems.push((problem.0, problem.1, column));
    None
}

/// At most 24 hours on a day, 744 in a month.
fn limit(hours: i64, by_day: bool, column: Option<usize>, problems: &mut Vec<Problem>) {
    if by_day && hours > MAX_HOURS_PER_DAY {
        let message = format!("{} hours on one day: at most 24", show_hours(hours));
        problems.push(("TOO_MANY_HOURS", message, column));
    } else if !by_day && hours > MAX_HOURS_PER_MONTH {
        let message = format!("{} hours in one month: at most 744", show_hours(hours));
        problems.push(("TOO_MANY_HOURS", message, column));
    }
}
