//! Builds the GraphQL schema from the slices; `sdl()` for export and the drift test.

use async_graphql::{EmptyMutation, EmptySubscription, MergedObject, Schema};
use sea_orm::DatabaseConnection;

use crate::{
    audit::graphql::AuditQuery, config::Limits, graphql::limits::QueryLimits,
    graphql::viewer::ViewerQuery,
};

#[derive(MergedObject, Default)]
pub struct Query(ViewerQuery, AuditQuery);

pub type AppSchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// The schema the server runs, with its storage and limits.
pub fn build(db: DatabaseConnection, limits: &Limits) -> AppSchema {
    Schema::build(Query::default(), EmptyMutation, EmptySubscription)
        .extension(QueryLimits {
            max_depth: limits.query_depth,
            max_complexity: limits.query_complexity,
        })
        .data(db)
        .data(limits.clone())
        .finish()
}

/// The schema's SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query::default(), EmptyMutation, EmptySubscription)
        .finish()
        .sdl()
}
