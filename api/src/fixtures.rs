//! Loads the demo and test data sets into a database.
//!
//! Every slice that has demo data adds one [`FixtureSet`] to `wiring::FIXTURE_SETS`. The data is compiled
//! into the binary, so `serve --demo` works from any directory. Loading twice adds nothing:
//! each set skips the rows already there.

use std::sync::Arc;

use sea_orm::{DatabaseConnection, DatabaseTransaction};

use crate::{error::AppError, hmsreg::service::HmsregConfig, tenders::catalogue::Catalogue};

/// What a data set may need from the settings.
pub struct FixtureContext {
    pub hmsreg: HmsregConfig,
    /// The rule catalogue in force: demo tenders record their checks against it.
    pub catalogue: Arc<Catalogue>,
}

/// One data set, such as the agreement portfolio.
#[async_trait::async_trait]
pub trait FixtureSet: Sync {
    fn name(&self) -> &'static str;
    /// Writes the rows not yet present and says how many it added.
    async fn load(
        &self,
        txn: &DatabaseTransaction,
        context: &FixtureContext,
    ) -> Result<usize, AppError>;
}

/// What each set added.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    pub sets: Vec<(&'static str, usize)>,
}

/// Loads `sets` in order, all in one transaction: a failure leaves nothing behind.
pub async fn load_sets(
    db: &DatabaseConnection,
    context: &FixtureContext,
    sets: &[&dyn FixtureSet],
) -> Result<LoadReport, AppError> {
    let txn = crate::db::begin_write(db).await?;
    let mut report = LoadReport::default();
    for set in sets {
        let added = set.load(&txn, context).await?;
        report.sets.push((set.name(), added));
    }
    txn.commit().await?;
    Ok(report)
}
