//! The agreement portfolio: areas, agreements, their suppliers and yearly turnover.

pub mod areas;
pub mod fixtures;
pub mod graphql;
pub mod loaders;
pub mod service;
pub mod status;
pub mod summary;
pub mod turnover;
