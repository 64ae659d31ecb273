//! The labour statistics: `labourStats`.

use async_graphql::{Context, Object, SimpleObject};

use super::climate::{int, period_tenders};
use crate::{error::GqlResult, graphql::scalars::Date, tenders::labour_stats};

#[derive(SimpleObject)]
pub struct LabourStats {
    pub from: Date,
    pub to: Date,
    /// As given.
    pub agency: Option<String>,
    /// Tenders announced in [from, to].
    pub tender_count: i32,
    /// Rule labour.apprentices applied (satisfied, missing or exempted, as recorded).
    pub apprentice_applicable: i32,
    /// Tenders with APPRENTICES as a minimum requirement or contract clause, whether or not
    /// the rule applied ("utlysninger med krav til lærlinger").
    pub apprentice_required: i32,
    /// Rule labour.skilled-workers applied, as recorded.
    pub skilled_applicable: i32,
    /// Tenders with SKILLED_WORKERS as a minimum requirement or contract clause.
    pub skilled_required: i32,
    /// Rule labour.hmsreg applied, as recorded.
    pub hmsreg_applicable: i32,
    /// Tenders with HMSREG_REGISTRATION as a minimum requirement or contract clause.
    pub hmsreg_required: i32,
}

#[derive(Default)]
pub struct LabourStatsQueries;

#[Object]
impl LabourStatsQueries {
    /// Labour figures over tenders announced in [from, to], optionally of one agency, as their
    /// checks were recorded.
    async fn labour_stats(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
        agency: Option<String>,
    ) -> GqlResult<LabourStats> {
        let period = period_tenders(ctx, from, to, &agency).await?;
        let f = labour_stats::over_period(&period.tenders, from.0, to.0);
        Ok(LabourStats {
            from,
            to,
            agency,
            tender_count: int(f.tender_count),
            apprentice_applicable: int(f.apprentice_applicable),
            apprentice_required: int(f.apprentice_required),
            skilled_applicable: int(f.skilled_applicable),
            skilled_required: int(f.skilled_required),
            hmsreg_applicable: int(f.hmsreg_applicable),
            hmsreg_required: int(f.hmsreg_required),
        })
    }
}
