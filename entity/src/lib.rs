//! sea-orm entities, one module per table; no GraphQL here.

pub mod audit_event;
