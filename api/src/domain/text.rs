//! How names are kept and compared.

/// Characters that make two names look the same or a blank name look filled in: controls
/// other than line breaks and tabs, zero-width, direction and soft-hyphen characters.
fn is_invisible(c: char) -> bool {
    (c.is_control() && !c.is_whitespace())
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{FEFF}'
                | '\u{00AD}'
        )
}

/// `value` without invisible characters: they are never stored.
pub fn visible(value: &str) -> String {
    value.chars().filter(|c| !is_invisible(*c)).collect()
}

/// Trimmed, invisible characters removed, inner runs of whitespace collapsed to one space: how
/// names are compared and kept (also names read from HMSREG files).
pub fn collapse_spaces(value: &str) -> String {
    value
        .split_whitespace()
        .map(visible)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
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
    fn invisible_characters_never_reach_a_name() {
        assert_eq!(
            collapse_spaces(" Oslo\u{200B}bygg \u{FEFF} KF\u{0007} "),
            "Oslobygg KF"
        );
        assert_eq!(visible("linje 1\nlinje 2\u{0000}"), "linje 1\nlinje 2");
        assert_eq!(search_key("\u{200D}ØST"), "øst");
    }

    #[test]
    fn norwegian_numbers_become_plain() {
        assert_eq!(decimal_text("1 234,50"), "1234.50");
        assert_eq!(decimal_text("\u{a0}12,5\u{2009}"), "12.5");
        assert_eq!(decimal_text("7"), "7");
    }
}
