//! Remembers what each distinct cell text was worked out to be, so it is worked out once.
//!
//! Exports repeat the same few values a million times.

use std::collections::HashMap;

use super::cells::Category;

#[derive(Default)]
pub(super) struct Memo {
    /// Raw cell text -> (key, first spelling), so a million rows naming ten contracts
    /// normalise each name once.
    pub names: HashMap<String, (String, String)>,
    pub categories: HashMap<String, Option<Category>>,
    /// An org number's text -> its normal form, or why it is not one.
    pub org_numbers: HashMap<String, Result<String, String>>,
    /// A worker id -> its keyed hash.
    pub workers: HashMap<String, String>,
}

/// `f(text)`, worked out once per distinct `text`.
pub(super) fn cached<T: Clone>(
    cache: &mut HashMap<String, T>,
    text: &str,
    f: impl FnOnce(&str) -> T,
) -> T {
    if let Some(v) = cache.get(text) {
        return v.clone();
    }
    let v = f(text);
    cache.insert(text.to_string(), v.clone());
    v
}
