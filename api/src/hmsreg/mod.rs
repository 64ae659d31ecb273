//! HMSREG hours and the skilled-worker and apprentice shares.

pub mod agencies;
pub mod contracts;
pub mod fixtures;
pub mod graphql;
mod grouped;
pub mod import;
pub mod query;
pub mod rollup;
pub mod shares;
mod side_by_side;
mod sql;
pub mod trades;

// Short paths for what the rest of the crate and the tests use of the import.
pub use import::{reader, replacement, service};
