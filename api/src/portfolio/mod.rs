//! The agreement portfolio: areas, agreements, their suppliers, participants and options, and
//! yearly turnover.

pub mod agreement_options;
pub mod areas;
pub mod fixtures;
pub mod graphql;
pub mod loaders;
pub mod options;
pub mod participants;
pub mod prefetch;
pub mod service;
pub mod status;
pub mod summary;
pub mod turnover;
