//! Query cost limits, checked once on the parsed document before anything runs.
//!
//! The check runs in the HTTP handler ([`QueryGate::refusal`]), not as an async-graphql
//! extension: a schema with any extension sends every field it resolves through a slower path
//! (a `ResolveInfo` and an extension chain per field), which a page of 50 agreements pays for
//! some two thousand times, while the limits need to look at the query only once.
//!
//! Every selection the executor would visit counts, introspection and expanded fragments
//! included, and a list multiplies the cost of what is selected below it: a connection by its
//! `first` (or the default page size), any other list by a documented estimate. The walk is
//! itself bounded, so a document built to explode (fragments that double at each level) is
//! refused after at most `max_complexity` steps instead of being expanded.

use std::{collections::HashMap, sync::Arc};

use async_graphql::{
    ErrorExtensions, Name, Positioned, Request, ServerError, Value, Variables,
    parser::types::{
        DocumentOperations, ExecutableDocument, Field, FragmentDefinition, OperationDefinition,
        Selection, SelectionSet,
    },
    registry::{MetaTypeName, Registry},
};

/// A list that is not paginated is assumed to hold this many items at the top of a query
/// (agreement areas, the watchlist, share groups)...
pub const ROOT_LIST_ESTIMATE: u64 = 500;
/// ...and this many when nested below another object (an agreement's suppliers, a tender's
/// requirements): the real figures are a handful.
pub const NESTED_LIST_ESTIMATE: u64 = 10;
/// Lists whose length the rules fix, by field name: the goal table has exactly three
/// indicators. Costing them as any list would refuse a full goal table query.
pub const FIXED_LISTS: &[(&str, u64)] = &[("goalScorecard", 3)];
/// Introspection may nest this deep (GraphiQL's query reaches 14 through `ofType`)...
pub const INTROSPECTION_MAX_DEPTH: usize = 16;
/// ...and pass through at most this many lists on one path (`types` > `fields` > `args`), which
/// stops `types { fields { type { fields { type { fields ...` from multiplying the schema.
pub const INTROSPECTION_MAX_LISTS: usize = 3;
/// The introspection fields that are lists, by the GraphQL specification (section 4.2).
const INTROSPECTION_LISTS: &[&str] = &[
    "types",
    "directives",
    "fields",
    "interfaces",
    "possibleTypes",
    "enumValues",
    "inputFields",
    "args",
    "locations",
];

#[derive(Clone, Copy, Debug)]
pub struct QueryLimits {
    pub max_depth: usize,
    pub max_complexity: u64,
    pub default_page_size: u64,
}

/// The limits with the schema's types, for the handler to check each request against.
pub struct QueryGate {
    registry: Arc<Registry>,
    limits: QueryLimits,
}

impl QueryGate {
    pub fn new(registry: Arc<Registry>, limits: QueryLimits) -> Self {
        Self { registry, limits }
    }

    /// Parses the request's query once and checks it. The parsed document is handed to the
    /// request, so the executor does not parse it again. A query that does not parse is left
    /// to the executor, which reports the syntax error with its position.
    pub fn refusal(&self, request: &mut Request) -> Option<ServerError> {
        let document = async_graphql::parser::parse_query(&request.query).ok()?;
        let checked = check(&document, &self.registry, &request.variables, &self.limits);
        request.set_parsed_query(document);
        let refused = checked.err()?;
        Some(
            async_graphql::Error::new(refused.message())
                .extend_with(|_, e| {
                    e.set("code", "BAD_USER_INPUT");
                    e.set("field", "query");
                    e.set("limit", refused.limit());
                })
                .into_server_error(Default::default()),
        )
    }
}

/// Why a document was refused; `limit()` is the name clients see in `extensions.limit`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the query is nested {0} levels deep; the limit is {1}")]
    Depth(usize, usize),
    #[error(
        "the query would cost more than {0} (each field counts 1, times the size of every list above it)"
    )]
    Complexity(u64),
    #[error("at most one __schema or __type may be asked for in an operation")]
    IntrospectionCount,
    #[error(
        "the introspection query is nested too deep ({INTROSPECTION_MAX_DEPTH} levels, {INTROSPECTION_MAX_LISTS} lists at most)"
    )]
    IntrospectionDepth,
}

impl Refused {
    pub fn limit(&self) -> &'static str {
        match self {
            Refused::Depth(..) => "depth",
            Refused::Complexity(_) => "complexity",
            Refused::IntrospectionCount | Refused::IntrospectionDepth => "introspection",
        }
    }
    fn message(&self) -> String {
        self.to_string()
    }
}

/// The cost of `document`, or why it is refused.
pub fn check(
    document: &ExecutableDocument,
    registry: &Registry,
    variables: &Variables,
    limits: &QueryLimits,
) -> Result<u64, Refused> {
    walk(document, registry, variables, limits).0
}

/// The cost or the refusal, and how many selections the walk visited to find it out.
fn walk(
    document: &ExecutableDocument,
    registry: &Registry,
    variables: &Variables,
    limits: &QueryLimits,
) -> (Result<u64, Refused>, u64) {
    let mut walker = Walker {
        fragments: &document.fragments,
        registry,
        variables,
        limits,
        stack: Vec::new(),
        visits: 0,
        introspections: 0,
    };
    let result = walker.document(document);
    (result, walker.visits)
}

/// Where in the document the walk is.
#[derive(Clone, Copy)]
struct Position<'r> {
    /// The type the selections apply to; `None` when unknown (validation will refuse it).
    ty: Option<&'r str>,
    /// Depth of data fields (introspection fields are not data).
    depth: usize,
    /// Inside `__schema`/`__type`: (depth below it, lists passed).
    introspection: Option<(usize, usize)>,
    root: bool,
}

struct Walker<'a> {
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    registry: &'a Registry,
    variables: &'a Variables,
    limits: &'a QueryLimits,
    stack: Vec<&'a str>,
    /// Selections visited so far: the walk stops once it passes the cost limit, since the
    /// cost is never below the number of visits.
    visits: u64,
    introspections: u32,
}

impl<'a> Walker<'a> {
    /// The cost of every operation in `document`.
    fn document(&mut self, document: &'a ExecutableDocument) -> Result<u64, Refused> {
        let mut total: u64 = 0;
        let operations: Vec<&Positioned<OperationDefinition>> = match &document.operations {
            DocumentOperations::Single(op) => vec![op],
            DocumentOperations::Multiple(ops) => ops.values().collect(),
        };
        for op in operations {
            self.introspections = 0;
            let root = match op.node.ty {
                async_graphql::parser::types::OperationType::Query => {
                    self.registry.query_type.as_str()
                }
                async_graphql::parser::types::OperationType::Mutation => {
                    self.registry.mutation_type.as_deref().unwrap_or("Mutation")
                }
                async_graphql::parser::types::OperationType::Subscription => self
                    .registry
                    .subscription_type
                    .as_deref()
                    .unwrap_or("Subscription"),
            };
            let at = Position {
                ty: Some(root),
                depth: 0,
                introspection: None,
                root: true,
            };
            total = total.saturating_add(self.selection_set(&op.node.selection_set.node, at)?);
            if total > self.limits.max_complexity {
                return Err(Refused::Complexity(self.limits.max_complexity));
            }
        }
        Ok(total)
    }

    fn selection_set(&mut self, set: &'a SelectionSet, at: Position<'a>) -> Result<u64, Refused> {
        let mut cost: u64 = 0;
        for item in &set.items {
            self.visits += 1;
            if self.visits > self.limits.max_complexity {
                return Err(Refused::Complexity(self.limits.max_complexity));
            }
            let part = match &item.node {
                Selection::Field(field) => self.field(&field.node, at)?,
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    // A cycle is refused by validation later; here it must only not loop.
                    if self.stack.contains(&name) {
                        continue;
                    }
                    let Some(fragment) = self.fragments.get(&spread.node.fragment_name.node) else {
                        continue;
                    };
                    self.stack.push(name);
                    let on = Position {
                        ty: Some(fragment.node.type_condition.node.on.node.as_str()),
                        ..at
                    };
                    let part = self.selection_set(&fragment.node.selection_set.node, on);
                    self.stack.pop();
                    part?
                }
                Selection::InlineFragment(inline) => {
                    let ty = match &inline.node.type_condition {
                        Some(cond) => Some(cond.node.on.node.as_str()),
                        None => at.ty,
                    };
                    self.selection_set(&inline.node.selection_set.node, Position { ty, ..at })?
                }
            };
            cost = cost.saturating_add(part);
        }
        Ok(cost)
    }

    fn field(&mut self, field: &'a Field, at: Position<'a>) -> Result<u64, Refused> {
        let name = field.name.node.as_str();
        if name == "__typename" {
            return Ok(1);
        }
        let meta = at
            .ty
            .and_then(|ty| self.registry.types.get(ty))
            .and_then(|t| t.field_by_name(name));
        let child_type = meta.map(|m| MetaTypeName::concrete_typename(&m.ty));
        let is_list = meta.is_some_and(|m| MetaTypeName::create(&m.ty).is_list());

        if name == "__schema" || name == "__type" {
            self.introspections += 1;
            if self.introspections > 1 {
                return Err(Refused::IntrospectionCount);
            }
            let ty = if name == "__schema" {
                "__Schema"
            } else {
                "__Type"
            };
            let below = Position {
                ty: Some(ty),
                introspection: Some((1, 0)),
                root: false,
                ..at
            };
            return Ok(1 + self.selection_set(&field.selection_set.node, below)?);
        }
        if let Some((depth, lists)) = at.introspection {
            // Introspection answers are small and fixed: count each selection once, but bound
            // the shape so that it cannot multiply the schema by itself.
            let lists = lists + usize::from(is_list || INTROSPECTION_LISTS.contains(&name));
            if depth + 1 > INTROSPECTION_MAX_DEPTH || lists > INTROSPECTION_MAX_LISTS {
                return Err(Refused::IntrospectionDepth);
            }
            let below = Position {
                ty: child_type,
                introspection: Some((depth + 1, lists)),
                ..at
            };
            return Ok(1 + self.selection_set(&field.selection_set.node, below)?);
        }

        let depth = at.depth + 1;
        if depth > self.limits.max_depth {
            return Err(Refused::Depth(
                depth.max(self.deepest(&field.selection_set.node, depth)),
                self.limits.max_depth,
            ));
        }
        let multiplier = self.multiplier(
            field,
            at,
            is_list,
            meta.is_some_and(|m| m.args.contains_key("first")),
        );
        let below = Position {
            ty: child_type,
            depth,
            introspection: None,
            root: false,
        };
        let children = self.selection_set(&field.selection_set.node, below)?;
        Ok(1u64.saturating_add(multiplier.saturating_mul(children)))
    }

    /// How many times the selections below `field` will be resolved.
    fn multiplier(&self, field: &Field, at: Position<'_>, is_list: bool, paginated: bool) -> u64 {
        if paginated {
            // Larger than the page size limit is refused by the resolver; cost it at most that.
            return self
                .first(field)
                .unwrap_or(self.limits.default_page_size)
                .max(1);
        }
        if !is_list {
            return 1;
        }
        if let Some((_, n)) = FIXED_LISTS
            .iter()
            .find(|(name, _)| *name == field.name.node.as_str())
        {
            return *n;
        }
        // A connection's edges and nodes are the page its `first` already paid for.
        if at.ty.is_some_and(|t| t.ends_with("Connection")) {
            return 1;
        }
        if at.root {
            ROOT_LIST_ESTIMATE
        } else {
            NESTED_LIST_ESTIMATE
        }
    }

    /// The `first` argument's value, as a literal or a variable.
    fn first(&self, field: &Field) -> Option<u64> {
        let value = field.get_argument("first")?;
        let value = value
            .node
            .clone()
            .into_const_with(|name| self.variables.get(&name).cloned().ok_or(()))
            .ok()?;
        match value {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The depth a too-deep branch reaches, for the message; bounded by the visit budget.
    fn deepest(&mut self, set: &'a SelectionSet, depth: usize) -> usize {
        let mut deepest = depth;
        for item in &set.items {
            self.visits += 1;
            if self.visits > self.limits.max_complexity {
                break;
            }
            let reached = match &item.node {
                Selection::Field(f) => self.deepest(&f.node.selection_set.node, depth + 1),
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    match self.fragments.get(&spread.node.fragment_name.node) {
                        Some(fragment) if !self.stack.contains(&name) => {
                            self.stack.push(name);
                            let d = self.deepest(&fragment.node.selection_set.node, depth);
                            self.stack.pop();
                            d
                        }
                        _ => depth,
                    }
                }
                Selection::InlineFragment(inline) => {
                    self.deepest(&inline.node.selection_set.node, depth)
                }
            };
            deepest = deepest.max(reached);
        }
        deepest
    }
}

#[cfg(test)]
#[path = "limits_tests.rs"]
mod tests;
