//! Tests of service.
use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn dates_are_checked_in_order_and_name_the_field() {
    assert!(check_dates(d("2025-01-01"), d("2025-01-01"), d("2025-01-01")).is_ok());
    let e = check_dates(d("2025-01-02"), d("2025-01-01"), d("2026-01-01")).unwrap_err();
    assert!(matches!(e, AppError::BadInput { ref field, .. } if field == "endsOn"));
    let e = check_dates(d("2025-01-01"), d("2026-01-01"), d("2025-12-31")).unwrap_err();
    assert!(matches!(e, AppError::BadInput { ref field, .. } if field == "maxEndsOn"));
}
