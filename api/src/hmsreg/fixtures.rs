//! The demo's HMSREG exports (`fixtures/hmsreg/`), imported like any upload.

use std::io::Cursor;

use sea_orm::DatabaseTransaction;

use super::import::service::{self, Status};
use crate::{
    error::AppError,
    fixtures::{FixtureContext, FixtureSet},
};

const FILES: &[(&str, &[u8])] = &[
    // Three years of six agencies (fixtures/hmsreg/generate_history.py): the goal table's
    // history and a quarterly report with four quarters.
    (
        "historikk-2023-2025.csv",
        include_bytes!("../../../fixtures/hmsreg/historikk-2023-2025.csv"),
    ),
    (
        "oslobygg-2026-mars-april.xlsx",
        include_bytes!("../../../fixtures/hmsreg/oslobygg-2026-mars-april.xlsx"),
    ),
    (
        "bymiljoetaten-2026-q1.csv",
        include_bytes!("../../../fixtures/hmsreg/bymiljoetaten-2026-q1.csv"),
    ),
];

pub struct HmsregFixtures;

#[async_trait::async_trait]
impl FixtureSet for HmsregFixtures {
    fn name(&self) -> &'static str {
        "HMSREG exports (fixtures/hmsreg)"
    }

    async fn load(
        &self,
        txn: &DatabaseTransaction,
        context: &FixtureContext,
    ) -> Result<usize, AppError> {
        let mut added = 0;
        for (name, bytes) in FILES {
            let checked = service::read_and_check(Cursor::new(*bytes), name, &context.hmsreg);
            let outcome =
                service::store(txn, &context.hmsreg, "fixtures", name, checked, false).await?;
            match outcome.status {
                Status::Accepted => added += 1,
                // Already imported: loading twice adds nothing.
                Status::Rejected if outcome.issues.iter().any(|i| i.code == "DUPLICATE_FILE") => {}
                Status::Rejected => {
                    let first = outcome
                        .issues
                        .first()
                        .map(|i| i.message.clone())
                        .unwrap_or_default();
                    return Err(AppError::internal(anyhow::anyhow!(
                        "fixtures/hmsreg/{name} was rejected: {first}"
                    )));
                }
            }
        }
        Ok(added)
    }
}
