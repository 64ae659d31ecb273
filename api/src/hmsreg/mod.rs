//! HMSREG hours and the skilled-worker and apprentice shares.

pub mod graphql;
