//! sea-orm entities, one module per table; no GraphQL here.

pub mod agency;
pub mod agency_name;
pub mod agreement;
pub mod agreement_area;
pub mod agreement_option;
pub mod agreement_participant;
pub mod agreement_supplier;
pub mod apprentice_fact;
pub mod audit_event;
pub mod hmsreg_import;
pub mod hmsreg_label;
pub mod hour_fact;
pub mod hour_rollup;
pub mod registry_entry;
pub mod supplier;
pub mod tender;
pub mod tender_check;
pub mod tender_contract;
pub mod tender_exemption;
pub mod tender_requirement;
pub mod turnover;
pub mod watchlist_entry;
