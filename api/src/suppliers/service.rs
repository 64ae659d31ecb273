//! Reading and writing the supplier register.

use chrono::{NaiveDate, Utc};
use entity::{supplier, watchlist_entry};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};

use crate::{audit, error::AppError, graphql::pagination::PageRequest, validate, watchlist::asof};

pub const MAX_NAME: usize = 300;

pub async fn find_by_org_number(
    conn: &impl ConnectionTrait,
    org_number: &str,
) -> Result<Option<supplier::Model>, AppError> {
    Ok(supplier::Entity::find()
        .filter(supplier::Column::OrgNumber.eq(org_number))
        .one(conn)
        .await?)
}

/// Adds a supplier; `org_number` must already be normalised. Writes its audit event on `conn`.
pub async fn create(
    conn: &impl ConnectionTrait,
    actor: &str,
    org_number: &str,
    name: &str,
) -> Result<supplier::Model, AppError> {
    let name = validate::collapse_spaces(&validate::required_text("name", name, MAX_NAME)?);
    if find_by_org_number(conn, org_number).await?.is_some() {
        return Err(AppError::bad_input(
            "orgNumber",
            format!("a supplier with organisation number {org_number} is already in the register"),
        ));
    }
    let model = supplier::ActiveModel {
        org_number: Set(org_number.to_string()),
        search_key: Set(validate::search_key(&name)),
        name: Set(name),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::created(conn, actor, "supplier", model.id, &model).await?;
    Ok(model)
}

#[derive(Default)]
pub struct SupplierQuery {
    pub search: Option<String>,
    pub watchlisted: Option<bool>,
}

/// Suppliers by name, narrowed by a search in name or org number and by the watchlist today.
pub async fn list(
    conn: &impl ConnectionTrait,
    filter: &SupplierQuery,
    page: PageRequest,
    today: NaiveDate,
) -> Result<(Option<u64>, Vec<supplier::Model>), AppError> {
    let mut query = supplier::Entity::find();
    if let Some(term) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let digits: String = term.chars().filter(|c| !c.is_whitespace()).collect();
        let mut any = Condition::any()
            .add(supplier::Column::SearchKey.like(validate::contains_pattern(term)));
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            any = any.add(supplier::Column::OrgNumber.like(format!("%{digits}%")));
        }
        query = query.filter(any);
    }
    if let Some(watchlisted) = filter.watchlisted {
        let listed = watchlist_entry::Entity::find()
            .select_only()
            .column(watchlist_entry::Column::SupplierId)
            .filter(asof::active_condition(today))
            .into_query();
        query = if watchlisted {
            query.filter(supplier::Column::Id.in_subquery(listed))
        } else {
            query.filter(supplier::Column::Id.not_in_subquery(listed))
        };
    }
    let total = match page.count_total {
        true => Some(query.clone().count(conn).await?),
        false => None,
    };
    let rows = query
        .order_by_asc(supplier::Column::SearchKey)
        .order_by_asc(supplier::Column::Id)
        .offset(page.offset)
        .limit(page.fetch_limit())
        .all(conn)
        .await?;
    Ok((total, rows))
}
