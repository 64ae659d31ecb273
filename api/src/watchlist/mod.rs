//! The supplier watchlist, with its full history and as-of answers.

pub mod asof;
pub mod graphql;
pub mod loaders;
pub mod service;
