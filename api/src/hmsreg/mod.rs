//! HMSREG hours and the skilled-worker and apprentice shares.

pub mod fixtures;
#[cfg(test)]
mod fuzz_tests;
pub mod graphql;
pub mod parse;
pub mod query;
pub mod reader;
pub mod replacement;
pub mod service;
pub mod shares;
mod xls_check;
