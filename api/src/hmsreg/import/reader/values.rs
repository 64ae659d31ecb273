//! calamine's cell values as the parser's [`Cell`]s.

use calamine::{Data, DataRef, ExcelDateTime};

use crate::hmsreg::import::cells::Cell;

fn from_datetime(value: &ExcelDateTime) -> Cell {
    match value.as_datetime() {
        Some(dt) if value.is_datetime() => Cell::Date(dt.date()),
        _ => Cell::Number(value.as_f64()),
    }
}

/// A value of the streaming .xlsx reader.
pub(super) fn from_ref(value: &DataRef<'_>) -> Cell {
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

/// A value of a range (.xls, .ods).
pub(super) fn from_data(value: &Data) -> Cell {
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
