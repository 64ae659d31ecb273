//! Builds the GraphQL schema from the slices; `sdl()` for export and the drift test.

use std::sync::Arc;

use async_graphql::{
    EmptySubscription, MergedObject, OutputType, Schema, SchemaBuilder, registry::Registry,
};
use sea_orm::DatabaseConnection;

use crate::{
    agencies::graphql::{AgencyMutations, AgencyQueries},
    audit::graphql::AuditQuery,
    config::Limits,
    goals::graphql::GoalQueries,
    graphql::{
        limits::{QueryGate, QueryLimits},
        viewer::ViewerQuery,
    },
    hmsreg::{
        graphql::{HmsregMutations, HmsregQueries},
        service::HmsregConfig,
    },
    portfolio::graphql::{PortfolioMutations, PortfolioQueries},
    suppliers::graphql::{SupplierMutations, SupplierQueries},
    tenders::{
        catalogue::Catalogue,
        graphql::{StoredTenderMutations, StoredTenderQueries, TenderMutations, TenderQueries},
    },
    watchlist::graphql::{WatchlistMutations, WatchlistQueries},
};

#[derive(MergedObject, Default)]
pub struct Query(
    ViewerQuery,
    PortfolioQueries,
    SupplierQueries,
    WatchlistQueries,
    HmsregQueries,
    TenderQueries,
    StoredTenderQueries,
    AuditQuery,
    AgencyQueries,
    GoalQueries,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    PortfolioMutations,
    SupplierMutations,
    WatchlistMutations,
    HmsregMutations,
    TenderMutations,
    StoredTenderMutations,
    AgencyMutations,
);

pub type AppSchema = Schema<Query, Mutation, EmptySubscription>;

pub(crate) fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
}

/// The schema the server runs, with its storage and limits.
pub fn build(
    db: DatabaseConnection,
    limits: &Limits,
    hmsreg: HmsregConfig,
    catalogue: Arc<Catalogue>,
) -> AppSchema {
    builder()
        .data(db)
        .data(limits.clone())
        .data(hmsreg)
        .data(catalogue)
        .finish()
}

/// The query limits the handler checks each request against (see `graphql::limits`).
pub fn gate(limits: &Limits) -> QueryGate {
    QueryGate::new(
        Arc::new(registry()),
        QueryLimits {
            max_depth: limits.query_depth,
            max_complexity: limits.query_complexity as u64,
            default_page_size: limits.default_page_size,
        },
    )
}

/// The schema's types, as the executor knows them, for the query limits. async-graphql keeps
/// the schema's own registry to itself; every type it holds is reachable from the two roots,
/// and registering them again gives the same fields, arguments and lists. The introspection
/// types are not in it: the limits know those by the specification's names.
pub fn registry() -> Registry {
    let mut registry = Registry {
        query_type: Query::type_name().into_owned(),
        mutation_type: Some(Mutation::type_name().into_owned()),
        ..Default::default()
    };
    Query::create_type_info(&mut registry);
    Mutation::create_type_info(&mut registry);
    registry
}

/// The schema's SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    builder().finish().sdl()
}
