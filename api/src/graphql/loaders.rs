//! Per-request DataLoaders: nested lists cost one query per level, whatever the page size.

use std::sync::Arc;

use async_graphql::{Request, dataloader::DataLoader};
use sea_orm::{DatabaseConnection, DbErr};

use crate::{
    clock, error::AppError, portfolio::loaders as portfolio, suppliers::loaders as suppliers,
    watchlist::loaders as watchlist,
};

/// What a loader fails with: shared, because one failed batch answers many fields.
pub type LoadError = Arc<DbErr>;

pub fn load_error(err: LoadError) -> AppError {
    AppError::internal(anyhow::anyhow!("batched load failed: {err}"))
}

/// Adds every slice's loaders to a request, fresh for each request so nothing is cached across
/// users or across writes.
pub fn attach(request: Request, db: &DatabaseConnection) -> Request {
    let today = clock::today();
    let spawn = |f| tokio::spawn(f);
    request
        .data(DataLoader::new(portfolio::AreaById(db.clone()), spawn))
        .data(DataLoader::new(
            portfolio::SuppliersOfAgreement(db.clone()),
            spawn,
        ))
        .data(DataLoader::new(
            portfolio::TurnoverOfAgreement(db.clone()),
            spawn,
        ))
        .data(DataLoader::new(
            portfolio::AgreementsOfArea(db.clone()),
            spawn,
        ))
        .data(DataLoader::new(
            portfolio::AgreementsOfSupplier(db.clone()),
            spawn,
        ))
        .data(DataLoader::new(suppliers::SupplierById(db.clone()), spawn))
        .data(DataLoader::new(
            watchlist::WatchlistedOn {
                db: db.clone(),
                day: today,
            },
            spawn,
        ))
}
