//! Keeping the register's entries, and reading them back.

use std::collections::HashSet;

use chrono::NaiveDate;
use entity::{hour_fact, registry_entry, supplier};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set, sea_query::SelectStatement,
};
use serde_json::json;

use super::scan::Scan;
use crate::{
    audit::{self, AuditEvent},
    error::AppError,
};

/// Rows per INSERT: 7 values each, well under both databases' bind limits.
const INSERT_CHUNK: usize = 1_000;

/// The organisation numbers whose register entries we keep: the supplier register's and
/// those in imported HMSREG hours.
pub async fn wanted(conn: &impl ConnectionTrait) -> Result<HashSet<String>, AppError> {
    let mut numbers: HashSet<String> = supplier::Entity::find()
        .select_only()
        .column(supplier::Column::OrgNumber)
        .into_tuple::<String>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let in_hours: Vec<String> = hour_fact::Entity::find()
        .select_only()
        .column(hour_fact::Column::OrgNumber)
        .distinct()
        .into_tuple()
        .all(conn)
        .await?;
    numbers.extend(in_hours);
    Ok(numbers)
}

/// What an import kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub entities: u64,
    pub kept: usize,
    pub flagged: usize,
    /// Entries of the previous run that were replaced.
    pub replaced: u64,
    pub checked_on: NaiveDate,
}

/// Replaces every kept entry with `scan`'s, checked on `checked_on`, with its audit event.
/// Call it inside the import's transaction: a failure leaves the previous entries whole.
pub async fn replace(
    txn: &impl ConnectionTrait,
    actor: &str,
    file_name: &str,
    checked_on: NaiveDate,
    scan: &Scan,
) -> Result<Stored, AppError> {
    // Two imports at once would each delete and insert; the second must wait for the first.
    crate::db::lock_imports(txn).await?;
    let replaced = registry_entry::Entity::find().count(txn).await?;
    let previous = last_checked_on(txn).await?;
    registry_entry::Entity::delete_many().exec(txn).await?;
    let rows: Vec<registry_entry::ActiveModel> = scan
        .kept
        .values()
        .map(|e| registry_entry::ActiveModel {
            org_number: Set(e.org_number.clone()),
            name: Set(e.name.clone()),
            bankrupt: Set(e.bankrupt),
            being_wound_up: Set(e.being_wound_up),
            forced_dissolution: Set(e.forced_dissolution),
            deleted_on: Set(e.deleted_on),
            checked_on: Set(checked_on),
        })
        .collect();
    for chunk in rows.chunks(INSERT_CHUNK) {
        registry_entry::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    let stored = Stored {
        entities: scan.entities,
        kept: scan.kept.len(),
        flagged: scan.kept.values().filter(|e| e.flagged()).count(),
        replaced,
        checked_on,
    };
    audit::record(
        txn,
        AuditEvent {
            actor,
            action: "import",
            entity: "registry",
            entity_id: checked_on.to_string(),
            before: Some(json!({ "entries": replaced, "checkedOn": previous })),
            after: Some(json!({
                "file": file_name,
                "gzip": scan.gzip,
                "entities": stored.entities,
                "entries": stored.kept,
                "flagged": stored.flagged,
                "checkedOn": checked_on,
            })),
        },
    )
    .await?;
    Ok(stored)
}

/// The day the entries kept now were read; `None` before the first import.
pub async fn last_checked_on(conn: &impl ConnectionTrait) -> Result<Option<NaiveDate>, AppError> {
    Ok(registry_entry::Entity::find()
        .select_only()
        .column(registry_entry::Column::CheckedOn)
        .order_by_desc(registry_entry::Column::CheckedOn)
        .into_tuple::<NaiveDate>()
        .one(conn)
        .await?)
}

/// Whether any entry is kept (the demo data loads the register only into an empty one).
pub async fn is_empty(conn: &impl ConnectionTrait) -> Result<bool, AppError> {
    Ok(registry_entry::Entity::find().count(conn).await? == 0)
}

/// Bankrupt, being wound up (by the owners or by force), or deleted.
pub fn flagged_condition() -> Condition {
    Condition::any()
        .add(registry_entry::Column::Bankrupt.eq(true))
        .add(registry_entry::Column::BeingWoundUp.eq(true))
        .add(registry_entry::Column::ForcedDissolution.eq(true))
        .add(registry_entry::Column::DeletedOn.is_not_null())
}

/// The organisation numbers the register flags (see [`flagged_condition`]), as a subquery.
pub fn flagged_numbers() -> SelectStatement {
    registry_entry::Entity::find()
        .select_only()
        .column(registry_entry::Column::OrgNumber)
        .filter(flagged_condition())
        .into_query()
}

/// The entry for one number; `None` when the last file did not list it.
pub async fn find(
    conn: &impl ConnectionTrait,
    org_number: &str,
) -> Result<Option<registry_entry::Model>, AppError> {
    Ok(registry_entry::Entity::find_by_id(org_number.to_string())
        .one(conn)
        .await?)
}
