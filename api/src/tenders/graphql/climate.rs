//! The climate statistics: `climateStats` and `climateStatsByQuarter`.

use async_graphql::{Context, Object, SimpleObject};
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use crate::{
    auth::{self, Permission},
    error::{AppError, GqlResult},
    graphql::scalars::Date,
    tenders::{
        stats,
        stats_source::{self, PeriodTenders},
    },
    validate,
};

#[derive(SimpleObject)]
pub struct MachineTypeCount {
    pub machine_type: String,
    pub tenders: i32,
}

#[derive(SimpleObject)]
pub struct ClimateStats {
    pub from: Date,
    pub to: Date,
    pub agency: Option<String>,
    /// Tenders announced in [from, to].
    pub tender_count: i32,
    /// Rule transport.zero-emission applies (satisfied, missing or exempted).
    pub transport_applicable: i32,
    pub transport_satisfied: i32,
    pub transport_exempted: i32,
    /// Satisfied / applicable x 100; null when none apply.
    pub transport_share: Option<f64>,
    /// Rule site.fossil-free applies.
    pub site_applicable: i32,
    pub site_satisfied: i32,
    pub site_exempted: i32,
    /// Tenders with ZERO_EMISSION_MACHINES as a minimum requirement or contract clause.
    pub zero_emission_minimum: i32,
    /// Per machine type named in those requirements: most tenders first, then by name.
    pub zero_emission_machine_types: Vec<MachineTypeCount>,
}

pub(super) fn int(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn climate_stats(
    period: &PeriodTenders,
    from: NaiveDate,
    to: NaiveDate,
    agency: Option<String>,
) -> ClimateStats {
    let f = stats::over_period(&period.tenders, from, to);
    ClimateStats {
        from: Date(from),
        to: Date(to),
        agency,
        tender_count: int(f.tender_count),
        transport_applicable: int(f.transport_applicable),
        transport_satisfied: int(f.transport_satisfied),
        transport_exempted: int(f.transport_exempted),
        transport_share: f.transport_share(),
        site_applicable: int(f.site_applicable),
        site_satisfied: int(f.site_satisfied),
        site_exempted: int(f.site_exempted),
        zero_emission_minimum: int(f.zero_emission_minimum),
        zero_emission_machine_types: f
            .machine_types
            .into_iter()
            .map(|(m, n)| MachineTypeCount {
                machine_type: m,
                tenders: int(n),
            })
            .collect(),
    }
}

/// The tenders announced in [from, to] (of one agency, through the register) with their
/// recorded checks, for a viewer allowed to read the statistics.
pub(super) async fn period_tenders(
    ctx: &Context<'_>,
    from: Date,
    to: Date,
    agency: &Option<String>,
) -> GqlResult<PeriodTenders> {
    auth::require(ctx, Permission::ReadClimateStats)?;
    if to < from {
        return Err(AppError::bad_input("to", "to is before from").into());
    }
    let agency = validate::optional_text("agency", agency.as_deref(), 200)?;
    let db = ctx.data_unchecked::<DatabaseConnection>();
    Ok(stats_source::load(db, agency.as_deref(), from.0, to.0).await?)
}

#[derive(Default)]
pub struct ClimateStatsQueries;

#[Object]
impl ClimateStatsQueries {
    /// Climate figures over tenders announced in [from, to], optionally of one agency, as
    /// their checks were recorded (editing the rule file does not change them).
    async fn climate_stats(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
        agency: Option<String>,
    ) -> GqlResult<ClimateStats> {
        let tenders = period_tenders(ctx, from, to, &agency).await?;
        Ok(climate_stats(&tenders, from.0, to.0, agency))
    }

    /// The same figures per calendar quarter of [from, to] (the first and last cut to the period).
    async fn climate_stats_by_quarter(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
        agency: Option<String>,
    ) -> GqlResult<Vec<ClimateStats>> {
        let tenders = period_tenders(ctx, from, to, &agency).await?;
        let mut out = Vec::new();
        for (start, end) in stats::quarters(from.0, to.0) {
            out.push(climate_stats(&tenders, start, end, agency.clone()));
        }
        Ok(out)
    }
}
