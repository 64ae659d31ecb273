//! The demo register file (`fixtures/brreg/enheter.json`, made by
//! `fixtures/generate_brreg.py`): the demo suppliers as Enhetsregisteret's bulk download lists
//! them, a few flagged. Read through the same streaming reader as `import-brreg`, and only
//! into a database that holds no register data yet.

use std::sync::atomic::AtomicU64;

use sea_orm::DatabaseTransaction;

use super::{scan, service};
use crate::{
    clock,
    error::AppError,
    fixtures::{FixtureContext, FixtureSet},
};

const DATA: &[u8] = include_bytes!("../../../fixtures/brreg/enheter.json");
const FILE_NAME: &str = "fixtures/brreg/enheter.json";
const ACTOR: &str = "fixtures";

pub struct RegistryFixtures;

#[async_trait::async_trait]
impl FixtureSet for RegistryFixtures {
    fn name(&self) -> &'static str {
        "registry (fixtures/brreg/enheter.json)"
    }

    async fn load(
        &self,
        txn: &DatabaseTransaction,
        _context: &FixtureContext,
    ) -> Result<usize, AppError> {
        if !service::is_empty(txn).await? {
            return Ok(0);
        }
        let wanted = service::wanted(txn).await?;
        let scan = scan::read(DATA, &wanted, &AtomicU64::new(0))
            .map_err(|e| AppError::internal(anyhow::anyhow!("the demo register file: {e}")))?;
        let stored = service::replace(txn, ACTOR, FILE_NAME, clock::today(), &scan).await?;
        Ok(stored.kept)
    }
}
