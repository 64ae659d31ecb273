//! How names are kept and compared.

/// Trimmed, inner runs of whitespace collapsed to one space: how names are compared and kept.
pub fn collapse_spaces(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The key names and titles are compared and searched by: collapsed and lower-cased (Unicode).
pub fn search_key(value: &str) -> String {
    collapse_spaces(value).to_lowercase()
}
