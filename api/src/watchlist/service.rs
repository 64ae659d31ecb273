//! Listing, adding and striking off watchlist entries; never deleting them.

use crate::graphql::enums::FromStored as _;
use sea_orm::ActiveEnum as _;

use chrono::{NaiveDate, Utc};
use entity::{agreement, agreement_supplier, supplier, watchlist_entry};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set, sea_query::Expr,
};
use sea_orm::{DeriveActiveEnum, EnumIter};

use super::asof;
use crate::{
    audit::{self, AuditEvent, service::snapshot},
    error::AppError,
    portfolio::status::{self, AgreementStatus},
    suppliers, validate,
};

/// The kind of experience behind a listing.
#[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[sea_orm(rename_all = "SCREAMING_SNAKE_CASE")]
#[derive(PartialOrd, Ord)]
pub enum WatchlistCategory {
    WagesAndWorkingConditions,
    PoorWork,
    TaxesAndDuties,
    HealthAndSafety,
    Other,
}

pub const MAX_DESCRIPTION: usize = 4000;
pub const MAX_REPORTED_BY: usize = 200;
pub const MAX_DOCUMENTATION: usize = 4000;
pub const MIN_DOCUMENTATION: usize = 10;

/// Newest listing first. With `include_removed`, every entry ever made; else those active on `as_of`.
pub async fn list(
    conn: &impl ConnectionTrait,
    include_removed: bool,
    as_of: NaiveDate,
) -> Result<Vec<watchlist_entry::Model>, AppError> {
    let mut query = watchlist_entry::Entity::find();
    if !include_removed {
        query = query.filter(asof::active_condition(as_of));
    }
    Ok(query
        .order_by_desc(watchlist_entry::Column::ListedOn)
        .order_by_desc(watchlist_entry::Column::Id)
        .all(conn)
        .await?)
}

pub struct NewEntry {
    /// Already normalised.
    pub org_number: String,
    pub supplier_name: Option<String>,
    pub category: WatchlistCategory,
    pub description: String,
    pub reported_by: String,
    pub listed_on: NaiveDate,
}

/// Lists a supplier, adding it to the register first when it is not there; call in a transaction.
pub async fn add(
    conn: &impl ConnectionTrait,
    actor: &str,
    today: NaiveDate,
    entry: NewEntry,
) -> Result<watchlist_entry::Model, AppError> {
    let description = validate::required_text("description", &entry.description, MAX_DESCRIPTION)?;
    let reported_by = validate::collapse_spaces(&validate::required_text(
        "reportedBy",
        &entry.reported_by,
        MAX_REPORTED_BY,
    )?);
    if entry.listed_on > today {
        return Err(AppError::bad_input(
            "listedOn",
            format!("listedOn ({}) is after today ({today})", entry.listed_on),
        ));
    }
    let supplier = match suppliers::service::find_by_org_number(conn, &entry.org_number).await? {
        Some(s) => s,
        None => {
            let name = entry
                .supplier_name
                .as_deref()
                .filter(|n| !n.trim().is_empty())
                .ok_or_else(|| {
                    AppError::bad_input(
                        "supplierName",
                        format!(
                            "{} is not in the supplier register: give supplierName to add it",
                            entry.org_number
                        ),
                    )
                })?;
            suppliers::service::create(conn, actor, &entry.org_number, name)
                .await
                .map_err(|e| match e {
                    AppError::BadInput { message, .. } => {
                        AppError::bad_input("supplierName", message)
                    }
                    other => other,
                })?
        }
    };
    let model = watchlist_entry::ActiveModel {
        supplier_id: Set(supplier.id),
        category: Set(entry.category.to_value()),
        description: Set(description),
        reported_by: Set(reported_by),
        listed_on: Set(entry.listed_on),
        listed_by: Set(actor.to_string()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        AuditEvent {
            actor,
            action: "add",
            entity: "watchlist_entry",
            entity_id: model.id.to_string(),
            before: None,
            after: Some(snapshot(&model)?),
        },
    )
    .await?;
    Ok(model)
}

/// Strikes an entry off on `removed_on` with its documentation; call in a transaction.
pub async fn remove(
    conn: &impl ConnectionTrait,
    actor: &str,
    today: NaiveDate,
    id: i64,
    removed_on: NaiveDate,
    documentation: &str,
) -> Result<watchlist_entry::Model, AppError> {
    let entry = watchlist_entry::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no watchlist entry with id {id}")))?;
    if let Some(on) = entry.removed_on {
        return Err(AppError::Conflict(format!(
            "this entry was already struck off on {on}"
        )));
    }
    let documentation = validate::required_text("documentation", documentation, MAX_DOCUMENTATION)?;
    let substance = documentation.chars().filter(|c| !c.is_whitespace()).count();
    if substance < MIN_DOCUMENTATION {
        return Err(AppError::bad_input(
            "documentation",
            format!(
                "say what documents the correction: at least {MIN_DOCUMENTATION} characters besides spaces"
            ),
        ));
    }
    if removed_on < entry.listed_on {
        return Err(AppError::bad_input(
            "removedOn",
            format!(
                "removedOn ({removed_on}) is before the listing ({})",
                entry.listed_on
            ),
        ));
    }
    if removed_on > today {
        return Err(AppError::bad_input(
            "removedOn",
            format!("removedOn ({removed_on}) is after today ({today})"),
        ));
    }
    // `removed_on IS NULL` in the WHERE clause: of two people striking the same entry off at
    // once, one wins and the other gets the CONFLICT.
    let result = watchlist_entry::Entity::update_many()
        .col_expr(watchlist_entry::Column::RemovedOn, Expr::value(removed_on))
        .col_expr(
            watchlist_entry::Column::RemovalDocumentation,
            Expr::value(documentation),
        )
        .col_expr(
            watchlist_entry::Column::RemovedBy,
            Expr::value(actor.to_string()),
        )
        .filter(watchlist_entry::Column::Id.eq(id))
        .filter(watchlist_entry::Column::RemovedOn.is_null())
        .exec(conn)
        .await?;
    if result.rows_affected != 1 {
        return Err(AppError::Conflict(
            "this entry was struck off by someone else just now".into(),
        ));
    }
    let updated = watchlist_entry::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("watchlist entry {id} vanished")))?;
    audit::record(
        conn,
        AuditEvent {
            actor,
            action: "remove",
            entity: "watchlist_entry",
            entity_id: id.to_string(),
            before: Some(snapshot(&entry)?),
            after: Some(snapshot(&updated)?),
        },
    )
    .await?;
    Ok(updated)
}

/// What a buyer needs before signing: listed on `day` and why (categories), and the
/// supplier's agreements active on that day.
pub struct StatusOn {
    pub supplier: Option<supplier::Model>,
    pub categories: Vec<WatchlistCategory>,
    pub active_agreements: Vec<agreement::Model>,
}

pub async fn status_on(
    conn: &impl ConnectionTrait,
    org_number: &str,
    day: NaiveDate,
) -> Result<StatusOn, AppError> {
    let Some(supplier) = suppliers::service::find_by_org_number(conn, org_number).await? else {
        return Ok(StatusOn {
            supplier: None,
            categories: Vec::new(),
            active_agreements: Vec::new(),
        });
    };
    let stored: Vec<String> = watchlist_entry::Entity::find()
        .select_only()
        .column(watchlist_entry::Column::Category)
        .distinct()
        .filter(watchlist_entry::Column::SupplierId.eq(supplier.id))
        .filter(asof::active_condition(day))
        .into_tuple()
        .all(conn)
        .await?;
    let mut categories = stored
        .iter()
        .map(|c| WatchlistCategory::from_stored(c))
        .collect::<Result<Vec<_>, _>>()?;
    categories.sort();
    let on_agreements = agreement_supplier::Entity::find()
        .select_only()
        .column(agreement_supplier::Column::AgreementId)
        .filter(agreement_supplier::Column::SupplierId.eq(supplier.id))
        .into_query();
    let active_agreements = agreement::Entity::find()
        .filter(agreement::Column::Id.in_subquery(on_agreements))
        .filter(status::condition(AgreementStatus::Active, day))
        .order_by_asc(agreement::Column::Reference)
        .all(conn)
        .await?;
    Ok(StatusOn {
        supplier: Some(supplier),
        categories,
        active_agreements,
    })
}
