//! GraphQL object types that more than one feature returns, so that no feature has to
//! import another's GraphQL module.

mod agency;
mod agreements;
mod registry;
mod workforce;

pub use agency::Agency;
pub use agreements::{
    Agreement, AgreementArea, AgreementOption, AgreementSupplier, Prefetched, Supplier, Turnover,
};
pub use registry::RegistryStatus;
pub use workforce::WorkforceShare;
