//! How far a permission reaches for a viewer.

use super::agency::Agency;

/// All records, or only those of one registered agency (the token's `agency` claim, resolved
/// through the register).
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum Scope {
    All,
    Agency(Agency),
}

/// What the token alone says, before the register is asked: all records, or those of the
/// agency the `agency` claim names.
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum ClaimedScope {
    All,
    Agency(String),
}

impl Scope {
    /// The id of the one agency the scope is limited to; `None` for every agency.
    pub fn agency_id(&self) -> Option<i64> {
        match self {
            Scope::All => None,
            Scope::Agency(a) => Some(a.id),
        }
    }
}
