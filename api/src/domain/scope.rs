//! How far a permission reaches for a viewer.

/// All records, or only those of one agency (the token's `agency` claim).
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum Scope {
    All,
    /// Only records of this agency (the token's `agency` claim).
    Agency(String),
}
