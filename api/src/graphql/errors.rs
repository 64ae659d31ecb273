//! Gives every error in a response an `extensions.code`, including the ones async-graphql
//! raises itself while parsing and validating a request.

use async_graphql::{Response, Value};

/// Errors without a code come from async-graphql's parsing, validation or argument coercion:
/// the request was at fault, so they are BAD_USER_INPUT, naming the argument where one is named.
pub fn add_missing_codes(response: &mut Response) {
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_some() {
            continue;
        }
        extensions.set("code", "BAD_USER_INPUT");
        if let Some(field) = argument_name(&error.message) {
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
}
