//! GraphQL pieces every slice shares: scalars, Relay pagination, query limits, error codes.

pub mod errors;
pub mod limits;
pub mod pagination;
pub mod scalars;
pub mod viewer;
