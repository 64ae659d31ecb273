//! Checks on user input that every slice shares; each error names the field.

use crate::error::AppError;

/// Trimmed, not blank once invisible characters are removed, at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, AppError> {
    let cleaned = visible(value);
    let trimmed = cleaned.trim();
    if trimmed.is_empty() {
        return Err(AppError::bad_input(
            field,
            format!("{field} must not be blank"),
        ));
    }
    let len = trimmed.chars().count();
    if len > max {
        return Err(AppError::bad_input(
            field,
            format!("{field} is {len} characters long; at most {max} are allowed"),
        ));
    }
    Ok(trimmed.to_string())
}

/// Like [`required_text`], but an absent or blank value is `None`.
pub fn optional_text(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, AppError> {
    let cleaned = value.map(visible);
    match cleaned.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => required_text(field, v, max).map(Some),
    }
}

/// Longest search text accepted in a list filter.
pub const MAX_SEARCH: usize = 200;

/// A list filter's search text: absent or blank is no search; too long is BAD_USER_INPUT.
pub fn search_term(field: &str, value: Option<String>) -> Result<Option<String>, AppError> {
    optional_text(field, value.as_deref(), MAX_SEARCH)
}

pub use crate::domain::text::{collapse_spaces, search_key, visible};

/// A `LIKE` pattern matching `term` anywhere, with `%`, `_` and `\` in the term taken literally.
pub fn contains_pattern(term: &str) -> String {
    let mut pattern = String::from("%");
    for c in search_key(term).chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The organisation number in `value`, or BAD_USER_INPUT on `field`.
pub fn org_number(field: &str, value: &str) -> Result<String, AppError> {
    crate::domain::orgnr::normalize(value).map_err(|e| AppError::bad_input(field, e.to_string()))
}

/// The first failure of `value`'s derived checks (`validator`), taking its fields in `order`
/// (their Rust names), as BAD_USER_INPUT on `prefix` + the field's API (camelCase) name.
/// `validator` reports a map; the order keeps "the first bad field wins" true.
pub fn derived(
    value: &impl validator::Validate,
    order: &[&str],
    prefix: &str,
) -> Result<(), AppError> {
    let Err(errors) = value.validate() else {
        return Ok(());
    };
    let fields = errors.field_errors();
    let found = order
        .iter()
        .find_map(|name| {
            fields
                .get(*name)
                .and_then(|e| e.first())
                .map(|e| (*name, e))
        })
        .or_else(|| {
            fields
                .iter()
                .find_map(|(name, e)| e.first().map(|e| (name.as_ref(), e)))
        });
    let Some((name, error)) = found else {
        return Err(AppError::internal(anyhow::anyhow!(
            "validation failed without a field"
        )));
    };
    let message = error
        .message
        .as_deref()
        .map_or_else(|| format!("{} is not valid", camel(name)), str::to_string);
    Err(AppError::bad_input(
        format!("{prefix}{}", camel(name)),
        message,
    ))
}

/// `max_tiers` -> `maxTiers`.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_limited() {
        assert_eq!(
            required_text("title", "  Renhold  ", 10).unwrap(),
            "Renhold"
        );
        assert!(required_text("title", "   ", 10).is_err());
        assert!(required_text("title", "ååååååååååå", 10).is_err());
        assert_eq!(
            required_text("title", "åååååååååå", 10)
                .unwrap()
                .chars()
                .count(),
            10
        );
        assert_eq!(optional_text("x", Some("  "), 5).unwrap(), None);
    }

    #[test]
    fn derived_checks_name_the_first_field_in_order() {
        #[derive(validator::Validate)]
        struct Input {
            #[validate(range(min = 1, message = "too few"))]
            max_tiers: i32,
            #[validate(length(max = 1, message = "too many"))]
            machine_types: Vec<u8>,
        }
        let both = Input {
            max_tiers: 0,
            machine_types: vec![1, 2],
        };
        let e = derived(&both, &["machine_types", "max_tiers"], "requirements[2].").unwrap_err();
        assert!(matches!(e, AppError::BadInput { ref field, ref message }
            if field == "requirements[2].machineTypes" && message == "too many"));
        let e = derived(&both, &["max_tiers", "machine_types"], "").unwrap_err();
        assert!(matches!(e, AppError::BadInput { ref field, .. } if field == "maxTiers"));
        assert!(
            derived(
                &Input {
                    max_tiers: 1,
                    machine_types: vec![]
                },
                &[],
                ""
            )
            .is_ok()
        );
    }

    #[test]
    fn invisible_characters_are_removed_and_do_not_fill_a_name() {
        assert!(required_text("name", "\u{200B}\u{FEFF} \u{0007}", 10).is_err());
        assert_eq!(
            required_text("name", "Ren\u{0000}hold\u{200D}\n", 10).unwrap(),
            "Renhold"
        );
        assert_eq!(optional_text("x", Some("\u{2060}"), 5).unwrap(), None);
    }

    #[test]
    fn search_keys_fold_case_beyond_ascii() {
        assert_eq!(search_key("  Bymiljøetaten   ØST "), "bymiljøetaten øst");
        assert_eq!(contains_pattern("50%_Ø"), "%50\\%\\_ø%");
    }
}
