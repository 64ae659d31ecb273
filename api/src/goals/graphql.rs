//! `goalScorecard`: the annual report's goal table.

use async_graphql::{Context, Object, SimpleObject};
use sea_orm::DatabaseConnection;

use super::{score::YearValue, service};
use crate::{
    auth::{self, Permission},
    error::GqlResult,
    hmsreg::service::HmsregConfig,
    validate,
};

#[derive(SimpleObject)]
pub struct IndicatorValue {
    pub year: i32,
    /// Percent, unrounded; null without data.
    pub actual: Option<f64>,
    /// Rounded half up to a whole percent, as the report prints it.
    pub rounded: Option<i32>,
    /// rounded - target.
    pub deviation: Option<i32>,
}

impl From<YearValue> for IndicatorValue {
    fn from(v: YearValue) -> Self {
        let int = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
        Self {
            year: v.year,
            actual: v.actual,
            rounded: v.rounded.map(int),
            deviation: v.deviation.map(int),
        }
    }
}

#[derive(SimpleObject)]
pub struct GoalIndicator {
    /// skilled-share | apprentice-share | climate-transport
    pub id: String,
    pub title: String,
    pub target: f64,
    pub year: i32,
    pub actual: Option<f64>,
    pub rounded: Option<i32>,
    pub deviation: Option<i32>,
    /// The two years before, oldest first.
    pub history: Vec<IndicatorValue>,
}

#[derive(Default)]
pub struct GoalQueries;

#[Object]
impl GoalQueries {
    /// The annual report's goal table for `year` and the two years before: skilled workers
    /// and apprentices from HMSREG, climate-neutral transport from the tenders; for the
    /// municipality, or one agency.
    async fn goal_scorecard(
        &self,
        ctx: &Context<'_>,
        year: i32,
        agency: Option<String>,
    ) -> GqlResult<Vec<GoalIndicator>> {
        auth::require(ctx, Permission::ReadClimateStats)?;
        let agency = validate::optional_text("agency", agency.as_deref(), 200)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let settings = &ctx.data_unchecked::<HmsregConfig>().shares;
        let indicators = service::scorecard(db, settings, year, agency.as_deref()).await?;
        Ok(indicators
            .into_iter()
            .map(|i| {
                let v = IndicatorValue::from(i.value);
                GoalIndicator {
                    id: i.id.id().to_string(),
                    title: i.id.title().to_string(),
                    target: i.target,
                    year: v.year,
                    actual: v.actual,
                    rounded: v.rounded,
                    deviation: v.deviation,
                    history: i.history.into_iter().map(IndicatorValue::from).collect(),
                }
            })
            .collect())
    }
}
