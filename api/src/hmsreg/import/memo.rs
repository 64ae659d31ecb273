//! Remembers what each distinct cell text was worked out to be, so it is worked out once.
//!
//! Exports repeat the same few values a million times: each distinct key is kept once, in
//! [`Texts`], and named by its place there, so a row looks its texts up and allocates nothing.

use foldhash::HashMap;
use indexmap::IndexSet;

use super::cells::Category;

/// Distinct texts, each kept once and named by its index (the order they were first met).
/// Two ids are equal exactly when their texts are.
#[derive(Default)]
pub(super) struct Texts(IndexSet<String, foldhash::fast::RandomState>);

impl Texts {
    pub fn id(&mut self, text: &str) -> usize {
        match self.0.get_index_of(text) {
            Some(id) => id,
            None => self.0.insert_full(text.to_string()).0,
        }
    }

    pub fn text(&self, id: usize) -> &str {
        self.0.get_index(id).map_or("", String::as_str)
    }
}

#[derive(Default)]
pub(super) struct Memo {
    /// The keys of agencies, contracts and trades, and the org numbers' normal forms.
    pub texts: Texts,
    /// The workers' keyed hashes: two spellings of one card get one id.
    pub hashes: Texts,
    /// Raw cell text -> the id of its key in `texts`, so a million rows naming ten
    /// contracts normalise each name once.
    pub names: HashMap<String, usize>,
    pub categories: HashMap<String, Option<Category>>,
    /// An org number's text -> the id of its normal form, or why it is not one.
    pub org_numbers: HashMap<String, Result<usize, String>>,
    /// The same for an org number given as a number cell, by its integer value.
    pub org_values: HashMap<i64, Result<usize, String>>,
    /// A worker id -> the id of its keyed hash in `hashes`.
    pub workers: HashMap<String, usize>,
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
