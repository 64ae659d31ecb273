//! Tenders against the climate and labour rules: the rule catalogue (a data file) and the checker.

pub mod catalogue;
pub mod check;
pub mod contracts;

pub mod fixtures;
pub mod followup;
pub mod graphql;
pub mod labour_stats;
pub mod loaders;
pub mod recorded;
pub mod service;
pub mod stats;
pub mod stats_source;
pub mod valid;
