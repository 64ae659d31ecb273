//! Gives every error in a response an `extensions.code`, including the ones async-graphql
//! raises itself while parsing and validating a request.

use async_graphql::{Response, Value};
use serde_json::Value as Json;

/// Errors without a code come from async-graphql's parsing, validation or argument coercion:
/// the request was at fault, so they are BAD_USER_INPUT, naming the field where it can be found.
pub fn add_missing_codes(response: &mut Response, variables: &Json) {
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_some() {
            continue;
        }
        extensions.set("code", "BAD_USER_INPUT");
        let field =
            argument_name(&error.message).or_else(|| variable_path(&error.message, variables));
        if let Some(field) = field {
            extensions.set("field", Value::String(field));
        }
    }
}

/// `Invalid value for argument "input.endsOn", ...` -> `endsOn`: the same name our own
/// validation uses, which leaves out the `input` wrapper.
fn argument_name(message: &str) -> Option<String> {
    let rest = message.split_once("argument \"")?.1;
    let name = rest.split_once('"')?.0;
    let name = name.strip_prefix("input.").unwrap_or(name);
    (!name.is_empty()).then(|| name.to_string())
}

/// For a bad value sent in a variable, async-graphql names only the type. Our scalars quote
/// the value they refused (`'2026-02-30' is not a date`), so the field is where that value sits
/// in the variables: `{"input": {"startsOn": "2026-02-30"}}` -> `startsOn`.
fn variable_path(message: &str, variables: &Json) -> Option<String> {
    let quoted = message.split_once('\'')?.1.split_once('\'')?.0;
    let Json::Object(vars) = variables else {
        return None;
    };
    vars.iter().find_map(|(name, value)| match value {
        Json::Object(_) | Json::Array(_) => find(value, quoted, String::new()),
        Json::String(s) if s == quoted => Some(name.clone()),
        _ => None,
    })
}

fn find(value: &Json, needle: &str, path: String) -> Option<String> {
    match value {
        Json::String(s) if s == needle => Some(path),
        Json::Object(map) => map.iter().find_map(|(k, v)| {
            let next = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            find(v, needle, next)
        }),
        Json::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find(v, needle, format!("{path}[{i}]"))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_argument_in_async_graphql_messages() {
        assert_eq!(
            argument_name("Invalid value for argument \"input.endsOn\", expected type \"Date\""),
            Some("endsOn".to_string())
        );
        assert_eq!(
            argument_name("Unknown field \"x\" on type \"Query\"."),
            None
        );
    }

    #[test]
    fn finds_a_refused_value_in_the_variables() {
        let vars = serde_json::json!({
            "i": { "title": "x", "startsOn": "2026-02-30", "suppliers": [{ "orgNumber": "1" }, { "amount": "abc" }] },
            "removedOn": "31.12.2025"
        });
        let msg = |v: &str| {
            format!("Failed to parse \"Date\": '{v}' is not a date (occurred while parsing \"X\")")
        };
        assert_eq!(
            variable_path(&msg("2026-02-30"), &vars),
            Some("startsOn".into())
        );
        assert_eq!(
            variable_path(&msg("abc"), &vars),
            Some("suppliers[1].amount".into())
        );
        assert_eq!(
            variable_path(&msg("31.12.2025"), &vars),
            Some("removedOn".into())
        );
        assert_eq!(variable_path(&msg("nowhere"), &vars), None);
    }
}
