//! Agreement status from the dates (docs/rules.md, Portfolio), in Rust and as the same test in SQL.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Condition};

use entity::agreement::Column;

use sea_orm::{DeriveActiveEnum, EnumIter};

/// Where an agreement stands today.
#[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[sea_orm(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AgreementStatus {
    Planned,
    Active,
    Expired,
    Terminated,
}

/// TERMINATED if terminated; else PLANNED before `starts_on`; EXPIRED after `ends_on`; else ACTIVE.
pub fn status(
    terminated: bool,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    today: NaiveDate,
) -> AgreementStatus {
    if terminated {
        AgreementStatus::Terminated
    } else if today < starts_on {
        AgreementStatus::Planned
    } else if today > ends_on {
        AgreementStatus::Expired
    } else {
        AgreementStatus::Active
    }
}

/// The SQL condition selecting agreements with `status` on `today`; must agree with [`status`].
pub fn condition(status: AgreementStatus, today: NaiveDate) -> Condition {
    let live = Condition::all().add(Column::Terminated.eq(false));
    match status {
        AgreementStatus::Terminated => Condition::all().add(Column::Terminated.eq(true)),
        AgreementStatus::Planned => live.add(Column::StartsOn.gt(today)),
        AgreementStatus::Expired => live
            .add(Column::StartsOn.lte(today))
            .add(Column::EndsOn.lt(today)),
        AgreementStatus::Active => live
            .add(Column::StartsOn.lte(today))
            .add(Column::EndsOn.gte(today)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn status_follows_the_dates_on_both_edges() {
        let (start, end) = (d("2025-01-01"), d("2026-12-31"));
        assert_eq!(
            status(false, start, end, d("2024-12-31")),
            AgreementStatus::Planned
        );
        assert_eq!(
            status(false, start, end, d("2025-01-01")),
            AgreementStatus::Active
        );
        assert_eq!(
            status(false, start, end, d("2026-12-31")),
            AgreementStatus::Active
        );
        assert_eq!(
            status(false, start, end, d("2027-01-01")),
            AgreementStatus::Expired
        );
        assert_eq!(
            status(true, start, end, d("2026-01-01")),
            AgreementStatus::Terminated
        );
        assert_eq!(
            status(true, start, end, d("2020-01-01")),
            AgreementStatus::Terminated
        );
    }
}
