//! Query depth and complexity limits that leave introspection alone.
//!
//! async-graphql's own `limit_depth` counts introspection fields too, and GraphiQL's
//! introspection query is about 14 levels deep; so the limits are enforced here on the
//! operation's own fields, skipping `__schema`, `__type` and `__typename`.

use std::{collections::HashMap, sync::Arc};

use async_graphql::{
    ErrorExtensions, Name, Positioned, ServerError, ServerResult, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery},
    parser::types::{
        DocumentOperations, ExecutableDocument, FragmentDefinition, Selection, SelectionSet,
    },
};

#[derive(Clone, Copy, Debug)]
pub struct QueryLimits {
    pub max_depth: usize,
    pub max_complexity: usize,
}

impl ExtensionFactory for QueryLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

#[async_trait::async_trait]
impl Extension for QueryLimits {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let measured = measure(&document);
        if measured.depth > self.max_depth {
            return Err(limit_error(format!(
                "the query is nested {} levels deep; the limit is {}",
                measured.depth, self.max_depth
            )));
        }
        if measured.complexity > self.max_complexity {
            return Err(limit_error(format!(
                "the query asks for {} fields; the limit is {}",
                measured.complexity, self.max_complexity
            )));
        }
        Ok(document)
    }
}

fn limit_error(message: String) -> ServerError {
    async_graphql::Error::new(message)
        .extend_with(|_, e| {
            e.set("code", "BAD_USER_INPUT");
            e.set("field", "query");
        })
        .into_server_error(Default::default())
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Measured {
    pub depth: usize,
    pub complexity: usize,
}

/// Depth and field count of the document's operations, fragments expanded.
pub fn measure(document: &ExecutableDocument) -> Measured {
    let mut walker = Walker {
        fragments: &document.fragments,
        stack: Vec::new(),
        complexity: 0,
    };
    let depth = match &document.operations {
        DocumentOperations::Single(op) => walker.selection_set(&op.node.selection_set.node, 0),
        DocumentOperations::Multiple(ops) => ops
            .values()
            .map(|op| walker.selection_set(&op.node.selection_set.node, 0))
            .max()
            .unwrap_or(0),
    };
    Measured {
        depth,
        complexity: walker.complexity,
    }
}

/// Hard stop for the walk itself, so a hostile document cannot make measuring expensive.
const WALK_BUDGET: usize = 100_000;

struct Walker<'a> {
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    stack: Vec<&'a str>,
    complexity: usize,
}

impl<'a> Walker<'a> {
    /// Returns the depth below `depth` reached by this selection set.
    fn selection_set(&mut self, set: &'a SelectionSet, depth: usize) -> usize {
        let mut deepest = depth;
        for item in &set.items {
            if self.complexity > WALK_BUDGET {
                break;
            }
            let reached = match &item.node {
                Selection::Field(field) => {
                    if field.node.name.node.starts_with("__") {
                        continue;
                    }
                    self.complexity += 1;
                    self.selection_set(&field.node.selection_set.node, depth + 1)
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    // A cycle is rejected by validation later; here it must only not loop.
                    if self.stack.contains(&name) {
                        continue;
                    }
                    let Some(fragment) = self.fragments.get(&spread.node.fragment_name.node) else {
                        continue;
                    };
                    self.stack.push(name);
                    let reached = self.selection_set(&fragment.node.selection_set.node, depth);
                    self.stack.pop();
                    reached
                }
                Selection::InlineFragment(inline) => {
                    self.selection_set(&inline.node.selection_set.node, depth)
                }
            };
            deepest = deepest.max(reached);
        }
        deepest
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn measure_str(q: &str) -> Measured {
        measure(&parse_query(q).unwrap())
    }

    #[test]
    fn counts_depth_and_fields_through_fragments() {
        let m = measure_str("{ a { b { c } } d }");
        assert_eq!(
            m,
            Measured {
                depth: 3,
                complexity: 4
            }
        );
        let m = measure_str("query { a { ...F } } fragment F on T { b { c } }");
        assert_eq!(
            m,
            Measured {
                depth: 3,
                complexity: 3
            }
        );
    }

    #[test]
    fn introspection_is_not_counted() {
        let m = measure_str(
            "{ __schema { types { fields { type { ofType { ofType { name } } } } } } viewer { subject __typename } }",
        );
        assert_eq!(
            m,
            Measured {
                depth: 2,
                complexity: 2
            }
        );
    }

    #[test]
    fn fragment_cycles_terminate() {
        let m = measure_str("{ a { ...F } } fragment F on T { b { ...F } }");
        assert_eq!(m.depth, 2);
    }
}
