//! The parser over whole sheets: header search, totals rows, errors naming cells, the sums.

use chrono::NaiveDate;

use super::{
    super::{FactKey, Hours, MAX_ISSUES},
    *,
};

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

fn row(date: &str, org: Cell, contract: &str, worker: &str, cat: &str, hours: Cell) -> Vec<Cell> {
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

/// Sheet `name`: the header, rows of (agency, contract, trade, category, hours, month) on
/// the 2nd of `month` 2026 for one supplier and worker "HMS 1", then a totals row if asked.
fn sheet(p: &mut Parser, name: &str, rows: &[(&str, &str, &str, &str, &str, u32)], sum: bool) {
    p.start_sheet(name);
    p.row(1, &header());
    for (i, (agency, contract, trade, cat, hours, month)) in rows.iter().enumerate() {
        let date = format!("02.{month:02}.2026");
        let mut r = row(
            &date,
            Cell::Number(974760673.0),
            contract,
            "HMS 1",
            cat,
            t(hours),
        );
        r[2] = t(agency);
        r[6] = t(trade);
        p.row(i as u32 + 2, &r);
    }
    if sum {
        let mut totals = vec![Cell::Empty; 8];
        totals[0] = t("  SUMMER");
        totals[7] = t("12");
        p.row(rows.len() as u32 + 2, &totals);
    }
    p.end_sheet();
}

#[test]
fn sums_keep_months_apart_and_note_where_agencies_and_trades_are_written() {
    let mut p = Parser::new(b"k");
    sheet(
        &mut p,
        "Mars",
        &[
            ("Oslobyg", "P-1", "Tømrer", "Faglært", "7,5", 3),
            ("oslobyg ", "P-1", "Snekker", "Lærling", "2", 3),
            ("Oslobyg", "P-1", "Tømrer", "Lærling", "1", 4),
        ],
        false,
    );
    sheet(
        &mut p,
        "April",
        &[("OSLOBYG", "P-1", "Tømrer", "Faglært", "3", 4)],
        true,
    );
    let p = p.finish();
    let key = |month: u32, trade: &str| FactKey {
        month,
        agency: "oslobyg".into(),
        org_number: "974760673".into(),
        contract: "p-1".into(),
        trade: trade.into(),
    };
    let h = |skilled, apprentice| Hours {
        skilled,
        apprentice,
        ..Hours::default()
    };
    assert_eq!(p.facts.len(), 3);
    assert_eq!(p.facts[&key(202603, "tømrer")], h(750, 0));
    assert_eq!(p.facts[&key(202603, "snekker")], h(0, 200));
    assert_eq!(p.facts[&key(202604, "tømrer")], h(300, 100));
    // One worker, an apprentice in two grains.
    let mut grains: Vec<(u32, &str)> = p
        .apprentices
        .iter()
        .map(|(k, _)| (k.month, k.trade.as_str()))
        .collect();
    grains.sort();
    assert_eq!(grains, [(202603, "snekker"), (202604, "tømrer")]);
    // Four rows write the agency; the rows listed are the first sheet's.
    let rows = &p.agency_rows["oslobyg"];
    assert_eq!(
        (rows.sheet.as_str(), rows.column.as_deref()),
        ("Mars", Some("C"))
    );
    assert_eq!((rows.rows.as_slice(), rows.count), (&[2, 3, 4][..], 4));
    assert_eq!(p.trade_rows["snekker"].row, 3);
    assert_eq!(p.trade_rows["tømrer"].column.as_deref(), Some("G"));
    assert_eq!(p.labels[&(LabelKind::Agency, "oslobyg".into())], "Oslobyg");
    let codes: Vec<(&str, Option<u32>)> =
        p.issues.iter().map(|i| (i.code.as_str(), i.row)).collect();
    assert_eq!(codes, [("TOTALS_ROW", Some(3))]);
}

#[test]
fn totals_rows_are_told_by_their_start_in_any_case() {
    assert!(super::is_totals("Sum"));
    assert!(super::is_totals("  SUMMER"));
    assert!(super::is_totals("Totalt P-1"));
    assert!(!super::is_totals("Su"));
    assert!(!super::is_totals("Subtotal"));
    assert!(!super::is_totals("Å sum"));
}
