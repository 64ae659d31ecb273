//! Costs worked out by hand against the real schema.

use std::sync::Mutex;

use super::*;
use async_graphql::{
    ServerResult,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery},
    parser::types::ExecutableDocument,
};

const LIMITS: QueryLimits = QueryLimits {
    max_depth: 12,
    max_complexity: 20_000,
    default_page_size: 50,
};

/// What a walk answered, and how many selections it visited.
type Walked = (Result<u64, Refused>, u64);

/// The cost (or refusal) of `query`, and how many selections the walk visited, against the
/// registry the server's gate uses.
fn walked(limits: QueryLimits, query: &str, variables: serde_json::Value) -> Walked {
    static REGISTRY: std::sync::LazyLock<Registry> =
        std::sync::LazyLock::new(crate::schema::registry);
    let document = async_graphql::parser::parse_query(query)
        .unwrap_or_else(|e| panic!("the query did not parse: {e}"));
    walk(
        &document,
        &REGISTRY,
        &Variables::from_json(variables),
        &limits,
    )
}

/// A field as the limits see it: (type, field, its type, its arguments).
type FieldShape = (String, String, String, Vec<String>);

/// Every field of a registry outside introspection.
fn fields_of(registry: &Registry) -> Vec<FieldShape> {
    let mut out = Vec::new();
    for (name, ty) in &registry.types {
        if name.starts_with("__") {
            continue;
        }
        for (field, meta) in ty.fields().into_iter().flatten() {
            if field.starts_with("__") || field.starts_with('_') {
                continue;
            }
            let mut args: Vec<String> = meta
                .args
                .iter()
                .map(|(n, a)| format!("{n}: {}", a.ty))
                .collect();
            args.sort();
            out.push((name.clone(), field.clone(), meta.ty.clone(), args));
        }
    }
    out.sort();
    out
}

/// Captures the executing schema's own registry, which async-graphql shows only to extensions.
struct Probe {
    seen: Arc<Mutex<Vec<FieldShape>>>,
}

impl ExtensionFactory for Probe {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Probe {
            seen: self.seen.clone(),
        })
    }
}

#[async_trait::async_trait]
impl Extension for Probe {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        *self.seen.lock().unwrap() = fields_of(&ctx.schema_env.registry);
        next.run(ctx, query, variables).await
    }
}

#[test]
fn the_gate_knows_every_field_the_schema_executes() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let schema = crate::schema::builder()
        .extension(Probe { seen: seen.clone() })
        .finish();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(schema.execute("{ __typename }"));
    let executed = seen.lock().unwrap().clone();
    // Registering again also leaves the merged objects' parts (`PortfolioQueries`, ...), which
    // the schema drops as unreachable; the gate never reaches them either.
    let types: std::collections::HashSet<&String> = executed.iter().map(|f| &f.0).collect();
    let gate: Vec<_> = fields_of(&crate::schema::registry())
        .into_iter()
        .filter(|f| types.contains(&f.0))
        .collect();
    assert!(executed.len() > 250, "{} fields", executed.len());
    assert_eq!(gate, executed);
}

fn cost_with(
    limits: QueryLimits,
    query: &str,
    variables: serde_json::Value,
) -> Result<u64, Refused> {
    walked(limits, query, variables).0
}

fn cost(query: &str) -> Result<u64, Refused> {
    cost_with(LIMITS, query, serde_json::json!({}))
}

#[test]
fn scalar_fields_cost_one_each() {
    // viewer (1) + subject (1) + roles (1: a list of scalars has nothing below it).
    assert_eq!(cost("{ viewer { subject roles } }"), Ok(3));
    assert_eq!(cost("{ __typename viewer { __typename } }"), Ok(3));
}

#[test]
fn a_connection_costs_its_page_times_its_children() {
    // agreements 1 + 20 x (edges 1 + 1 x (node 1 + 1 x (reference 1 + title 1))) = 1 + 20 x 4.
    assert_eq!(
        cost("{ agreements(first: 20) { edges { node { reference title } } } }"),
        Ok(81)
    );
    // Without `first`, the default page size of 50: 1 + 50 x 4.
    assert_eq!(
        cost("{ agreements { edges { node { reference title } } } }"),
        Ok(201)
    );
    // From a variable: 1 + 7 x 4.
    assert_eq!(
        cost_with(
            LIMITS,
            "query($n: Int) { agreements(first: $n) { edges { node { reference title } } } }",
            serde_json::json!({ "n": 7 })
        ),
        Ok(29)
    );
    // totalCount is one field, not a page: 1 + 20 x 1.
    assert_eq!(cost("{ agreements(first: 20) { totalCount } }"), Ok(21));
}

#[test]
fn unpaginated_lists_cost_their_documented_estimate() {
    // agreementAreas is a root list: 1 + 500 x (name 1).
    assert_eq!(cost("{ agreementAreas { name } }"), Ok(501));
    // Nested: agreements(first: 2) 1 + 2 x (nodes 1 + 1 x (suppliers 1 + 10 x (rank 1))).
    assert_eq!(
        cost("{ agreements(first: 2) { nodes { suppliers { rank } } } }"),
        Ok(1 + 2 * (1 + 1 + 10))
    );
}

#[test]
fn fragments_are_expanded_and_typed() {
    assert_eq!(
        cost(
            "{ agreements(first: 20) { edges { node { ...A } } } } fragment A on Agreement { reference title }"
        ),
        Ok(81)
    );
    assert_eq!(
        cost(
            "{ agreements(first: 20) { edges { node { ... on Agreement { reference title } } } } }"
        ),
        Ok(81)
    );
}

#[test]
fn the_list_bomb_of_the_report_is_refused() {
    // 20 aliases of agreements(first: 500) with suppliers, their agreements and so on.
    let mut inner = String::from("reference");
    for _ in 0..3 {
        inner = format!("suppliers {{ supplier {{ agreements {{ {inner} }} }} }}");
    }
    let aliases: String = (0..20)
        .map(|i| format!("a{i}: agreements(first: 500) {{ nodes {{ {inner} }} }} "))
        .collect();
    assert_eq!(
        cost(&format!("{{ {aliases} }}")),
        Err(Refused::Complexity(20_000))
    );
}

#[test]
fn doubling_fragments_are_refused_without_expanding_them() {
    // Each level spreads the next twice: 2^25 selections if expanded.
    let mut doc = String::from("{ ...F0 }\n");
    for i in 0..25 {
        doc.push_str(&format!(
            "fragment F{i} on Query {{ __typename ...F{n} ...F{n} }}\n",
            n = i + 1
        ));
    }
    doc.push_str("fragment F25 on Query { __typename }\n");
    let (result, visited) = walked(LIMITS, &doc, serde_json::json!({}));
    assert_eq!(result, Err(Refused::Complexity(20_000)));
    // The walk gave up as soon as it passed the limit, instead of visiting 2^25 selections.
    assert_eq!(visited, 20_001);
}

#[test]
fn introspection_counts_and_is_bounded() {
    // __schema 1 + queryType 1 + name 1: counted, not skipped.
    assert_eq!(cost("{ __schema { queryType { name } } }"), Ok(3));
    assert_eq!(
        cost("{ a: __schema { queryType { name } } b: __schema { queryType { name } } }"),
        Err(Refused::IntrospectionCount)
    );
    assert_eq!(
        cost("{ __schema { queryType { name } } __type(name: \"Query\") { name } }"),
        Err(Refused::IntrospectionCount)
    );
    // types > fields > type > fields > type > fields: four lists on one path.
    assert_eq!(
        cost("{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"),
        Err(Refused::IntrospectionDepth)
    );
}

#[test]
fn graphiql_introspection_passes_the_default_limits() {
    let defaults = QueryLimits {
        max_depth: 12,
        max_complexity: crate::config::Limits::default().query_complexity as u64,
        default_page_size: 50,
    };
    let cost = cost_with(defaults, INTROSPECTION, serde_json::json!({})).unwrap();
    assert!(cost < 1000, "{cost}");
}

#[test]
fn depth_counts_data_fields() {
    let mut query = String::from("subject");
    for _ in 0..12 {
        query = format!("viewer {{ {query} }}");
    }
    assert_eq!(cost(&format!("{{ {query} }}")), Err(Refused::Depth(13, 12)));
}

/// graphql-js 16's `getIntrospectionQuery()`, as GraphiQL sends it (the HTTP test sends it too).
const INTROSPECTION: &str = include_str!("../../../fixtures/graphql/introspection.graphql");

#[test]
fn the_portfolio_page_costs_what_the_readme_says() {
    // 1 + 50 x (totalCount 1 + nodes (1 + reference 1 + area 2 + suppliers (1 + 10 x (rank 1
    // + supplier (1 + name 1 + watchlisted 1))))) = 1 + 50 x 46.
    assert_eq!(
        cost(
            "{ agreements(first: 50) { totalCount nodes { reference area { name } suppliers { rank supplier { name watchlisted } } } } }"
        ),
        Ok(2_301)
    );
}
