//! Gathers the goal table's figures: the workforce shares of each year and the share of
//! tenders with climate-neutral transport required, for the municipality or one agency.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use super::score::{IndicatorId, YearValue, year_value};
use crate::{
    agencies::service as agencies,
    domain::text::search_key,
    error::AppError,
    hmsreg::{
        query::{self, Grouping, HourFilter},
        shares::ShareSettings,
    },
    tenders::{stats, stats_source},
};

/// The years a goal table may be asked for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// One indicator: the asked year's figure and the two years before, oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Indicator {
    pub id: IndicatorId,
    pub target: f64,
    pub value: YearValue,
    pub history: Vec<YearValue>,
}

fn first_day(year: i32) -> Result<NaiveDate, AppError> {
    NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| AppError::bad_input("year", "no such year"))
}

fn last_day(year: i32) -> Result<NaiveDate, AppError> {
    NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| AppError::bad_input("year", "no such year"))
}

/// The goal table for `year` (and the two years before), of one agency when given.
pub async fn scorecard(
    conn: &impl ConnectionTrait,
    settings: &ShareSettings,
    year: i32,
    agency: Option<&str>,
) -> Result<Vec<Indicator>, AppError> {
    if !YEARS.contains(&year) {
        return Err(AppError::bad_input(
            "year",
            format!("year must be between {} and {}", YEARS.start(), YEARS.end()),
        ));
    }
    // An agency must be one of the register's: a typo is told, not answered with no data.
    let agency = match agency {
        Some(text) => Some(agencies::find(conn, "agency", text).await?.name),
        None => None,
    };
    let years = [year - 2, year - 1, year];
    let (from, to) = (first_day(years[0])?, last_day(year)?);

    let hours = HourFilter {
        from_month: Some(crate::domain::month::of(from)),
        to_month: Some(crate::domain::month::of(to)),
        agency: agency.as_deref().map(search_key),
        ..Default::default()
    };
    let by_year: HashMap<String, (Option<f64>, Option<f64>)> =
        query::shares(conn, &hours, Grouping::Year, settings)
            .await?
            .into_iter()
            .map(|s| (s.key, (s.skilled_share, s.apprentice_share)))
            .collect();
    // As the tenders' checks were recorded: editing the rule file never rewrites the table.
    let recorded = stats_source::load(conn, agency.as_deref(), from, to).await?;
    let mut transport = HashMap::new();
    for y in years {
        let figures = stats::over_period(&recorded.tenders, first_day(y)?, last_day(y)?);
        transport.insert(y, figures.transport_share());
    }

    Ok(IndicatorId::ALL
        .into_iter()
        .map(|id| {
            let target = match id {
                IndicatorId::SkilledShare => settings.skilled_target,
                IndicatorId::ApprenticeShare => settings.apprentice_target,
                IndicatorId::ClimateTransport => 100.0,
            };
            let actual = |y: i32| match id {
                IndicatorId::SkilledShare => by_year.get(&y.to_string()).and_then(|s| s.0),
                IndicatorId::ApprenticeShare => by_year.get(&y.to_string()).and_then(|s| s.1),
                IndicatorId::ClimateTransport => transport.get(&y).copied().flatten(),
            };
            let mut values: Vec<YearValue> = years
                .iter()
                .map(|y| year_value(*y, actual(*y), target))
                .collect();
            let value = values.pop().unwrap_or(year_value(year, None, target));
            Indicator {
                id,
                target,
                value,
                history: values,
            }
        })
        .collect())
}
