//! Cells as hours, dates, periods and categories; Excel serial numbers as they always were.

use chrono::Days;

use super::*;

fn t(s: &str) -> Cell {
    Cell::Text(s.into())
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
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
fn categories_ignore_hyphens_and_take_lærekandidat_as_apprentice() {
    assert_eq!(category("ikke-faglært"), Some(Category::Unskilled));
    assert_eq!(category("Ikke - Faglært"), Some(Category::Unskilled));
    assert_eq!(category("ikke\u{2010}faglært"), Some(Category::Unskilled));
    assert_eq!(category("u-faglært"), Some(Category::Unskilled));
    assert_eq!(category("Lærekandidat"), Some(Category::Apprentice));
    assert_eq!(category("laerekandidat"), Some(Category::Apprentice));
    assert_eq!(category("Fag-arbeider"), Some(Category::Skilled));
    assert_eq!(category("-"), None);
    assert_eq!(category("lærekandidater"), None);
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
fn hours_in_messages_drop_trailing_zeros() {
    assert_eq!(show_hours(750), "7.5");
    assert_eq!(show_hours(3000), "30");
    assert_eq!(show_hours(74_401), "744.01");
    assert_eq!(show_hours(-100), "-1");
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

/// Day 0 and on, as this reader counted before it used calamine's conversion.
fn by_hand(n: f64) -> Option<NaiveDate> {
    if !(1.0..3_000_000.0).contains(&n) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(n.trunc() as u64))
}

/// Around Excel's 29 February 1900, fractions of a day, and the ends of the range: the same
/// dates as counted by hand, and so the same messages.
#[test]
fn serial_numbers_are_the_dates_they_always_were() {
    let mut serials: Vec<f64> = (-2..200).map(f64::from).collect();
    serials.extend([
        0.5, 0.999, 1.0, 59.5, 59.999_999, 60.0, 60.5, 61.0, 45_658.75,
    ]);
    serials.extend([46_083.999_999_999, 2_999_999.0, 2_999_999.9, 3_000_000.0]);
    serials.extend((0..3_000).map(|i| f64::from(i) * 997.3));
    serials.extend([f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0]);
    for n in serials {
        assert_eq!(excel_serial(n), by_hand(n), "{n}");
    }
    assert_eq!(excel_serial(1.0), Some(d("1899-12-31")));
    assert_eq!(excel_serial(60.0), Some(d("1900-02-28")));
    assert_eq!(excel_serial(61.0), Some(d("1900-03-01")));
    assert_eq!(
        parse_date(&Cell::Number(59.0)),
        Err("1900-02-27 is outside 1990-2100".into())
    );
}
