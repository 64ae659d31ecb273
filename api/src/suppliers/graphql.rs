//! GraphQL for the supplier register: `Supplier`, `suppliers`, `supplier`, `createSupplier`.

use async_graphql::{Context, InputObject, Object};
use sea_orm::DatabaseConnection;

use super::service::{self, SupplierQuery};
use crate::{
    auth::{self, Permission},
    clock,
    config::Limits,
    error::GqlResult,
    graphql::nodes::Supplier,
    graphql::pagination::{Page, PageRequest, page},
    validate,
};

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
        let request = PageRequest::new(first, after.as_deref(), ctx.data_unchecked::<Limits>())?
            .total_if_asked(ctx);
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
            rows.into_iter().map(Supplier::from).collect(),
        ))
    }

    /// One supplier by organisation number (spaces allowed); null when not in the register.
    async fn supplier(&self, ctx: &Context<'_>, org_number: String) -> GqlResult<Option<Supplier>> {
        auth::require(ctx, Permission::ReadPortfolio)?;
        let org_number = validate::org_number("orgNumber", &org_number)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(service::find_by_org_number(db, &org_number)
            .await?
            .map(Supplier::from))
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
        Ok(Supplier::from(model))
    }
}
