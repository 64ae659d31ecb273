//! The public register (Enhetsregisteret at Brønnøysund): what it says about the suppliers
//! we deal with, read from its bulk download by `samkjop import-brreg` (and the demo data).
//!
//! `scan` streams the file and `entry` checks each entity (both pure of the database);
//! `service` keeps the entries and answers look-ups; `import` runs one import of a file;
//! `loaders` batches the look-ups for GraphQL.

pub mod entry;
pub mod fixtures;
pub mod import;
pub mod loaders;
pub mod scan;
pub mod service;

#[cfg(test)]
mod scan_tests;

pub use entry::Entry;
pub use scan::{FileError, Scan};
