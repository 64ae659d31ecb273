//! The agency register: agencies with their aliases, and the one place a written agency name
//! or a buyer's claim becomes an agency (docs/rules.md, Agencies).

pub mod graphql;
pub mod service;
