//! The annual report's goal table (Mål 5): three indicators, each for a year and the two
//! before it, against their targets (docs/rules.md, The annual goal table).

pub mod graphql;
pub mod score;
pub mod service;
