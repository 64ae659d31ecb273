//! The integration tests, one binary (one link step) with a module per area. Each starts the
//! real server on a free port over a fresh SQLite file and, when PostgreSQL is installed, a
//! throwaway PostgreSQL database (see `common`).

// A failed unwrap is a failed test here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod agencies;
mod browser;
mod cli;
mod exports;
mod followup;
mod foundation;
mod goals;
mod hardening;
mod hmsreg;
mod http_spec;
mod migrations;
mod options;
mod participants;
mod portfolio;
mod registry;
mod rollup;
mod schema_sync;
mod statements;
mod tenders;
mod trades;
mod verdicts;
mod watchlist;
