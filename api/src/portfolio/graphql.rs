//! GraphQL for the portfolio: types, `agreements`, `agreement`, `agreementAreas`,
//! `portfolioSummary`, and the agreement mutations (`exerciseOption` among them).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use super::{
    agreement_options, prefetch,
    service::{self, AgreementChanges, AgreementQuery, NewAgreement, SupplierLink},
    status::AgreementStatus,
    summary,
};
use crate::{
    agencies,
    auth::{self, Permission},
    clock,
    config::Limits,
    domain::kinds::{AgreementKind, ProcurementCategory},
    error::{AppError, GqlResult},
    graphql::{
        nodes::{Agreement, AgreementArea, Supplier},
        pagination::{Page, PageRequest, page},
        parse_id, require_id,
        scalars::{Date, Decimal},
    },
    validate,
};

#[derive(InputObject, Default)]
pub struct AgreementFilter {
    pub status: Option<AgreementStatus>,
    pub area_id: Option<ID>,
    pub category: Option<ProcurementCategory>,
    pub supplier_org_number: Option<String>,
    /// Agreements whose endsOn is before this date.
    pub ends_before: Option<Date>,
    /// Case-insensitive, in title and reference.
    pub search: Option<String>,
    /// An agency's name or alias: the agreements it may buy under (those listing it, and
    /// those open to every agency).
    pub participant: Option<String>,
}

#[derive(InputObject)]
pub struct AgreementSupplierInput {
    pub org_number: String,
    pub rank: Option<i32>,
}

#[derive(InputObject)]
pub struct CreateAgreementInput {
    pub reference: String,
    pub title: String,
    pub area_id: ID,
    pub kind: AgreementKind,
    pub category: ProcurementCategory,
    pub starts_on: Date,
    pub ends_on: Date,
    /// Defaults to endsOn (no options).
    pub max_ends_on: Option<Date>,
    pub estimated_annual_value: Option<Decimal>,
    pub suppliers: Option<Vec<AgreementSupplierInput>>,
    /// Agency names or aliases that may buy under it; none: every agency may.
    pub participants: Option<Vec<String>>,
    /// Options to extend it, in the order they are to be used (at most 10). With options,
    /// maxEndsOn is endsOn + their months, and may be left out.
    pub options: Option<Vec<AgreementOptionInput>>,
}

/// One option to extend an agreement.
#[derive(InputObject)]
pub struct AgreementOptionInput {
    /// 1 to 120.
    pub months: i32,
}

#[derive(InputObject)]
pub struct UpdateAgreementInput {
    pub title: Option<String>,
    pub ends_on: Option<Date>,
    pub max_ends_on: Option<Date>,
    /// null clears it.
    pub estimated_annual_value: MaybeUndefined<Decimal>,
    pub terminated: Option<bool>,
    /// Replaces the whole list when given.
    pub suppliers: Option<Vec<AgreementSupplierInput>>,
    /// Agency names or aliases; replaces the whole list when given, [] opens it to every
    /// agency.
    pub participants: Option<Vec<String>>,
}

fn links(input: Option<Vec<AgreementSupplierInput>>) -> Vec<SupplierLink> {
    input
        .unwrap_or_default()
        .into_iter()
        .map(|s| SupplierLink {
            org_number: s.org_number,
            rank: s.rank,
        })
        .collect()
}

fn money(field: &str, value: Option<Decimal>) -> Result<Option<i64>, AppError> {
    value.map(|v| v.to_hundredths(field)).transpose()
}

/// The portfolio at a glance, today.
pub struct PortfolioSummary {
    today: NaiveDate,
}

#[Object]
impl PortfolioSummary {
    async fn area_count(&self, ctx: &Context<'_>) -> GqlResult<i32> {
        let n = summary::area_count(ctx.data_unchecked::<DatabaseConnection>()).await?;
        Ok(count(n))
    }

    async fn active_agreement_count(&self, ctx: &Context<'_>) -> GqlResult<i32> {
        let n =
            summary::active_agreement_count(ctx.data_unchecked::<DatabaseConnection>(), self.today)
                .await?;
        Ok(count(n))
    }

    /// Distinct suppliers on active agreements.
    async fn supplier_count(&self, ctx: &Context<'_>) -> GqlResult<i32> {
        let n =
            summary::supplier_count(ctx.data_unchecked::<DatabaseConnection>(), self.today).await?;
        Ok(count(n))
    }

    /// That year's turnover over all agreements (NOK; 0.00 if none).
    async fn turnover(&self, ctx: &Context<'_>, year: i32) -> GqlResult<Decimal> {
        let total = summary::turnover(ctx.data_unchecked::<DatabaseConnection>(), year).await?;
        Ok(Decimal::from_hundredths(total))
    }

    /// Active agreements whose endsOn is within the days from today, soonest first.
    async fn expiring_within_days(
        &self,
        ctx: &Context<'_>,
        days: i32,
    ) -> GqlResult<Vec<Agreement>> {
        let days = u32::try_from(days)
            .ok()
            .filter(|d| *d <= 36_500)
            .ok_or_else(|| AppError::bad_input("days", "days must be between 0 and 36500"))?;
        let rows =
            summary::expiring_within(ctx.data_unchecked::<DatabaseConnection>(), self.today, days)
                .await?;
        Ok(rows.into_iter().map(Agreement::from).collect())
    }

    /// Active agreements with an unused option whose endsOn is within the days from today
    /// (0 to 3650), soonest first: the option must be decided on before they end.
    async fn option_decisions_due(
        &self,
        ctx: &Context<'_>,
        days: i32,
    ) -> GqlResult<Vec<Agreement>> {
        let days = u32::try_from(days)
            .ok()
            .filter(|d| *d <= MAX_DECISION_DAYS)
            .ok_or_else(|| {
                AppError::bad_input(
                    "days",
                    format!("days must be between 0 and {MAX_DECISION_DAYS}"),
                )
            })?;
        let rows = summary::option_decisions_due(
            ctx.data_unchecked::<DatabaseConnection>(),
            self.today,
            days,
        )
        .await?;
        Ok(rows.into_iter().map(Agreement::from).collect())
    }

    /// Suppliers on the watchlist today that sit on an active agreement, by name.
    async fn watchlisted_suppliers_on_active_agreements(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<Supplier>> {
        let rows =
            summary::watchlisted_on_active(ctx.data_unchecked::<DatabaseConnection>(), self.today)
                .await?;
        Ok(rows.into_iter().map(Supplier::from).collect())
    }

    /// Suppliers on an active agreement that the public register (the last file imported)
    /// says are bankrupt, being wound up (by the owners or by force) or deleted, by name.
    async fn flagged_suppliers_on_active_agreements(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<Supplier>> {
        let rows =
            summary::flagged_on_active(ctx.data_unchecked::<DatabaseConnection>(), self.today)
                .await?;
        Ok(rows.into_iter().map(Supplier::from).collect())
    }
}

/// Ten years: an option decision further off than that is not due.
const MAX_DECISION_DAYS: u32 = 3650;

fn count(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[derive(Default)]
pub struct PortfolioQueries;

#[Object]
impl PortfolioQueries {
    /// Agreements by reference.
    async fn agreements(
        &self,
        ctx: &Context<'_>,
        filter: Option<AgreementFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Page<Agreement>> {
        auth::require(ctx, Permission::ReadPortfolio)?;
        let request = PageRequest::new(first, after.as_deref(), ctx.data_unchecked::<Limits>())?
            .total_if_asked(ctx);
        let filter = filter.unwrap_or_default();
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let participant = match filter.participant.as_deref() {
            Some(text) => Some(agencies::service::find(db, "participant", text).await?.id),
            None => None,
        };
        let query = AgreementQuery {
            status: filter.status,
            area_id: filter
                .area_id
                .as_ref()
                .map(|id| require_id("areaId", id))
                .transpose()?,
            category: filter.category,
            supplier_org_number: filter
                .supplier_org_number
                .as_deref()
                .map(|o| validate::org_number("supplierOrgNumber", o))
                .transpose()?,
            ends_before: filter.ends_before.map(|d| d.0),
            search: validate::search_term("search", filter.search)?,
            participant,
        };
        let (total, nodes) = prefetch::page(ctx, db, &query, request, clock::today()).await?;
        Ok(page(request, total, nodes))
    }

    async fn agreement(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Option<Agreement>> {
        auth::require(ctx, Permission::ReadPortfolio)?;
        let Some(id) = parse_id(&id) else {
            return Ok(None);
        };
        Ok(service::get(ctx.data_unchecked::<DatabaseConnection>(), id)
            .await?
            .map(Agreement::from))
    }

    /// All agreement areas, by name.
    async fn agreement_areas(&self, ctx: &Context<'_>) -> GqlResult<Vec<AgreementArea>> {
        auth::require(ctx, Permission::ReadPortfolio)?;
        let rows = service::list_areas(ctx.data_unchecked::<DatabaseConnection>()).await?;
        Ok(rows.into_iter().map(AgreementArea).collect())
    }

    async fn portfolio_summary(&self, ctx: &Context<'_>) -> GqlResult<PortfolioSummary> {
        auth::require(ctx, Permission::ReadPortfolio)?;
        Ok(PortfolioSummary {
            today: clock::today(),
        })
    }
}

#[derive(Default)]
pub struct PortfolioMutations;

#[Object]
impl PortfolioMutations {
    async fn create_agreement_area(
        &self,
        ctx: &Context<'_>,
        name: String,
    ) -> GqlResult<AgreementArea> {
        let viewer = auth::require(ctx, Permission::WritePortfolio)?;
        let txn = crate::db::begin_write(ctx.data_unchecked::<DatabaseConnection>()).await?;
        let area = service::create_area(&txn, viewer.actor(), &name).await?;
        txn.commit().await?;
        Ok(AgreementArea(area))
    }

    async fn create_agreement(
        &self,
        ctx: &Context<'_>,
        input: CreateAgreementInput,
    ) -> GqlResult<Agreement> {
        let viewer = auth::require(ctx, Permission::WritePortfolio)?;
        let new = NewAgreement {
            reference: input.reference,
            title: input.title,
            area_id: require_id("areaId", &input.area_id)?,
            kind: input.kind,
            category: input.category,
            starts_on: input.starts_on.0,
            ends_on: input.ends_on.0,
            max_ends_on: input.max_ends_on.map(|d| d.0),
            estimated_annual_value: money("estimatedAnnualValue", input.estimated_annual_value)?,
            suppliers: links(input.suppliers),
            participants: input.participants.unwrap_or_default(),
            options: input
                .options
                .unwrap_or_default()
                .into_iter()
                .map(|o| o.months)
                .collect(),
        };
        let txn = crate::db::begin_write(ctx.data_unchecked::<DatabaseConnection>()).await?;
        let model = service::create(&txn, viewer.actor(), new).await?;
        txn.commit().await?;
        Ok(Agreement::from(model))
    }

    /// Fails with CONFLICT, changing nothing, when the agreement is no longer at expectedVersion.
    async fn update_agreement(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateAgreementInput,
    ) -> GqlResult<Agreement> {
        let viewer = auth::require(ctx, Permission::WritePortfolio)?;
        let id =
            parse_id(&id).ok_or_else(|| AppError::NotFound("no agreement with this id".into()))?;
        let changes = AgreementChanges {
            title: input.title,
            ends_on: input.ends_on.map(|d| d.0),
            max_ends_on: input.max_ends_on.map(|d| d.0),
            estimated_annual_value: match input.estimated_annual_value {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(v) => Some(Some(v.to_hundredths("estimatedAnnualValue")?)),
            },
            terminated: input.terminated,
            suppliers: input.suppliers.map(|s| links(Some(s))),
            participants: input.participants,
        };
        let txn = crate::db::begin_write(ctx.data_unchecked::<DatabaseConnection>()).await?;
        let model = service::update(&txn, viewer.actor(), id, expected_version, changes).await?;
        txn.commit().await?;
        Ok(Agreement::from(model))
    }

    /// Uses the agreement's earliest unused option today: endsOn grows by its months.
    /// BAD_USER_INPUT when none is left or the agreement is not ACTIVE; CONFLICT, changing
    /// nothing, when the agreement is no longer at expectedVersion.
    async fn exercise_option(
        &self,
        ctx: &Context<'_>,
        agreement_id: ID,
        expected_version: i32,
    ) -> GqlResult<Agreement> {
        let viewer = auth::require(ctx, Permission::WritePortfolio)?;
        let id = parse_id(&agreement_id)
            .ok_or_else(|| AppError::NotFound("no agreement with this id".into()))?;
        let txn = crate::db::begin_write(ctx.data_unchecked::<DatabaseConnection>()).await?;
        let model =
            agreement_options::exercise(&txn, viewer.actor(), id, expected_version, clock::today())
                .await?;
        txn.commit().await?;
        Ok(Agreement::from(model))
    }

    /// Sets one year's turnover (NOK), replacing any earlier figure for that year.
    async fn set_turnover(
        &self,
        ctx: &Context<'_>,
        agreement_id: ID,
        year: i32,
        amount: Decimal,
    ) -> GqlResult<Agreement> {
        let viewer = auth::require(ctx, Permission::WritePortfolio)?;
        let id = parse_id(&agreement_id)
            .ok_or_else(|| AppError::NotFound("no agreement with this id".into()))?;
        let amount = amount.to_hundredths("amount")?;
        let txn = crate::db::begin_write(ctx.data_unchecked::<DatabaseConnection>()).await?;
        let model = service::set_turnover(&txn, viewer.actor(), id, year, amount).await?;
        txn.commit().await?;
        Ok(Agreement::from(model))
    }
}
