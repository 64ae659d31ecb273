//! Database migrations, one per change; a landed migration is never edited.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_audit_event;
mod m20261122_000002_portfolio;
mod m20261122_000003_hmsreg;
mod m20261122_000004_tenders;
mod m20261201_000005_agencies;
mod m20261201_000006_recorded_checks;
mod m20261201_000007_registry;
mod m20261202_000008_rollups;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_audit_event::Migration),
            Box::new(m20261122_000002_portfolio::Migration),
            Box::new(m20261122_000003_hmsreg::Migration),
            Box::new(m20261122_000004_tenders::Migration),
            Box::new(m20261201_000005_agencies::Migration),
            Box::new(m20261201_000006_recorded_checks::Migration),
            Box::new(m20261201_000007_registry::Migration),
            Box::new(m20261202_000008_rollups::Migration),
        ]
    }
}
