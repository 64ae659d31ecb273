//! Turns spreadsheet rows into hour facts (docs/rules.md, HMSREG import): finds the header row,
//! maps columns by name, checks every value, and adds valid rows up at the month grain.
//! No I/O: the reader feeds it rows; tests feed it rows directly.

use std::{
    borrow::Cow,
    collections::{HashMap, HashSet},
};

use chrono::{Datelike, Days, NaiveDate};
use hmac::{Hmac, Mac};
use rust_decimal::{Decimal, prelude::ToPrimitive};
use sha2::Sha256;

use crate::{domain::orgnr, validate::collapse_spaces};

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
    fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

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
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    Skilled,
    Apprentice,
    Unskilled,
    Administrative,
}

/// The supplier sets each worker's category; these are the spellings seen in exports.
pub fn category(text: &str) -> Option<Category> {
    let t = collapse_spaces(text).to_lowercase();
    Some(match t.as_str() {
        "faglært" | "fagarbeider" | "fagbrev" | "svennebrev" | "skilled" => Category::Skilled,
        "lærling" | "laerling" | "apprentice" => Category::Apprentice,
        "ufaglært" | "ufaglaert" | "ikke faglært" | "unskilled" => Category::Unskilled,
        "administrativ" | "administrasjon" | "admin" | "funksjonær" | "administrative" => {
            Category::Administrative
        }
        _ => return None,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Field {
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
fn header_key(text: &str) -> String {
    let dropped: String = text
        .chars()
        .filter(|c| !matches!(c, '.' | '-' | '_'))
        .collect();
    collapse_spaces(&dropped).to_lowercase()
}

fn field_for(header: &str) -> Option<Field> {
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

pub use crate::domain::agency::NO_AGENCY;
/// The trade key for hours without a trade.
pub const NO_TRADE: &str = "(none)";
/// Header rows are looked for in the first this many rows of a sheet.
const HEADER_SEARCH_ROWS: u32 = 30;
const MAX_TEXT: usize = 1000;
pub const MAX_ISSUES: usize = 1000;
const MAX_HOURS_PER_DAY: i64 = 2_400;
// Hundredths: 24 and 744 hours (31 days of 24 hours).
const MAX_HOURS_PER_MONTH: i64 = 74_400;

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
    fn add(&mut self, category: Category, hundredths: i64) {
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
    pub row_count: u64,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub issues: Vec<Issue>,
    pub issues_left_out: usize,
    pub has_errors: bool,
    pub sheets_with_header: usize,
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
}

struct Columns {
    map: HashMap<Field, usize>,
}

impl Columns {
    fn get(&self, f: Field) -> Option<usize> {
        self.map.get(&f).copied()
    }
}

/// Reads rows sheet by sheet; call [`Parser::start_sheet`], [`Parser::row`] for each row in
/// order, then [`Parser::finish`].
pub struct Parser {
    worker_key: Vec<u8>,
    out: Parsed,
    sheet: String,
    columns: Option<Columns>,
    /// Raw cell text -> (key, first spelling), so a million rows naming ten contracts normalise
    /// each name once.
    names: HashMap<String, (String, String)>,
    /// Per distinct cell text: its category, its org number, its worker hash. Exports repeat
    /// the same few values a million times; each is worked out once.
    categories: HashMap<String, Option<Category>>,
    org_numbers: HashMap<String, Result<String, String>>,
    workers: HashMap<String, String>,
}

impl Parser {
    pub fn new(worker_key: &[u8]) -> Self {
        Self {
            worker_key: worker_key.to_vec(),
            out: Parsed::default(),
            sheet: String::new(),
            columns: None,
            names: HashMap::new(),
            categories: HashMap::new(),
            org_numbers: HashMap::new(),
            workers: HashMap::new(),
        }
    }

    pub fn start_sheet(&mut self, name: &str) {
        self.sheet = name.to_string();
        self.columns = None;
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

    /// An issue the reader found in this sheet (limits, unreadable cells).
    pub fn reader_issue(
        &mut self,
        code: &str,
        message: String,
        row: Option<u32>,
        column: Option<u32>,
    ) {
        self.issue(
            Severity::Error,
            code,
            message,
            row,
            column.map(|c| c as usize),
        );
    }

    pub fn has_header(&self) -> bool {
        self.columns.is_some()
    }

    /// Whether the sheet can still get a header: readers stop reading a headerless sheet early.
    pub fn wants_more(&self, row: u32) -> bool {
        self.columns.is_some() || row <= HEADER_SEARCH_ROWS
    }

    pub fn end_sheet(&mut self) {
        if self.columns.is_none() {
            let message = format!(
                "no header row in the first {HEADER_SEARCH_ROWS} rows (looked for hours and category columns): sheet skipped"
            );
            self.issue(Severity::Warning, "NO_HEADER", message, None, None);
        }
    }

    /// `row` is 1-based; `cells[i]` is column `i`.
    pub fn row(&mut self, row: u32, cells: &[Cell]) {
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
                self.issue(
                    Severity::Warning,
                    "TOTALS_ROW",
                    "a totals row: skipped, never counted".into(),
                    Some(row),
                    None,
                );
                return;
            }
        }
        self.data_row(row, cells);
    }

    fn try_header(&mut self, row: u32, cells: &[Cell]) {
        let mut map = HashMap::new();
        for (i, cell) in cells.iter().enumerate() {
            if let Cell::Text(t) = cell
                && let Some(f) = field_for(t)
            {
                map.entry(f).or_insert(i);
            }
        }
        if !(map.contains_key(&Field::Hours) && map.contains_key(&Field::Category)) {
            return;
        }
        self.out.sheets_with_header += 1;
        let mut missing = Vec::new();
        if !map.contains_key(&Field::OrgNumber) {
            missing.push("org number (Orgnr)");
        }
        if !map.contains_key(&Field::Contract) {
            missing.push("contract (Kontrakt, Prosjekt)");
        }
        if !map.contains_key(&Field::Date) && !map.contains_key(&Field::Period) {
            missing.push("date or period (Dato, Periode)");
        }
        if !missing.is_empty() {
            let message = format!("the header row has no column for: {}", missing.join(", "));
            self.issue(Severity::Error, "MISSING_COLUMN", message, Some(row), None);
        }
        if !map.contains_key(&Field::Agency) {
            let message = format!(
                "no agency column (Oppdragsgiver): these hours count under agency '{NO_AGENCY}'"
            );
            self.issue(
                Severity::Warning,
                "NO_AGENCY_COLUMN",
                message,
                Some(row),
                None,
            );
        }
        if !map.contains_key(&Field::Worker) {
            let message =
                "no worker column (HMS-kort): apprentices cannot be counted from this sheet"
                    .to_string();
            self.issue(
                Severity::Warning,
                "NO_WORKER_COLUMN",
                message,
                Some(row),
                None,
            );
        }
        self.columns = Some(Columns { map });
    }

    fn data_row(&mut self, row: u32, cells: &[Cell]) {
        let Some(columns) = self.columns.as_ref() else {
            return;
        };
        let col = |f: Field| columns.get(f);
        let (c_hours, c_cat, c_org, c_contract) = (
            col(Field::Hours),
            col(Field::Category),
            col(Field::OrgNumber),
            col(Field::Contract),
        );
        let (c_date, c_period, c_agency, c_worker, c_trade) = (
            col(Field::Date),
            col(Field::Period),
            col(Field::Agency),
            col(Field::Worker),
            col(Field::Trade),
        );
        let cell = |c: Option<usize>| c.and_then(|i| cells.get(i)).unwrap_or(&Cell::Empty);
        let mut errors: Vec<(&'static str, String, Option<usize>)> = Vec::new();

        for (i, c) in cells.iter().enumerate() {
            // Bytes bound characters from above: count characters only for long text.
            if let Cell::Text(t) = c
                && t.len() > MAX_TEXT
                && t.chars().count() > MAX_TEXT
            {
                errors.push((
                    "TEXT_TOO_LONG",
                    format!("the cell holds more than {MAX_TEXT} characters"),
                    Some(i),
                ));
            }
        }

        let hours = match cell(c_hours) {
            Cell::Empty => Err(("MISSING_VALUE", "no hours".to_string())),
            c => parse_hours(c),
        };
        let hours = match hours {
            Ok(0) => return,
            Ok(h) if h < 0 => {
                errors.push((
                    "NEGATIVE_HOURS",
                    format!("negative hours ({})", show_hours(h)),
                    c_hours,
                ));
                None
            }
            Ok(h) => Some(h),
            Err((code, message)) => {
                errors.push((code, message, c_hours));
                None
            }
        };

        let category = match cell(c_cat) {
            Cell::Text(t) if !t.trim().is_empty() => {
                match cached(&mut self.categories, t, category) {
                    Some(c) => Some(c),
                    None => {
                        errors.push(("UNKNOWN_CATEGORY", format!("'{}' is not a category: use faglært, lærling, ufaglært or administrativ", clip(t)), c_cat));
                        None
                    }
                }
            }
            Cell::Error(e) => {
                errors.push((
                    "FORMULA_ERROR",
                    format!("the category cell holds the error {e}"),
                    c_cat,
                ));
                None
            }
            Cell::Empty | Cell::Text(_) => {
                errors.push(("MISSING_VALUE", "no category".into(), c_cat));
                None
            }
            other => {
                errors.push((
                    "UNKNOWN_CATEGORY",
                    format!("{} is not a category", show(other)),
                    c_cat,
                ));
                None
            }
        };

        let org = match cell(c_org) {
            Cell::Empty => {
                errors.push(("MISSING_VALUE", "no organisation number".into(), c_org));
                None
            }
            Cell::Error(e) => {
                errors.push((
                    "FORMULA_ERROR",
                    format!("the org number cell holds the error {e}"),
                    c_org,
                ));
                None
            }
            c => match org_text(c).map(|t| {
                cached(&mut self.org_numbers, &t, |t| {
                    orgnr::normalize(t).map_err(|e| e.to_string())
                })
            }) {
                Some(Ok(n)) => Some(n),
                Some(Err(e)) => {
                    errors.push(("INVALID_ORG_NUMBER", e, c_org));
                    None
                }
                None => {
                    errors.push((
                        "INVALID_ORG_NUMBER",
                        format!("{} is not an organisation number", show(c)),
                        c_org,
                    ));
                    None
                }
            },
        };

        let contract = match text_value(cell(c_contract)) {
            Ok(Some(t)) => Some(t),
            Ok(None) => {
                errors.push(("MISSING_VALUE", "no contract or project".into(), c_contract));
                None
            }
            Err(e) => {
                errors.push((
                    "FORMULA_ERROR",
                    format!("the contract cell holds the error {e}"),
                    c_contract,
                ));
                None
            }
        };

        // A date where there is one; else the period; a row needs one of them.
        let when = match (cell(c_date), c_period.map(|_| cell(c_period))) {
            (d, _) if !d.is_empty() => match parse_date(d) {
                Ok(date) => Some((date, true)),
                Err(m) => {
                    errors.push(("INVALID_DATE", m, c_date));
                    None
                }
            },
            (_, Some(p)) if !p.is_empty() => match parse_period(p) {
                Ok(first) => Some((first, false)),
                Err(m) => {
                    errors.push(("INVALID_PERIOD", m, c_period));
                    None
                }
            },
            _ => {
                errors.push((
                    "MISSING_VALUE",
                    "no date or period".into(),
                    c_date.or(c_period),
                ));
                None
            }
        };

        if let (Some(h), Some((_, by_day))) = (hours, when) {
            if by_day && h > MAX_HOURS_PER_DAY {
                errors.push((
                    "TOO_MANY_HOURS",
                    format!("{} hours on one day: at most 24", show_hours(h)),
                    c_hours,
                ));
            } else if !by_day && h > MAX_HOURS_PER_MONTH {
                errors.push((
                    "TOO_MANY_HOURS",
                    format!("{} hours in one month: at most 744", show_hours(h)),
                    c_hours,
                ));
            }
        }

        let agency = match c_agency.map(|_| text_value(cell(c_agency))) {
            Some(Err(e)) => {
                errors.push((
                    "FORMULA_ERROR",
                    format!("the agency cell holds the error {e}"),
                    c_agency,
                ));
                None
            }
            Some(Ok(Some(a))) => Some(a),
            _ => None,
        };
        let trade = match c_trade.map(|_| text_value(cell(c_trade))) {
            Some(Err(e)) => {
                errors.push((
                    "FORMULA_ERROR",
                    format!("the trade cell holds the error {e}"),
                    c_trade,
                ));
                None
            }
            Some(Ok(Some(t))) => Some(t),
            _ => None,
        };
        let worker = match c_worker.map(|_| text_value(cell(c_worker))) {
            Some(Err(e)) => {
                errors.push((
                    "FORMULA_ERROR",
                    format!("the worker cell holds the error {e}"),
                    c_worker,
                ));
                None
            }
            Some(Ok(Some(w))) => Some(w),
            _ => None,
        };

        if !errors.is_empty() {
            for (code, message, column) in errors {
                self.issue(Severity::Error, code, message, Some(row), column);
            }
            return;
        }
        let (Some(hours), Some(category), Some(org), Some(contract), Some((date, by_day))) =
            (hours, category, org, contract, when)
        else {
            return;
        };
        let month = crate::domain::month::of(date);
        let key = FactKey {
            month,
            agency: agency.map_or_else(
                || NO_AGENCY.to_string(),
                |a| self.name(LabelKind::Agency, &a),
            ),
            org_number: org,
            contract: self.name(LabelKind::Contract, &contract),
            trade: trade.map_or_else(|| NO_TRADE.to_string(), |t| self.name(LabelKind::Trade, &t)),
        };
        let (first, last) = if by_day {
            (date, date)
        } else {
            (date, last_of_month(date))
        };
        self.out.period_from = Some(self.out.period_from.map_or(first, |p| p.min(first)));
        self.out.period_to = Some(self.out.period_to.map_or(last, |p| p.max(last)));
        self.out.row_count += 1;
        if category == Category::Apprentice
            && let Some(w) = worker
        {
            let worker_key = &self.worker_key;
            let hash = cached(&mut self.workers, &w, |w| worker_hash(worker_key, w));
            self.out.apprentices.insert((key.clone(), hash));
        }
        self.out.facts.entry(key).or_default().add(category, hours);
    }

    /// The key of a name (trimmed, collapsed, lower case), remembering its first spelling.
    fn name(&mut self, kind: LabelKind, raw: &str) -> String {
        if let Some((key, _)) = self.names.get(raw) {
            return key.clone();
        }
        let label = collapse_spaces(raw);
        let key = label.to_lowercase();
        self.out
            .labels
            .entry((kind, key.clone()))
            .or_insert_with(|| label.clone());
        self.names.insert(raw.to_string(), (key.clone(), label));
        key
    }

    pub fn finish(mut self) -> Parsed {
        if self.out.issues_left_out > 0 {
            let n = self.out.issues_left_out;
            self.out.issues.push(Issue::file(
                Severity::Error,
                "TOO_MANY_ISSUES",
                format!("{n} more issues were found and are not listed"),
            ));
        }
        self.out
    }
}

/// `f(text)`, worked out once per distinct `text`.
fn cached<T: Clone>(cache: &mut HashMap<String, T>, text: &str, f: impl FnOnce(&str) -> T) -> T {
    if let Some(v) = cache.get(text) {
        return v.clone();
    }
    let v = f(text);
    cache.insert(text.to_string(), v.clone());
    v
}

/// Keyed hash of a worker id (HMS card number): counts distinct apprentices without keeping
/// who they are. Spaces and case are ignored so one card is one worker.
pub fn worker_hash(key: &[u8], worker: &str) -> String {
    let normal: String = worker
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(m) => m,
        // HMAC takes keys of any length; this branch cannot be taken.
        Err(_) => return String::new(),
    };
    mac.update(normal.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

fn clip(t: &str) -> String {
    t.chars().take(40).collect()
}

fn show(c: &Cell) -> String {
    match c {
        Cell::Empty => "an empty cell".into(),
        Cell::Text(t) => format!("'{}'", clip(t)),
        Cell::Number(n) => format!("{n}"),
        Cell::Date(d) => d.to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Error(e) => e.clone(),
    }
}

fn show_hours(h: i64) -> String {
    Decimal::new(h, 2).normalize().to_string()
}

/// A cell as text, for names and ids: numbers without a fractional part print as integers.
/// Text is borrowed: a million rows naming the same contract need not copy it a million times.
fn text_value(c: &Cell) -> Result<Option<Cow<'_, str>>, String> {
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

/// Org numbers often come as number cells (`974760673`), sometimes as text with spaces.
fn org_text(c: &Cell) -> Option<String> {
    match c {
        Cell::Number(n) if n.fract() == 0.0 && *n >= 0.0 && *n < 1e10 => {
            Some(format!("{}", *n as i64))
        }
        Cell::Text(t) => Some(t.clone()),
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

/// Excel's day 0 in the 1900 date system as it counts (it takes 1900 for a leap year).
fn excel_serial(n: f64) -> Option<NaiveDate> {
    if !(1.0..3_000_000.0).contains(&n) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(n.trunc() as u64))
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

fn last_of_month(d: NaiveDate) -> NaiveDate {
    let next = if d.month() == 12 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const HEADER: [&str; 8] = [
        "Dato",
        "Orgnr",
        "Oppdragsgiver",
        "Prosjekt",
        "HMS-kort",
        "Kategori",
        "Faggruppe",
        "Timer",
    ];

    fn parse(rows: Vec<Vec<Cell>>) -> Parsed {
        let mut p = Parser::new(b"test-key");
        p.start_sheet("Timer");
        for (i, r) in rows.iter().enumerate() {
            p.row(i as u32 + 1, r);
        }
        p.end_sheet();
        p.finish()
    }

    fn header() -> Vec<Cell> {
        HEADER.iter().map(|h| t(h)).collect()
    }

    fn row(
        date: &str,
        org: Cell,
        contract: &str,
        worker: &str,
        cat: &str,
        hours: Cell,
    ) -> Vec<Cell> {
        vec![
            t(date),
            org,
            t("Oslobygg KF"),
            t(contract),
            t(worker),
            t(cat),
            t("Tømrer"),
            hours,
        ]
    }

    #[test]
    fn letters_count_like_a_spreadsheet() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn header_spellings_match_loosely() {
        assert_eq!(field_for("  Antall  timer "), Some(Field::Hours));
        assert_eq!(field_for("HMS-kortnr."), Some(Field::Worker));
        assert_eq!(field_for("Org. nr"), Some(Field::OrgNumber));
        assert_eq!(field_for("Org.nr"), Some(Field::OrgNumber));
        assert_eq!(field_for("Person_ID"), Some(Field::Worker));
        assert_eq!(field_for("MÅNED"), Some(Field::Period));
        assert_eq!(field_for("Navn"), None);
        assert_eq!(field_for("Fødselsdato"), None);
    }

    #[test]
    fn categories_map_case_insensitively() {
        assert_eq!(category("Faglært"), Some(Category::Skilled));
        assert_eq!(category("SVENNEBREV"), Some(Category::Skilled));
        assert_eq!(category("laerling"), Some(Category::Apprentice));
        assert_eq!(category("Ikke  faglært"), Some(Category::Unskilled));
        assert_eq!(category("Funksjonær"), Some(Category::Administrative));
        assert_eq!(category("sjef"), None);
    }

    #[test]
    fn hours_are_exact_hundredths() {
        assert_eq!(parse_hours(&t("7,5")), Ok(750));
        assert_eq!(parse_hours(&t(" 1 234,25 ")), Ok(123425));
        assert_eq!(parse_hours(&t("7.25")), Ok(725));
        assert_eq!(parse_hours(&Cell::Number(7.5)), Ok(750));
        // 0.1 + 0.2 in floating point is 0.30000000000000004: rounding to hundredths fixes it.
        assert_eq!(parse_hours(&Cell::Number(0.1 + 0.2)), Ok(30));
        assert!(parse_hours(&t("sju")).is_err());
        assert!(parse_hours(&t("79228162514264337593543950335")).is_err());
        assert_eq!(
            parse_hours(&Cell::Error("#DIV/0!".into())).unwrap_err().0,
            "FORMULA_ERROR"
        );
    }

    #[test]
    fn dates_and_periods_in_every_form() {
        assert_eq!(parse_date(&t("02.03.2026")), Ok(d("2026-03-02")));
        assert_eq!(parse_date(&t("2026-03-02")), Ok(d("2026-03-02")));
        assert_eq!(parse_date(&t("2026-03-02T00:00:00")), Ok(d("2026-03-02")));
        // Excel serial 46083 = 2026-03-02 (45658 is 2025-01-01; + 425 days).
        assert_eq!(parse_date(&Cell::Number(46083.0)), Ok(d("2026-03-02")));
        assert!(parse_date(&t("31.02.2026")).is_err());
        assert!(parse_date(&t("i går")).is_err());
        assert_eq!(parse_period(&t("2026-03")), Ok(d("2026-03-01")));
        assert_eq!(parse_period(&t("03.2026")), Ok(d("2026-03-01")));
        assert_eq!(parse_period(&t("15.03.2026")), Ok(d("2026-03-01")));
        assert_eq!(
            parse_period(&Cell::Date(d("2026-03-15"))),
            Ok(d("2026-03-01"))
        );
        assert!(parse_period(&t("2026-13")).is_err());
    }

    #[test]
    fn the_header_is_found_below_title_rows_and_values_add_up() {
        let p = parse(vec![
            vec![t("Mannskapsliste - eksport fra HMSREG")],
            vec![],
            header(),
            row(
                "02.03.2026",
                Cell::Number(974760673.0),
                "P-1",
                "HMS 1",
                "Faglært",
                t("7,5"),
            ),
            row(
                "03.03.2026",
                t("974 760 673"),
                "p-1 ",
                "HMS 2",
                "Lærling",
                t("7,5"),
            ),
            row(
                "03.03.2026",
                t("974760673"),
                "P-1",
                "hms2",
                "lærling",
                t("2"),
            ),
            row(
                "04.03.2026",
                t("974760673"),
                "P-1",
                "HMS 3",
                "ufaglært",
                Cell::Number(5.0),
            ),
            row(
                "05.03.2026",
                t("974760673"),
                "P-1",
                "HMS 4",
                "admin",
                t("0"),
            ),
            vec![
                t("Sum"),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                t("22"),
            ],
        ]);
        assert!(!p.has_errors, "{:?}", p.issues);
        assert_eq!(p.row_count, 4, "the zero-hour row is skipped");
        let key = FactKey {
            month: 202603,
            agency: "oslobygg kf".into(),
            org_number: "974760673".into(),
            contract: "p-1".into(),
            trade: "tømrer".into(),
        };
        assert_eq!(
            p.facts[&key],
            Hours {
                skilled: 750,
                apprentice: 950,
                unskilled: 500,
                administrative: 0
            }
        );
        // "HMS 2" and "hms2" are one card: one apprentice.
        assert_eq!(p.apprentices.len(), 1);
        assert_eq!(p.labels[&(LabelKind::Contract, "p-1".into())], "P-1");
        let codes: Vec<&str> = p.issues.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(codes, ["TOTALS_ROW"]);
        assert_eq!(p.issues[0].row, Some(9));
        assert_eq!(p.period_from, Some(d("2026-03-02")));
        assert_eq!(p.period_to, Some(d("2026-03-04")));
    }

    #[test]
    fn each_bad_value_is_an_error_naming_its_cell() {
        let p = parse(vec![
            header(),
            row("02.03.2026", t("974760674"), "P-1", "1", "Faglært", t("7")),
            row("02.03.2026", t("974760673"), "P-1", "1", "Sjef", t("7")),
            row("02.03.2026", t("974760673"), "P-1", "1", "Faglært", t("-1")),
            row("02.03.2026", t("974760673"), "P-1", "1", "Faglært", t("30")),
            row("2026/03/02", t("974760673"), "P-1", "1", "Faglært", t("7")),
            row("02.03.2026", t("974760673"), "", "1", "Faglært", t("7")),
            row(
                "02.03.2026",
                t("974760673"),
                "P-1",
                "1",
                "Faglært",
                Cell::Error("#REF!".into()),
            ),
        ]);
        assert!(p.has_errors);
        let found: Vec<(&str, u32, &str)> = p
            .issues
            .iter()
            .map(|i| {
                (
                    i.code.as_str(),
                    i.row.unwrap(),
                    i.column.as_deref().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("INVALID_ORG_NUMBER", 2, "B"),
                ("UNKNOWN_CATEGORY", 3, "F"),
                ("NEGATIVE_HOURS", 4, "H"),
                ("TOO_MANY_HOURS", 5, "H"),
                ("INVALID_DATE", 6, "A"),
                ("MISSING_VALUE", 7, "D"),
                ("FORMULA_ERROR", 8, "H"),
            ]
        );
        assert!(p.issues.iter().all(|i| i.sheet.as_deref() == Some("Timer")));
        assert_eq!(p.row_count, 0);
    }

    #[test]
    fn periods_allow_a_month_of_hours_and_missing_columns_warn() {
        let mut p = Parser::new(b"k");
        p.start_sheet("Periode");
        p.row(
            1,
            &[
                t("Periode"),
                t("Orgnr"),
                t("Kontrakt"),
                t("Kategori"),
                t("Timer"),
            ],
        );
        p.row(
            2,
            &[
                t("2026-03"),
                t("974760673"),
                t("K1"),
                t("Faglært"),
                t("744"),
            ],
        );
        p.row(
            3,
            &[
                t("03.2026"),
                t("974760673"),
                t("K1"),
                t("Faglært"),
                t("744,01"),
            ],
        );
        p.end_sheet();
        let p = p.finish();
        let codes: Vec<&str> = p.issues.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(
            codes,
            ["NO_AGENCY_COLUMN", "NO_WORKER_COLUMN", "TOO_MANY_HOURS"]
        );
        assert_eq!(p.period_from, Some(d("2026-03-01")));
        assert_eq!(p.period_to, Some(d("2026-03-31")));
    }

    #[test]
    fn a_sheet_without_header_warns_and_issues_are_capped() {
        let mut p = Parser::new(b"k");
        p.start_sheet("Notater");
        p.row(1, &[t("Hei")]);
        p.end_sheet();
        p.start_sheet("Timer");
        p.row(1, &header());
        for r in 2..1100 {
            p.row(r, &row("02.03.2026", t("1"), "P", "1", "Faglært", t("1")));
        }
        p.end_sheet();
        let p = p.finish();
        assert_eq!(p.issues[0].code, "NO_HEADER");
        assert_eq!(p.issues.len(), MAX_ISSUES + 1);
        assert_eq!(p.issues.last().unwrap().code, "TOO_MANY_ISSUES");
        // 1098 bad rows, 1000 - 1 (the NO_HEADER warning) listed.
        assert!(p.issues.last().unwrap().message.starts_with("99 more"));
    }
}
