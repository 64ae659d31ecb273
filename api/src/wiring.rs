//! Where the features meet: the per-request DataLoaders and the demo data sets, in one place
//! so that no shared module has to import the features it serves.

use anyhow::Context as _;
use async_graphql::Request;
use sea_orm::DatabaseConnection;

use crate::{
    clock, db,
    error::AppError,
    fixtures::{self, FixtureContext, FixtureSet, LoadReport},
    graphql::loaders::batched,
    hmsreg::fixtures::HmsregFixtures,
    portfolio::{fixtures::PortfolioFixtures, loaders as portfolio},
    registry::{fixtures::RegistryFixtures, loaders as registry},
    suppliers::loaders as suppliers,
    tenders::{catalogue::Catalogue, fixtures::TenderFixtures, loaders as tenders, recorded},
    watchlist::loaders as watchlist,
};

/// The data sets, in load order (later ones may refer to earlier ones).
pub static FIXTURE_SETS: &[&dyn FixtureSet] = &[
    &PortfolioFixtures,
    &RegistryFixtures,
    &HmsregFixtures,
    &TenderFixtures,
];

/// Loads every demo data set, all in one transaction.
pub async fn load_all(
    db: &DatabaseConnection,
    context: &FixtureContext,
) -> Result<LoadReport, AppError> {
    fixtures::load_sets(db, context, FIXTURE_SETS).await
}

/// Opens the database at `url`, brings its schema up to date, and records a check against
/// `catalogue` for every tender that has none (those stored before checks were recorded), in
/// one transaction. `serve`, `migrate` and `seed` start with it.
pub async fn open_database(url: &str, catalogue: &Catalogue) -> anyhow::Result<DatabaseConnection> {
    let db = db::connect_and_migrate(url)
        .await
        .context("cannot open and migrate the database (DATABASE_URL)")?;
    let recorded = recorded::record_missing(&db, catalogue)
        .await
        .context("cannot record the checks of the tenders stored before checks were recorded")?;
    if recorded > 0 {
        tracing::info!(
            tenders = recorded,
            rules_version = %catalogue.version,
            "recorded the checks of tenders that had none"
        );
    }
    Ok(db)
}

/// Adds every slice's loaders to a request, fresh for each request so nothing is cached across
/// users or across writes.
pub fn attach_loaders(request: Request, db: &DatabaseConnection) -> Request {
    let today = clock::today();
    request
        .data(batched(portfolio::AreaById(db.clone())))
        .data(batched(portfolio::SuppliersOfAgreement {
            db: db.clone(),
            day: today,
        }))
        .data(batched(portfolio::TurnoverOfAgreement(db.clone())))
        .data(batched(portfolio::AgreementsOfArea(db.clone())))
        .data(batched(portfolio::AgreementsOfSupplier(db.clone())))
        .data(batched(portfolio::ParticipantsOfAgreement(db.clone())))
        .data(batched(portfolio::OptionsOfAgreement(db.clone())))
        .data(batched(suppliers::SupplierById(db.clone())))
        .data(batched(tenders::RecordedCheckOf(db.clone())))
        .data(batched(registry::RegistryByOrgNumber(db.clone())))
        .data(batched(watchlist::WatchlistedOn {
            db: db.clone(),
            day: today,
        }))
}
