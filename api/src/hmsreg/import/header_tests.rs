//! Header spellings, and what a header without some columns means.

use super::*;

fn t(s: &str) -> Cell {
    Cell::Text(s.into())
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
fn a_header_needs_hours_and_category_and_keeps_the_first_column_of_a_name() {
    assert!(Columns::of_header(&[t("Timer"), t("Dato")]).is_none());
    let columns = Columns::of_header(&[t("Kategori"), Cell::Number(1.0), t("Timer"), t("timer")])
        .expect("a header");
    assert_eq!(columns.get(Field::Category), Some(0));
    assert_eq!(columns.get(Field::Hours), Some(2));
    let codes: Vec<&str> = columns.issues().iter().map(|i| i.1).collect();
    assert_eq!(
        codes,
        ["MISSING_COLUMN", "NO_AGENCY_COLUMN", "NO_WORKER_COLUMN"]
    );
}
