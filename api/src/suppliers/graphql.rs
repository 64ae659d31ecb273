//! GraphQL for the supplier register: `Supplier`, `suppliers`, `supplier`, `createSupplier`.

use async_graphql::{Context, ID, InputObject, Object, dataloader::DataLoader};
use entity::supplier;
use sea_orm::DatabaseConnection;

use super::service::{self, SupplierQuery};
use crate::{
    auth::{self, Permission},
    clock,
    config::Limits,
    error::GqlResult,
    graphql::{
        loaders::load_error,
        pagination::{Page, PageRequest, page},
    },
    portfolio::{graphql::Agreement, loaders::AgreementsOfSupplier},
    validate,
    watchlist::loaders::WatchlistedOn,
};

/// A supplier in the register.
pub struct Supplier(pub supplier::Model);

#[Object]
impl Supplier {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// 9 digits, no spaces.
    async fn org_number(&self) -> &str {
        &self.0.org_number
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Every agreement the supplier is on, whatever its status, by reference.
    async fn agreements(&self, ctx: &Context<'_>) -> GqlResult<Vec<Agreement>> {
        let loader = ctx.data_unchecked::<DataLoader<AgreementsOfSupplier>>();
        let rows = loader.load_one(self.0.id).await.map_err(load_error)?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(Agreement)
            .collect())
    }

    /// On the watchlist today.
    async fn watchlisted(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        let loader = ctx.data_unchecked::<DataLoader<WatchlistedOn>>();
        Ok(loader
            .load_one(self.0.id)
            .await
            .map_err(load_error)?
            .unwrap_or(false))
    }
}

#[derive(InputObject, Default)]
pub struct SupplierFilter {
    /// In the name (case-insensitive) or the organisation number.
    pub search: Option<String>,
    /// On the watchlist today (true) or not (false).
    pub watchlisted: Option<bool>,
}

#[derive(InputObject)]
pub struct CreateSupplierInput {
    pub org_number: String,
    pub name: String,
}

#[derive(Default)]
pub struct SupplierQueries;

#[Object]
impl SupplierQueries {
    /// The supplier register, by name.
    async fn suppliers(
        &self,
        ctx: &Context<'_>,
        filter: Option<SupplierFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Page<Supplier>> {
        auth::require(ctx, Permission::ReadPortfolio)?;
        let request = PageRequest::new(first, after.as_deref(), ctx.data_unchecked::<Limits>())?;
        let filter = filter.unwrap_or_default();
        let query = SupplierQuery {
            search: validate::search_term("search", filter.search)?,
            watchlisted: filter.watchlisted,
        };
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let (total, rows) = service::list(db, &query, request, clock::today()).await?;
        Ok(page(
            request,
            total,
            rows.into_iter().map(Supplier).collect(),
        ))
    }

    /// One supplier by organisation number (spaces allowed); null when not in the register.
    async fn supplier(&self, ctx: &Context<'_>, org_number: String) -> GqlResult<Option<Supplier>> {
        auth::require(ctx, Permission::ReadPortfolio)?;
        let org_number = validate::org_number("orgNumber", &org_number)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(service::find_by_org_number(db, &org_number)
            .await?
            .map(Supplier))
    }
}

#[derive(Default)]
pub struct SupplierMutations;

#[Object]
impl SupplierMutations {
    /// Adds a supplier to the register.
    async fn create_supplier(
        &self,
        ctx: &Context<'_>,
        input: CreateSupplierInput,
    ) -> GqlResult<Supplier> {
        let viewer = auth::require(ctx, Permission::WritePortfolio)?;
        let org_number = validate::org_number("orgNumber", &input.org_number)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let txn = crate::db::begin_write(db).await?;
        let model = service::create(&txn, viewer.actor(), &org_number, &input.name).await?;
        txn.commit().await?;
        Ok(Supplier(model))
    }
}
