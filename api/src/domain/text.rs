//! How names are kept and compared.

/// Trimmed, inner runs of whitespace collapsed to one space: how names are compared and kept.
pub fn collapse_spaces(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The key names and titles are compared and searched by: collapsed and lower-cased (Unicode).
pub fn search_key(value: &str) -> String {
    collapse_spaces(value).to_lowercase()
}

/// A number as Norwegians type it, made readable for a parser: `"1 234,50"` -> `"1234.50"`
/// (spaces, no-break spaces and thin spaces between thousands go; the decimal comma is a point).
pub fn decimal_text(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norwegian_numbers_become_plain() {
        assert_eq!(decimal_text("1 234,50"), "1234.50");
        assert_eq!(decimal_text("\u{a0}12,5\u{2009}"), "12.5");
        assert_eq!(decimal_text("7"), "7");
    }
}
