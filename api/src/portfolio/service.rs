//! Reading and writing agreements and their suppliers.

use sea_orm::ActiveEnum as _;

pub use super::{
    areas::{MAX_AREA_NAME, create_area, list_areas},
    turnover::{TURNOVER_YEARS, set_turnover},
};

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use entity::{agreement, agreement_area, agreement_option, agreement_supplier, supplier};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Set, sea_query::Expr,
};
use serde::Serialize;

use super::{
    agreement_options, options, participants,
    status::{self, AgreementStatus},
};
use crate::{
    audit::{self, AuditEvent, service::snapshot},
    domain::kinds::{AgreementKind, ProcurementCategory},
    error::AppError,
    graphql::pagination::PageRequest,
    validate,
};

pub const MAX_REFERENCE: usize = 50;
pub const MAX_TITLE: usize = 300;
pub const MAX_SUPPLIERS: usize = 500;

// ------------------------------------------------------------------ reading agreements

#[derive(Default)]
pub struct AgreementQuery {
    pub status: Option<AgreementStatus>,
    pub area_id: Option<i64>,
    pub category: Option<ProcurementCategory>,
    /// Already normalised.
    pub supplier_org_number: Option<String>,
    pub ends_before: Option<NaiveDate>,
    pub search: Option<String>,
    /// The agency (already resolved) whose usable agreements to list: its own and the open ones.
    pub participant: Option<i64>,
}

pub async fn get(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<agreement::Model>, AppError> {
    Ok(agreement::Entity::find_by_id(id).one(conn).await?)
}

/// Agreements by reference, filtered; statuses are taken on `today`.
pub async fn list(
    conn: &impl ConnectionTrait,
    filter: &AgreementQuery,
    page: PageRequest,
    today: NaiveDate,
) -> Result<(Option<u64>, Vec<agreement::Model>), AppError> {
    let query = filtered(conn, filter, today).await?;
    let total = count_if_asked(conn, &query, page).await?;
    let rows = query
        .order_by_asc(agreement::Column::Reference)
        .offset(page.offset)
        .limit(page.fetch_limit())
        .all(conn)
        .await?;
    Ok((total, rows))
}

/// As [`list`], with each agreement's area joined in the same statement: a page that shows the
/// areas needs no second statement for them.
pub async fn list_with_areas(
    conn: &impl ConnectionTrait,
    filter: &AgreementQuery,
    page: PageRequest,
    today: NaiveDate,
) -> Result<
    (
        Option<u64>,
        Vec<(agreement::Model, Option<agreement_area::Model>)>,
    ),
    AppError,
> {
    let query = filtered(conn, filter, today).await?;
    let total = count_if_asked(conn, &query, page).await?;
    let mut select = query
        .order_by_asc(agreement::Column::Reference)
        .into_query();
    select
        .inner_join(
            agreement_area::Entity,
            // Called by its trait: in scope, ExprTrait's `max` would shadow `Ord::max` below.
            sea_orm::sea_query::ExprTrait::equals(
                Expr::col((agreement_area::Entity, agreement_area::Column::Id)),
                (agreement::Entity, agreement::Column::AreaId),
            ),
        )
        .expr_as(
            Expr::col((agreement_area::Entity, agreement_area::Column::Name)),
            AREA_NAME,
        )
        .expr_as(
            Expr::col((agreement_area::Entity, agreement_area::Column::NameKey)),
            AREA_NAME_KEY,
        )
        .expr_as(
            Expr::col((agreement_area::Entity, agreement_area::Column::CreatedAt)),
            AREA_CREATED_AT,
        );
    // The page's size and start as numbers in the text, not bound values: with `LIMIT $1` the
    // planner cannot tell a page of 51 from a table of 2,000, so PostgreSQL planned the
    // statement anew on every call (0.13 ms of its 0.26 ms, pg_stat_statements). One text per
    // page size and start is one prepared statement each, planned once per connection.
    let mut statement = conn.get_database_backend().build(&select);
    statement.sql.push_str(&format!(
        " LIMIT {} OFFSET {}",
        page.fetch_limit(),
        page.offset
    ));
    let mut rows = Vec::new();
    for row in conn.query_all_raw(statement).await? {
        let agreement = agreement::Model::from_query_result(&row, "")?;
        // The area by its columns' own names: sea-orm's joined decoding (`select_also`) builds
        // a prefixed name for every column of every row, a tenth of the page's CPU.
        let area = agreement_area::Model {
            id: agreement.area_id,
            name: row.try_get("", AREA_NAME)?,
            name_key: row.try_get("", AREA_NAME_KEY)?,
            created_at: row.try_get("", AREA_CREATED_AT)?,
        };
        rows.push((agreement, Some(area)));
    }
    Ok((total, rows))
}

/// Names of the joined area's columns beside the agreement's (none of the agreement's own).
const AREA_NAME: &str = "joined_area_name";
const AREA_NAME_KEY: &str = "joined_area_name_key";
const AREA_CREATED_AT: &str = "joined_area_created_at";

/// The count behind `totalCount`, only when the selection asks for it.
async fn count_if_asked(
    conn: &impl ConnectionTrait,
    query: &Select<agreement::Entity>,
    page: PageRequest,
) -> Result<Option<u64>, AppError> {
    Ok(match page.count_total {
        true => Some(query.clone().count(conn).await?),
        false => None,
    })
}

/// The agreements `filter` selects, unordered.
async fn filtered(
    conn: &impl ConnectionTrait,
    filter: &AgreementQuery,
    today: NaiveDate,
) -> Result<Select<agreement::Entity>, AppError> {
    let mut cond = Condition::all();
    if let Some(s) = filter.status {
        cond = cond.add(status::condition(s, today));
    }
    if let Some(area) = filter.area_id {
        cond = cond.add(agreement::Column::AreaId.eq(area));
    }
    if let Some(category) = filter.category {
        cond = cond.add(agreement::Column::Category.eq(category.to_value()));
    }
    if let Some(day) = filter.ends_before {
        cond = cond.add(agreement::Column::EndsOn.lt(day));
    }
    if let Some(term) = filter.search.as_deref().filter(|t| !t.trim().is_empty()) {
        cond = cond.add(agreement::Column::SearchKey.like(validate::contains_pattern(term)));
    }
    if let Some(agency_id) = filter.participant {
        cond = cond.add(participants::open_to(agency_id));
    }
    if let Some(org) = &filter.supplier_org_number {
        let supplier_ids = supplier::Entity::find()
            .select_only()
            .column(supplier::Column::Id)
            .filter(supplier::Column::OrgNumber.eq(org.as_str()))
            .into_tuple::<i64>()
            .all(conn)
            .await?;
        let agreement_ids = agreement_supplier::Entity::find()
            .select_only()
            .column(agreement_supplier::Column::AgreementId)
            .filter(agreement_supplier::Column::SupplierId.is_in(supplier_ids))
            .into_query();
        cond = cond.add(agreement::Column::Id.in_subquery(agreement_ids));
    }
    // An empty condition would be `WHERE $n` with `true` bound: PostgreSQL cannot plan a
    // bound truth value once for all calls, so it planned the page's statement again on every
    // request (0.14 ms each, pg_stat_statements).
    Ok(match cond.is_empty() {
        true => agreement::Entity::find(),
        false => agreement::Entity::find().filter(cond),
    })
}

// ------------------------------------------------------------------ writing agreements

/// A supplier named on an agreement input.
pub struct SupplierLink {
    pub org_number: String,
    pub rank: Option<i32>,
}

pub struct NewAgreement {
    pub reference: String,
    pub title: String,
    pub area_id: i64,
    pub kind: AgreementKind,
    pub category: ProcurementCategory,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub max_ends_on: Option<NaiveDate>,
    pub estimated_annual_value: Option<i64>,
    pub suppliers: Vec<SupplierLink>,
    /// Agency names or aliases; none: open to every agency.
    pub participants: Vec<String>,
    /// The months of each option, in the order they are to be used.
    pub options: Vec<i32>,
}

#[derive(Default)]
pub struct AgreementChanges {
    pub title: Option<String>,
    pub ends_on: Option<NaiveDate>,
    pub max_ends_on: Option<NaiveDate>,
    /// `Some(None)` clears the value.
    pub estimated_annual_value: Option<Option<i64>>,
    pub terminated: Option<bool>,
    pub suppliers: Option<Vec<SupplierLink>>,
    /// Replaces the whole list when given; `Some(vec![])` opens the agreement to all.
    pub participants: Option<Vec<String>>,
}

/// `endsOn >= startsOn` and `maxEndsOn >= endsOn`, each naming its field.
pub fn check_dates(
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    max_ends_on: NaiveDate,
) -> Result<(), AppError> {
    if ends_on < starts_on {
        return Err(AppError::bad_input(
            "endsOn",
            format!("endsOn ({ends_on}) is before startsOn ({starts_on})"),
        ));
    }
    if max_ends_on < ends_on {
        return Err(AppError::bad_input(
            "maxEndsOn",
            format!("maxEndsOn ({max_ends_on}) is before endsOn ({ends_on})"),
        ));
    }
    Ok(())
}

fn check_value(value: Option<i64>) -> Result<(), AppError> {
    match value {
        Some(v) if v < 0 => Err(AppError::bad_input(
            "estimatedAnnualValue",
            "must not be negative",
        )),
        _ => Ok(()),
    }
}

/// Checks the supplier list and finds each supplier in the register: (supplier id, rank).
async fn resolve_suppliers(
    conn: &impl ConnectionTrait,
    links: &[SupplierLink],
) -> Result<Vec<(i64, Option<i32>)>, AppError> {
    if links.len() > MAX_SUPPLIERS {
        return Err(AppError::bad_input(
            "suppliers",
            format!("at most {MAX_SUPPLIERS} suppliers per agreement"),
        ));
    }
    let mut seen = HashSet::new();
    let mut numbers = Vec::with_capacity(links.len());
    for (i, link) in links.iter().enumerate() {
        let field = format!("suppliers[{i}].orgNumber");
        let org = validate::org_number(&field, &link.org_number)?;
        if !seen.insert(org.clone()) {
            return Err(AppError::bad_input(field, format!("{org} is listed twice")));
        }
        if link.rank.is_some_and(|r| r < 1) {
            return Err(AppError::bad_input(
                format!("suppliers[{i}].rank"),
                "rank must be 1 or more",
            ));
        }
        numbers.push(org);
    }
    let found: HashMap<String, i64> = supplier::Entity::find()
        .filter(supplier::Column::OrgNumber.is_in(numbers.iter().cloned()))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.org_number, s.id))
        .collect();
    numbers
        .iter()
        .zip(links)
        .enumerate()
        .map(|(i, (org, link))| {
            found.get(org).map(|id| (*id, link.rank)).ok_or_else(|| {
                AppError::bad_input(
                    format!("suppliers[{i}].orgNumber"),
                    format!(
                        "no supplier with organisation number {org} in the register: add it first"
                    ),
                )
            })
        })
        .collect()
}

async fn write_suppliers(
    conn: &impl ConnectionTrait,
    agreement_id: i64,
    links: &[(i64, Option<i32>)],
) -> Result<(), AppError> {
    agreement_supplier::Entity::delete_many()
        .filter(agreement_supplier::Column::AgreementId.eq(agreement_id))
        .exec(conn)
        .await?;
    if links.is_empty() {
        return Ok(());
    }
    let rows = links
        .iter()
        .map(|(supplier_id, rank)| agreement_supplier::ActiveModel {
            agreement_id: Set(agreement_id),
            supplier_id: Set(*supplier_id),
            rank: Set(*rank),
        });
    agreement_supplier::Entity::insert_many(rows)
        .exec(conn)
        .await?;
    Ok(())
}

#[derive(Serialize)]
struct AgreementSnapshot<'a> {
    agreement: &'a agreement::Model,
    suppliers: &'a [(i64, Option<i32>)],
    /// Agency ids.
    participants: &'a [i64],
    options: &'a [agreement_option::Model],
}

/// The CONFLICT of a writer whose `expected` version is no longer the agreement's `current`.
pub(super) fn stale(current: i32, expected: i32) -> AppError {
    AppError::Conflict(format!(
        "the agreement has changed since you read it (it is at version {current}, you sent {expected}): reload it and try again"
    ))
}

async fn current_links(
    conn: &impl ConnectionTrait,
    agreement_id: i64,
) -> Result<Vec<(i64, Option<i32>)>, AppError> {
    Ok(agreement_supplier::Entity::find()
        .filter(agreement_supplier::Column::AgreementId.eq(agreement_id))
        .order_by_asc(agreement_supplier::Column::SupplierId)
        .all(conn)
        .await?
        .into_iter()
        .map(|l| (l.supplier_id, l.rank))
        .collect())
}

async fn reference_taken(conn: &impl ConnectionTrait, reference: &str) -> Result<bool, AppError> {
    Ok(agreement::Entity::find()
        .filter(agreement::Column::Reference.eq(reference))
        .count(conn)
        .await?
        > 0)
}

/// Creates an agreement with its suppliers; call inside a transaction.
pub async fn create(
    conn: &impl ConnectionTrait,
    actor: &str,
    input: NewAgreement,
) -> Result<agreement::Model, AppError> {
    let reference = validate::required_text("reference", &input.reference, MAX_REFERENCE)?;
    let title =
        validate::collapse_spaces(&validate::required_text("title", &input.title, MAX_TITLE)?);
    let option_months = options::check_months(&input.options)?;
    let max_ends_on = if option_months.is_empty() {
        input.max_ends_on.unwrap_or(input.ends_on)
    } else {
        options::max_ends_on(
            input.ends_on,
            option_months.iter().sum(),
            input.max_ends_on,
            "options",
        )?
    };
    check_dates(input.starts_on, input.ends_on, max_ends_on)?;
    check_value(input.estimated_annual_value)?;
    if agreement_area::Entity::find_by_id(input.area_id)
        .one(conn)
        .await?
        .is_none()
    {
        return Err(AppError::bad_input(
            "areaId",
            "no agreement area with this id",
        ));
    }
    if reference_taken(conn, &reference).await? {
        return Err(AppError::bad_input(
            "reference",
            format!("an agreement with reference '{reference}' already exists"),
        ));
    }
    let links = resolve_suppliers(conn, &input.suppliers).await?;
    let agency_ids = participants::resolve(conn, &input.participants).await?;
    let now = Utc::now();
    let model = agreement::ActiveModel {
        search_key: Set(validate::search_key(&format!("{reference} {title}"))),
        reference: Set(reference),
        title: Set(title),
        area_id: Set(input.area_id),
        kind: Set(input.kind.to_value()),
        category: Set(input.category.to_value()),
        starts_on: Set(input.starts_on),
        ends_on: Set(input.ends_on),
        max_ends_on: Set(max_ends_on),
        estimated_annual_value: Set(input.estimated_annual_value),
        terminated: Set(false),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    write_suppliers(conn, model.id, &links).await?;
    participants::write(conn, model.id, &agency_ids).await?;
    let option_rows = agreement_options::insert(conn, model.id, &option_months).await?;
    let after = snapshot(&AgreementSnapshot {
        agreement: &model,
        suppliers: &links,
        participants: &agency_ids,
        options: &option_rows,
    })?;
    audit::record(
        conn,
        AuditEvent {
            actor,
            action: "create",
            entity: "agreement",
            entity_id: model.id.to_string(),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    Ok(model)
}

/// Applies `changes` if the agreement is still at `expected_version`; call inside a transaction.
pub async fn update(
    conn: &impl ConnectionTrait,
    actor: &str,
    id: i64,
    expected_version: i32,
    changes: AgreementChanges,
) -> Result<agreement::Model, AppError> {
    let current = get(conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no agreement with id {id}")))?;
    if current.version != expected_version {
        return Err(stale(current.version, expected_version));
    }
    let before_links = current_links(conn, id).await?;
    let before_participants = participants::of(conn, id).await?;
    let option_rows = agreement_options::of(conn, id).await?;
    let title = match &changes.title {
        Some(t) => validate::collapse_spaces(&validate::required_text("title", t, MAX_TITLE)?),
        None => current.title.clone(),
    };
    let ends_on = changes.ends_on.unwrap_or(current.ends_on);
    let max_ends_on = if option_rows.is_empty() {
        // Without a new maxEndsOn, options keep their last date, but never end before the
        // agreement.
        changes
            .max_ends_on
            .unwrap_or(current.max_ends_on.max(ends_on))
    } else {
        // Stored options say how far the agreement can run, whatever endsOn becomes.
        let unused = options::unused_months(&agreement_options::terms(&option_rows));
        options::max_ends_on(ends_on, unused, changes.max_ends_on, "endsOn")?
    };
    check_dates(current.starts_on, ends_on, max_ends_on)?;
    let value = changes
        .estimated_annual_value
        .unwrap_or(current.estimated_annual_value);
    check_value(value)?;
    let links = match &changes.suppliers {
        Some(links) => Some(resolve_suppliers(conn, links).await?),
        None => None,
    };
    let agency_ids = match &changes.participants {
        Some(texts) => Some(participants::resolve(conn, texts).await?),
        None => None,
    };
    let new_version = current.version + 1;
    // The version in the WHERE clause makes the check and the write one step: of two
    // concurrent writers with the same version, exactly one gets a row.
    let result = agreement::Entity::update_many()
        .col_expr(agreement::Column::Title, Expr::value(title.clone()))
        .col_expr(
            agreement::Column::SearchKey,
            Expr::value(validate::search_key(&format!(
                "{} {title}",
                current.reference
            ))),
        )
        .col_expr(agreement::Column::EndsOn, Expr::value(ends_on))
        .col_expr(agreement::Column::MaxEndsOn, Expr::value(max_ends_on))
        .col_expr(agreement::Column::EstimatedAnnualValue, Expr::value(value))
        .col_expr(
            agreement::Column::Terminated,
            Expr::value(changes.terminated.unwrap_or(current.terminated)),
        )
        .col_expr(agreement::Column::Version, Expr::value(new_version))
        .col_expr(agreement::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(agreement::Column::Id.eq(id))
        .filter(agreement::Column::Version.eq(expected_version))
        .exec(conn)
        .await?;
    if result.rows_affected != 1 {
        return Err(stale(current.version, expected_version));
    }
    if let Some(links) = &links {
        write_suppliers(conn, id, links).await?;
    }
    if let Some(ids) = &agency_ids {
        participants::write(conn, id, ids).await?;
    }
    let updated = get(conn, id).await?.ok_or_else(|| {
        AppError::internal(anyhow::anyhow!("agreement {id} vanished during update"))
    })?;
    let after_links = links.unwrap_or_else(|| before_links.clone());
    let after_participants = agency_ids.unwrap_or_else(|| before_participants.clone());
    audit::record(
        conn,
        AuditEvent {
            actor,
            action: "update",
            entity: "agreement",
            entity_id: id.to_string(),
            before: Some(snapshot(&AgreementSnapshot {
                agreement: &current,
                suppliers: &before_links,
                participants: &before_participants,
                options: &option_rows,
            })?),
            after: Some(snapshot(&AgreementSnapshot {
                agreement: &updated,
                suppliers: &after_links,
                participants: &after_participants,
                options: &option_rows,
            })?),
        },
    )
    .await?;
    Ok(updated)
}

#[cfg(test)]
#[path = "service_tests.rs"]
mod tests;
