//! Loads the demo and test data sets into a database, each once.
//!
//! Every slice that has demo data adds one [`FixtureSet`] to [`SETS`]. The data is compiled
//! into the binary, so `serve --demo` works from any directory.

use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};

use crate::error::AppError;

/// One data set, such as the agreement portfolio.
#[async_trait::async_trait]
pub trait FixtureSet: Sync {
    fn name(&self) -> &'static str;
    /// Whether the set is already there: loading twice must not duplicate anything.
    async fn is_loaded(&self, txn: &DatabaseTransaction) -> Result<bool, AppError>;
    /// Writes the set; runs inside the transaction that loads every set.
    async fn load(&self, txn: &DatabaseTransaction) -> Result<(), AppError>;
}

/// The data sets, in load order (later ones may refer to earlier ones).
pub static SETS: &[&dyn FixtureSet] = &[];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    pub loaded: Vec<&'static str>,
    pub already_present: Vec<&'static str>,
}

/// Loads every set not yet present, all in one transaction: a failure leaves nothing behind.
pub async fn load_all(db: &DatabaseConnection) -> Result<LoadReport, AppError> {
    load_sets(db, SETS).await
}

pub async fn load_sets(
    db: &DatabaseConnection,
    sets: &[&dyn FixtureSet],
) -> Result<LoadReport, AppError> {
    let txn = db.begin().await?;
    let mut report = LoadReport::default();
    for set in sets {
        if set.is_loaded(&txn).await? {
            report.already_present.push(set.name());
        } else {
            set.load(&txn).await?;
            report.loaded.push(set.name());
        }
    }
    txn.commit().await?;
    Ok(report)
}
