//! HMSREG hours and the skilled-worker and apprentice shares.

pub mod fixtures;
pub mod graphql;
pub mod import;
pub mod query;
pub mod shares;

// The paths the rest of the crate and the integration tests name: the import moved into
// `import`, and these keep them working.
/// What a file holds and the issues found in it, under the name the import first had.
pub use import as parse;
pub use import::{reader, replacement, service};
