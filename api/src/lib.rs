//! samkjop: the application library behind the `samkjop` binary.

pub mod agencies;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod exports;
pub mod fixtures;
pub mod goals;
pub mod graphql;
pub mod hmsreg;
pub mod http;
pub mod portfolio;
pub mod registry;
pub mod schema;
pub mod server;
pub mod suppliers;
pub mod tenders;
pub mod validate;
pub mod watchlist;
pub mod wiring;
