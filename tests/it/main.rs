//! The integration tests, one binary (one link step) with a module per area. Each starts the
//! real server on a free port over a fresh SQLite file and, when PostgreSQL is installed, a
//! throwaway PostgreSQL database (see `common`).

mod common;

mod cli;
mod exports;
mod foundation;
mod hardening;
mod hmsreg;
mod portfolio;
mod schema_sync;
mod statements;
mod tenders;
mod watchlist;
