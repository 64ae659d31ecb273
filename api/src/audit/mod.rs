//! The audit trail: every mutation records who changed what, in its own transaction.

pub mod graphql;
pub mod service;

pub use service::{AuditEvent, created, record};
