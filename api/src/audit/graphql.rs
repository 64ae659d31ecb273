//! `Query.auditEvents`: the audit trail, for administrators.

use async_graphql::{Context, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::service::{self, AuditFilter};
use crate::{
    auth::{self, Permission},
    config::Limits,
    error::GqlResult,
    graphql::pagination::{Page, PageRequest, page},
};

/// One recorded change.
#[derive(SimpleObject)]
pub struct AuditEvent {
    pub id: String,
    pub occurred_at: DateTime<Utc>,
    /// The token subject that made the change.
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<Json<serde_json::Value>>,
    pub after: Option<Json<serde_json::Value>>,
}

impl From<entity::audit_event::Model> for AuditEvent {
    fn from(m: entity::audit_event::Model) -> Self {
        Self {
            id: m.id.to_string(),
            occurred_at: m.occurred_at,
            actor: m.actor,
            action: m.action,
            entity: m.entity,
            entity_id: m.entity_id,
            before: m.before.map(Json),
            after: m.after.map(Json),
        }
    }
}

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The audit trail, newest first (ADMIN only). Narrow it to one entity type or one record.
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        entity: Option<String>,
        entity_id: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Page<AuditEvent>> {
        auth::require(ctx, Permission::ReadAuditTrail)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let request = PageRequest::new(first, after.as_deref(), ctx.data_unchecked::<Limits>())?;
        let filter = AuditFilter { entity, entity_id };
        let (total, rows) = service::list(db, &filter, request).await?;
        Ok(page(
            request,
            Some(total),
            rows.into_iter().map(AuditEvent::from).collect(),
        ))
    }
}
