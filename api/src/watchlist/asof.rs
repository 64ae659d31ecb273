//! Whether a watchlist entry is in force on a date (docs/rules.md, Watchlist), in Rust and in SQL.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Condition};

use entity::watchlist_entry::Column;

/// Listed on or before `day`, and not struck off on or before it.
pub fn active_on(listed_on: NaiveDate, removed_on: Option<NaiveDate>, day: NaiveDate) -> bool {
    listed_on <= day && removed_on.is_none_or(|removed| removed > day)
}

/// The SQL condition for entries active on `day`; must agree with [`active_on`].
pub fn active_condition(day: NaiveDate) -> Condition {
    Condition::all().add(Column::ListedOn.lte(day)).add(
        Condition::any()
            .add(Column::RemovedOn.is_null())
            .add(Column::RemovedOn.gt(day)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn listed_march_first_removed_september_fifteenth() {
        let (listed, removed) = (d("2025-03-01"), Some(d("2025-09-15")));
        assert!(!active_on(listed, removed, d("2025-02-28")));
        assert!(active_on(listed, removed, d("2025-03-01")));
        assert!(active_on(listed, removed, d("2025-09-14")));
        assert!(!active_on(listed, removed, d("2025-09-15")));
        assert!(active_on(listed, None, d("2030-01-01")));
    }
}
