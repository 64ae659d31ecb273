//! Writing and reading audit events.

use chrono::Utc;
use entity::audit_event;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Serialize;

use crate::{error::AppError, graphql::pagination::PageRequest};

/// One change, as the caller describes it. `before`/`after` are the record's public fields.
pub struct AuditEvent<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Records `event` on `conn`; pass the mutation's transaction so both land or neither does.
pub async fn record(conn: &impl ConnectionTrait, event: AuditEvent<'_>) -> Result<(), AppError> {
    audit_event::ActiveModel {
        occurred_at: Set(Utc::now()),
        actor: Set(event.actor.to_string()),
        action: Set(event.action.to_string()),
        entity: Set(event.entity.to_string()),
        entity_id: Set(event.entity_id),
        before: Set(event.before),
        after: Set(event.after),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Records that `actor` created `row` (whose id is `id`) on `conn`.
pub async fn created(
    conn: &impl ConnectionTrait,
    actor: &str,
    entity: &str,
    id: i64,
    row: &impl Serialize,
) -> Result<(), AppError> {
    record(
        conn,
        AuditEvent {
            actor,
            action: "create",
            entity,
            entity_id: id.to_string(),
            before: None,
            after: Some(snapshot(row)?),
        },
    )
    .await
}

/// Serialises a record for `before`/`after`; a record that cannot be serialised is a bug.
pub fn snapshot(value: &impl Serialize) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(value).map_err(AppError::internal)
}

#[derive(Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
}

/// Newest first: admins look for what just happened.
pub async fn list(
    conn: &impl ConnectionTrait,
    filter: &AuditFilter,
    page: PageRequest,
) -> Result<(u64, Vec<audit_event::Model>), AppError> {
    let mut query = audit_event::Entity::find();
    if let Some(entity) = &filter.entity {
        query = query.filter(audit_event::Column::Entity.eq(entity.as_str()));
    }
    if let Some(id) = &filter.entity_id {
        query = query.filter(audit_event::Column::EntityId.eq(id.as_str()));
    }
    let total = query.clone().count(conn).await?;
    let rows = query
        .order_by_desc(audit_event::Column::Id)
        .offset(page.offset)
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok((total, rows))
}
