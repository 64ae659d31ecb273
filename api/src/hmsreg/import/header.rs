//! The header row: which column holds which field, by the spellings HMSREG exports use.
//!
//! Also what a header without some of the columns means for the rows below it.

use std::collections::HashMap;

use super::{NO_AGENCY, cells::Cell, issue::Severity};
use crate::validate::collapse_spaces;

/// Header rows are looked for in the first this many rows of a sheet.
pub(super) const HEADER_SEARCH_ROWS: u32 = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Field {
    Date,
    Period,
    OrgNumber,
    Company,
    Agency,
    Contract,
    Worker,
    Category,
    Trade,
    Hours,
}

/// Header text as compared: lower case, `.`, `-` and `_` dropped, spaces collapsed.
pub(super) fn header_key(text: &str) -> String {
    let dropped: String = text
        .chars()
        .filter(|c| !matches!(c, '.' | '-' | '_'))
        .collect();
    collapse_spaces(&dropped).to_lowercase()
}

pub(super) fn field_for(header: &str) -> Option<Field> {
    Some(match header_key(header).as_str() {
        "dato" | "date" | "arbeidsdato" | "registreringsdato" => Field::Date,
        "periode" | "måned" | "maned" | "month" => Field::Period,
        "orgnr"
        | "org nr"
        | "organisasjonsnummer"
        | "arbeidsgiver orgnr"
        | "firma orgnr"
        | "organisation number" => Field::OrgNumber,
        "firma" | "firmanavn" | "arbeidsgiver" | "bedrift" | "company" => Field::Company,
        "oppdragsgiver" | "byggherre" | "virksomhet" | "client" => Field::Agency,
        "kontrakt" | "kontraktsnr" | "prosjekt" | "prosjektnr" | "prosjektnummer"
        | "byggeplass" | "contract" | "project" => Field::Contract,
        "hmskort" | "hmskortnr" | "kortnr" | "kortnummer" | "ansattnr" | "personid" | "worker"
        | "worker id" => Field::Worker,
        "kategori" | "stillingskategori" | "kompetanse" | "category" => Field::Category,
        "faggruppe" | "fag" | "yrke" | "trade" => Field::Trade,
        "timer" | "antall timer" | "arbeidstimer" | "hours" => Field::Hours,
        _ => return None,
    })
}

/// Which column holds each field a header names (the first column of that name).
pub(super) struct Columns {
    map: HashMap<Field, usize>,
}

impl Columns {
    pub(super) fn get(&self, f: Field) -> Option<usize> {
        self.map.get(&f).copied()
    }

    fn has(&self, f: Field) -> bool {
        self.map.contains_key(&f)
    }

    /// The row's columns if it is a header: it names an hours and a category column.
    pub(super) fn of_header(cells: &[Cell]) -> Option<Self> {
        let mut map = HashMap::new();
        for (i, cell) in cells.iter().enumerate() {
            if let Cell::Text(t) = cell
                && let Some(f) = field_for(t)
            {
                map.entry(f).or_insert(i);
            }
        }
        let columns = Self { map };
        (columns.has(Field::Hours) && columns.has(Field::Category)).then_some(columns)
    }

    /// What the header lacks: an error when rows cannot be read without it, a warning when
    /// they count under a default.
    pub(super) fn issues(&self) -> Vec<(Severity, &'static str, String)> {
        let mut issues = Vec::new();
        let mut missing = Vec::new();
        if !self.has(Field::OrgNumber) {
            missing.push("org number (Orgnr)");
        }
        if !self.has(Field::Contract) {
            missing.push("contract (Kontrakt, Prosjekt)");
        }
        if !self.has(Field::Date) && !self.has(Field::Period) {
            missing.push("date or period (Dato, Periode)");
        }
        if !missing.is_empty() {
            let message = format!("the header row has no column for: {}", missing.join(", "));
            issues.push((Severity::Error, "MISSING_COLUMN", message));
        }
        if !self.has(Field::Agency) {
            let message = format!(
                "no agency column (Oppdragsgiver): these hours count under agency '{NO_AGENCY}'"
            );
            issues.push((Severity::Warning, "NO_AGENCY_COLUMN", message));
        }
        if !self.has(Field::Worker) {
            let message =
                "no worker column (HMS-kort): apprentices cannot be counted from this sheet"
                    .to_string();
            issues.push((Severity::Warning, "NO_WORKER_COLUMN", message));
        }
        issues
    }
}

#[cfg(test)]
#[path = "header_tests.rs"]
mod tests;
