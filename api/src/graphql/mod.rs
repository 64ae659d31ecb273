//! GraphQL pieces every slice shares: scalars, Relay pagination, query limits, error codes.

pub mod enums;
pub mod errors;
pub mod limits;
pub mod loaders;
pub mod nodes;
pub mod pagination;
pub mod scalars;
pub mod viewer;

use async_graphql::ID;

use crate::error::AppError;

/// Our IDs are row numbers; anything else cannot name a record.
pub fn parse_id(id: &ID) -> Option<i64> {
    id.parse::<i64>().ok().filter(|n| *n > 0)
}

/// Like [`parse_id`], for an ID that must refer to an existing record of some kind.
pub fn require_id(field: &str, id: &ID) -> Result<i64, AppError> {
    parse_id(id).ok_or_else(|| {
        AppError::bad_input(
            field,
            format!("'{}' is not an id this API gave out", id.as_str()),
        )
    })
}
