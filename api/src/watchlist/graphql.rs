//! GraphQL for the watchlist: `WatchlistEntry`, `SupplierStatus`, `watchlist`,
//! `supplierStatus`, `addToWatchlist`, `removeFromWatchlist`.

use crate::graphql::enums::FromStored as _;

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, dataloader::DataLoader};
use entity::watchlist_entry;
use sea_orm::DatabaseConnection;

use super::service::{self, NewEntry, WatchlistCategory};
use crate::{
    auth::{self, Permission},
    clock,
    error::{AppError, GqlResult},
    graphql::nodes::{Agreement, RegistryStatus, Supplier, WorkforceShare},
    graphql::{loaders::load_error, parse_id, scalars::Date},
    hmsreg::{self, service::HmsregConfig},
    registry::loaders::RegistryByOrgNumber,
    suppliers::loaders::SupplierById,
    validate,
};

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum WatchlistStatus {
    Active,
    Removed,
}

/// One listing. Readable in full by ADMIN and ADVISER only.
pub struct WatchlistEntry(pub watchlist_entry::Model);

#[Object]
impl WatchlistEntry {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn supplier(&self, ctx: &Context<'_>) -> GqlResult<Supplier> {
        let loader = ctx.data_unchecked::<DataLoader<SupplierById>>();
        let supplier = loader
            .load_one(self.0.supplier_id)
            .await
            .map_err(load_error)?;
        let supplier = supplier.ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("entry {} has no supplier", self.0.id))
        })?;
        Ok(Supplier::from(supplier))
    }

    async fn category(&self) -> GqlResult<WatchlistCategory> {
        Ok(WatchlistCategory::from_stored(&self.0.category)?)
    }

    async fn description(&self) -> &str {
        &self.0.description
    }

    /// The agency that shared the experience.
    async fn reported_by(&self) -> &str {
        &self.0.reported_by
    }

    async fn listed_on(&self) -> Date {
        Date(self.0.listed_on)
    }

    /// Who entered the listing (token subject).
    async fn listed_by(&self) -> &str {
        &self.0.listed_by
    }

    async fn removed_on(&self) -> Option<Date> {
        self.0.removed_on.map(Date)
    }

    async fn removal_documentation(&self) -> Option<&str> {
        self.0.removal_documentation.as_deref()
    }

    /// Who struck it off (token subject).
    async fn removed_by(&self) -> Option<&str> {
        self.0.removed_by.as_deref()
    }

    async fn status(&self) -> WatchlistStatus {
        if self.0.removed_on.is_some() {
            WatchlistStatus::Removed
        } else {
            WatchlistStatus::Active
        }
    }
}

/// What an agency buyer checks before signing: the watchlist, the agreements, the HMSREG
/// shares, and what the public register says (bankrupt, being wound up, deleted).
#[derive(SimpleObject)]
pub struct SupplierStatus {
    pub org_number: String,
    /// In the supplier register.
    pub known: bool,
    pub supplier: Option<Supplier>,
    /// On the asked date.
    pub watchlisted: bool,
    /// Of the entries active on that date.
    pub watchlist_categories: Vec<WatchlistCategory>,
    /// The supplier's agreements active on the asked date.
    pub active_agreements: Vec<Agreement>,
    /// All imported hours of this supplier (a buyer: of its own agency); null when none.
    pub workforce: Option<WorkforceShare>,
    /// What the public register (Enhetsregisteret) said in the last file imported, whatever
    /// the asked date; null when that file did not list the number (a company it does not
    /// list is not, or no longer, registered: check it) or no file has been imported yet.
    pub registry: Option<RegistryStatus>,
}

#[derive(InputObject)]
pub struct AddToWatchlistInput {
    /// An unknown but valid number adds the supplier too (supplierName required then).
    pub org_number: String,
    pub supplier_name: Option<String>,
    pub category: WatchlistCategory,
    pub description: String,
    /// The agency that shared the experience.
    pub reported_by: String,
    pub listed_on: Date,
}

#[derive(Default)]
pub struct WatchlistQueries;

#[Object]
impl WatchlistQueries {
    /// Entries active on asOf (default today), or every entry with includeRemoved; newest
    /// listing first. ADMIN and ADVISER only.
    async fn watchlist(
        &self,
        ctx: &Context<'_>,
        include_removed: Option<bool>,
        as_of: Option<Date>,
    ) -> GqlResult<Vec<WatchlistEntry>> {
        auth::require(ctx, Permission::ManageWatchlist)?;
        let day = as_of.map_or_else(clock::today, |d| d.0);
        let rows = service::list(
            ctx.data_unchecked::<DatabaseConnection>(),
            include_removed.unwrap_or(false),
            day,
        )
        .await?;
        Ok(rows.into_iter().map(WatchlistEntry).collect())
    }

    /// Whether a supplier is listed on a date (default today) and the kinds of reason; for every
    /// signed-in role.
    async fn supplier_status(
        &self,
        ctx: &Context<'_>,
        org_number: String,
        as_of: Option<Date>,
    ) -> GqlResult<SupplierStatus> {
        auth::require(ctx, Permission::ReadSupplierStatus)?;
        let org_number = validate::org_number("orgNumber", &org_number)?;
        let day = as_of.map_or_else(clock::today, |d| d.0);
        let status =
            service::status_on(ctx.data_unchecked::<DatabaseConnection>(), &org_number, day)
                .await?;
        let (_, scope) = auth::require_scope(ctx, Permission::ReadWorkforce).await?;
        let settings = &ctx.data_unchecked::<HmsregConfig>().shares;
        let workforce = hmsreg::query::supplier_total(
            ctx.data_unchecked::<DatabaseConnection>(),
            &org_number,
            &scope,
            settings,
        )
        .await?
        .map(WorkforceShare::from);
        let registry = ctx
            .data_unchecked::<DataLoader<RegistryByOrgNumber>>()
            .load_one(org_number.clone())
            .await
            .map_err(load_error)?
            .map(RegistryStatus::from);
        Ok(SupplierStatus {
            org_number,
            known: status.supplier.is_some(),
            supplier: status.supplier.map(Supplier::from),
            watchlisted: !status.categories.is_empty(),
            watchlist_categories: status.categories,
            active_agreements: status
                .active_agreements
                .into_iter()
                .map(Agreement::from)
                .collect(),
            workforce,
            registry,
        })
    }
}

#[derive(Default)]
pub struct WatchlistMutations;

#[Object]
impl WatchlistMutations {
    async fn add_to_watchlist(
        &self,
        ctx: &Context<'_>,
        input: AddToWatchlistInput,
    ) -> GqlResult<WatchlistEntry> {
        let viewer = auth::require(ctx, Permission::ManageWatchlist)?;
        let entry = NewEntry {
            org_number: validate::org_number("orgNumber", &input.org_number)?,
            supplier_name: input.supplier_name,
            category: input.category,
            description: input.description,
            reported_by: input.reported_by,
            listed_on: input.listed_on.0,
        };
        let txn = crate::db::begin_write(ctx.data_unchecked::<DatabaseConnection>()).await?;
        let model = service::add(&txn, viewer.actor(), clock::today(), entry).await?;
        txn.commit().await?;
        Ok(WatchlistEntry(model))
    }

    /// Strikes an entry off; the entry and its history stay.
    async fn remove_from_watchlist(
        &self,
        ctx: &Context<'_>,
        id: ID,
        removed_on: Date,
        documentation: String,
    ) -> GqlResult<WatchlistEntry> {
        let viewer = auth::require(ctx, Permission::ManageWatchlist)?;
        let id = parse_id(&id)
            .ok_or_else(|| AppError::NotFound("no watchlist entry with this id".into()))?;
        let txn = crate::db::begin_write(ctx.data_unchecked::<DatabaseConnection>()).await?;
        let model = service::remove(
            &txn,
            viewer.actor(),
            clock::today(),
            id,
            removed_on.0,
            &documentation,
        )
        .await?;
        txn.commit().await?;
        Ok(WatchlistEntry(model))
    }
}
