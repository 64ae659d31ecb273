//! Tenders against the climate and labour rules: the rule catalogue (a data file) and the checker.

pub mod catalogue;
pub mod check;
pub mod contracts;

pub mod fixtures;
pub mod followup;
pub mod graphql;
pub mod service;
pub mod stats;
pub mod valid;
