//! sea-orm entities, one module per table; no GraphQL here.

pub mod agreement;
pub mod agreement_area;
pub mod agreement_supplier;
pub mod audit_event;
pub mod supplier;
pub mod turnover;
pub mod watchlist_entry;
