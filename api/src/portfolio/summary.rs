//! The portfolio at a glance (`PortfolioSummary`): each figure one SQL statement.

use chrono::{Days, NaiveDate};
use entity::{
    agreement, agreement_area, agreement_option, agreement_supplier, supplier, turnover,
    watchlist_entry,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
    sea_query::{Expr, SelectStatement},
};

use super::status::{self, AgreementStatus};
use crate::{error::AppError, registry, watchlist::asof};

fn active_agreement_ids(today: NaiveDate) -> SelectStatement {
    agreement::Entity::find()
        .select_only()
        .column(agreement::Column::Id)
        .filter(status::condition(AgreementStatus::Active, today))
        .into_query()
}

fn suppliers_on_active_agreements(today: NaiveDate) -> SelectStatement {
    agreement_supplier::Entity::find()
        .select_only()
        .column(agreement_supplier::Column::SupplierId)
        .filter(agreement_supplier::Column::AgreementId.in_subquery(active_agreement_ids(today)))
        .into_query()
}

pub async fn area_count(conn: &impl ConnectionTrait) -> Result<u64, AppError> {
    Ok(agreement_area::Entity::find().count(conn).await?)
}

pub async fn active_agreement_count(
    conn: &impl ConnectionTrait,
    today: NaiveDate,
) -> Result<u64, AppError> {
    Ok(agreement::Entity::find()
        .filter(status::condition(AgreementStatus::Active, today))
        .count(conn)
        .await?)
}

/// Distinct suppliers on agreements active today.
pub async fn supplier_count(
    conn: &impl ConnectionTrait,
    today: NaiveDate,
) -> Result<u64, AppError> {
    Ok(supplier::Entity::find()
        .filter(supplier::Column::Id.in_subquery(suppliers_on_active_agreements(today)))
        .count(conn)
        .await?)
}

/// That year's turnover over all agreements, in øre.
pub async fn turnover(conn: &impl ConnectionTrait, year: i32) -> Result<i64, AppError> {
    // SUM(bigint) is numeric in PostgreSQL: cast it back so both databases return an integer.
    let total = turnover::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(amount), 0) AS BIGINT)"),
            "total",
        )
        .filter(turnover::Column::Year.eq(year))
        .into_tuple::<i64>()
        .one(conn)
        .await?;
    Ok(total.unwrap_or(0))
}

/// Active agreements ending within `days` from today, soonest first.
pub async fn expiring_within(
    conn: &impl ConnectionTrait,
    today: NaiveDate,
    days: u32,
) -> Result<Vec<agreement::Model>, AppError> {
    let last = today
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX);
    Ok(agreement::Entity::find()
        .filter(status::condition(AgreementStatus::Active, today))
        .filter(agreement::Column::EndsOn.lte(last))
        .order_by_asc(agreement::Column::EndsOn)
        .order_by_asc(agreement::Column::Reference)
        .all(conn)
        .await?)
}

/// Active agreements with an unused option whose endsOn is within `days` from today (so the
/// decision to use it is due), soonest first.
pub async fn option_decisions_due(
    conn: &impl ConnectionTrait,
    today: NaiveDate,
    days: u32,
) -> Result<Vec<agreement::Model>, AppError> {
    let last = today
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX);
    let with_unused_option = agreement_option::Entity::find()
        .select_only()
        .column(agreement_option::Column::AgreementId)
        .filter(agreement_option::Column::ExercisedOn.is_null())
        .into_query();
    // ACTIVE already means endsOn >= today.
    Ok(agreement::Entity::find()
        .filter(status::condition(AgreementStatus::Active, today))
        .filter(agreement::Column::EndsOn.lte(last))
        .filter(agreement::Column::Id.in_subquery(with_unused_option))
        .order_by_asc(agreement::Column::EndsOn)
        .order_by_asc(agreement::Column::Reference)
        .all(conn)
        .await?)
}

/// Suppliers watchlisted today that sit on an active agreement, by name.
pub async fn watchlisted_on_active(
    conn: &impl ConnectionTrait,
    today: NaiveDate,
) -> Result<Vec<supplier::Model>, AppError> {
    let listed = watchlist_entry::Entity::find()
        .select_only()
        .column(watchlist_entry::Column::SupplierId)
        .filter(asof::active_condition(today))
        .into_query();
    Ok(supplier::Entity::find()
        .filter(supplier::Column::Id.in_subquery(suppliers_on_active_agreements(today)))
        .filter(supplier::Column::Id.in_subquery(listed))
        .order_by_asc(supplier::Column::SearchKey)
        .order_by_asc(supplier::Column::Id)
        .all(conn)
        .await?)
}

/// Suppliers on an active agreement that the public register flags (bankrupt, being wound up
/// by the owners or by force, or deleted) in the last file imported, by name.
pub async fn flagged_on_active(
    conn: &impl ConnectionTrait,
    today: NaiveDate,
) -> Result<Vec<supplier::Model>, AppError> {
    Ok(supplier::Entity::find()
        .filter(supplier::Column::Id.in_subquery(suppliers_on_active_agreements(today)))
        .filter(supplier::Column::OrgNumber.in_subquery(registry::service::flagged_numbers()))
        .order_by_asc(supplier::Column::SearchKey)
        .order_by_asc(supplier::Column::Id)
        .all(conn)
        .await?)
}
