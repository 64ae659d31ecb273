//! Cells, and a cell as the value its column wants: hours, a date or month, a name, a category.

use std::borrow::Cow;

use calamine::{ExcelDateTime, ExcelDateTimeType};
use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, prelude::ToPrimitive};

use crate::validate::collapse_spaces;

/// One cell as the reader found it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
    /// A formula error such as `#DIV/0!`.
    Error(String),
}

impl Cell {
    pub(super) fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    Skilled,
    Apprentice,
    Unskilled,
    Administrative,
}

/// The supplier sets each worker's category; these are the spellings seen in exports.
/// Case, spaces and hyphens are ignored (`Ikke-faglært` is `ikke faglært`), so the table
/// holds each spelling without them.
pub fn category(text: &str) -> Option<Category> {
    let t: String = collapse_spaces(text)
        .chars()
        .filter(|c| !c.is_whitespace() && !is_hyphen(*c))
        .flat_map(char::to_lowercase)
        .collect();
    Some(match t.as_str() {
        "faglært" | "fagarbeider" | "fagbrev" | "svennebrev" | "skilled" => Category::Skilled,
        "lærling" | "laerling" | "lærekandidat" | "laerekandidat" | "apprentice" => {
            Category::Apprentice
        }
        "ufaglært" | "ufaglaert" | "ikkefaglært" | "unskilled" => Category::Unskilled,
        "administrativ" | "administrasjon" | "admin" | "funksjonær" | "administrative" => {
            Category::Administrative
        }
        _ => return None,
    })
}

/// The hyphen, and the hyphen-like dashes a word processor puts in its place.
fn is_hyphen(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{00ad}'
    )
}

/// The start of a long text, for a message.
pub(super) fn clip(t: &str) -> String {
    t.chars().take(40).collect()
}

/// A cell as a message shows it.
pub(super) fn show(c: &Cell) -> String {
    match c {
        Cell::Empty => "an empty cell".into(),
        Cell::Text(t) => format!("'{}'", clip(t)),
        Cell::Number(n) => format!("{n}"),
        Cell::Date(d) => d.to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Error(e) => e.clone(),
    }
}

/// Hundredths as a message shows them: `750` -> `7.5`, `3000` -> `30` (without the trailing
/// zeros `domain::hundredths::plain` writes, as the messages always have been).
pub(super) fn show_hours(h: i64) -> String {
    Decimal::new(h, 2).normalize().to_string()
}

/// A cell as text, for names and ids: numbers without a fractional part print as integers.
/// Text is borrowed: a million rows naming the same contract need not copy it a million times.
pub(super) fn text_value(c: &Cell) -> Result<Option<Cow<'_, str>>, String> {
    Ok(match c {
        Cell::Empty => None,
        Cell::Text(t) => Some(t.trim()).filter(|t| !t.is_empty()).map(Cow::Borrowed),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
            Some(Cow::Owned(format!("{}", *n as i64)))
        }
        Cell::Number(n) => Some(Cow::Owned(n.to_string())),
        Cell::Date(d) => Some(Cow::Owned(d.to_string())),
        Cell::Bool(b) => Some(Cow::Owned(b.to_string())),
        Cell::Error(e) => return Err(e.clone()),
    })
}

/// An org number cell as what is checked: its digits as written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum OrgValue<'a> {
    /// A number cell without a fraction, read as the digits it prints as.
    Integer(i64),
    Text(&'a str),
}

/// Org numbers often come as number cells (`974760673`), sometimes as text with spaces.
pub(super) fn org_value(c: &Cell) -> Option<OrgValue<'_>> {
    match c {
        Cell::Number(n) if n.fract() == 0.0 && *n >= 0.0 && *n < 1e10 => {
            Some(OrgValue::Integer(*n as i64))
        }
        Cell::Text(t) => Some(OrgValue::Text(t)),
        _ => None,
    }
}

/// Hours in hundredths: a number cell, or text with a decimal comma or point.
pub fn parse_hours(c: &Cell) -> Result<i64, (&'static str, String)> {
    let bad = |what: String| ("INVALID_HOURS", format!("{what} is not a number of hours"));
    match c {
        Cell::Number(n) if n.is_finite() => Ok((n * 100.0).round() as i64),
        Cell::Text(t) => {
            let cleaned: String = t
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
                .map(|c| if c == ',' { '.' } else { c })
                .collect();
            let d: Decimal = cleaned.parse().map_err(|_| bad(format!("'{}'", clip(t))))?;
            // `*` panics past Decimal's 28 digits, which a cell of text can hold.
            d.checked_mul(Decimal::ONE_HUNDRED)
                .and_then(|h| h.round().to_i64())
                .ok_or_else(|| bad(format!("'{}'", clip(t))))
        }
        Cell::Error(e) => Err((
            "FORMULA_ERROR",
            format!("the hours cell holds the error {e}"),
        )),
        other => Err(bad(show(other))),
    }
}

const EARLIEST: (i32, u32, u32) = (1990, 1, 1);
const LATEST_YEAR: i32 = 2100;

fn plausible(d: NaiveDate) -> Result<NaiveDate, String> {
    let earliest =
        NaiveDate::from_ymd_opt(EARLIEST.0, EARLIEST.1, EARLIEST.2).unwrap_or(NaiveDate::MIN);
    if d < earliest || d.year() > LATEST_YEAR {
        return Err(format!("{d} is outside {}-{LATEST_YEAR}", EARLIEST.0));
    }
    Ok(d)
}

/// An Excel day serial number (the 1900 date system) as a date, by calamine's conversion.
fn excel_serial(n: f64) -> Option<NaiveDate> {
    if !(1.0..3_000_000.0).contains(&n) {
        return None;
    }
    let days = n.trunc();
    // calamine counts Excel's 29 February 1900, which never was, so below serial 60 its date
    // is a day later than 1899-12-30 plus the serial, the date this reader has always named
    // (in the message that such a date is implausible): ask it for the day before.
    let serial = if days < 60.0 { days - 1.0 } else { days };
    ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, false)
        .as_datetime()
        .map(|dt| dt.date())
}

/// A date cell, an Excel serial number, `dd.mm.yyyy`, or `yyyy-mm-dd`.
pub fn parse_date(c: &Cell) -> Result<NaiveDate, String> {
    match c {
        Cell::Date(d) => plausible(*d),
        Cell::Number(n) => excel_serial(*n)
            .ok_or_else(|| format!("{n} is not a date"))
            .and_then(plausible),
        Cell::Text(t) => {
            let t = t.trim();
            let iso = t.get(..10).unwrap_or(t);
            NaiveDate::parse_from_str(t, "%d.%m.%Y")
                .or_else(|_| NaiveDate::parse_from_str(iso, "%Y-%m-%d"))
                .map_err(|_| {
                    format!(
                        "'{}' is not a date: write dd.mm.yyyy or yyyy-mm-dd",
                        clip(t)
                    )
                })
                .and_then(plausible)
        }
        Cell::Error(e) => Err(format!("the date cell holds the error {e}")),
        other => Err(format!("{} is not a date", show(other))),
    }
}

/// `yyyy-mm`, `mm.yyyy`, or a date (its month); returns the first day of the month.
pub fn parse_period(c: &Cell) -> Result<NaiveDate, String> {
    let first = |d: NaiveDate| d.with_day(1).unwrap_or(d);
    if let Cell::Text(t) = c {
        let t = t.trim();
        let month = |y: &str, m: &str| -> Option<NaiveDate> {
            NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
        };
        let found = match (t.split_once('-'), t.split_once('.')) {
            (Some((y, m)), _) if y.len() == 4 && m.len() <= 2 => month(y, m),
            (_, Some((m, y))) if y.len() == 4 && m.len() <= 2 => month(y, m),
            _ => None,
        };
        if let Some(d) = found {
            return plausible(d);
        }
    }
    parse_date(c)
        .map(first)
        .map_err(|_| format!("{} is not a period: write yyyy-mm or mm.yyyy", show(c)))
}

/// The last day of `d`'s month: where hours given for a month end.
pub(super) fn last_of_month(d: NaiveDate) -> NaiveDate {
    let next = if d.month() == 12 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).unwrap_or(d)
}

#[cfg(test)]
#[path = "cells_tests.rs"]
mod tests;
