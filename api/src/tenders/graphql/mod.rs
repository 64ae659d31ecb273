//! GraphQL for tenders and the rules: `complianceRules`, `checkTenderDraft`, stored tenders
//! with their checks (computed now and as recorded), and the climate and labour statistics.

mod climate;
mod draft;
mod followup;
mod input;
mod labour;
mod output;
mod stored;

use async_graphql::MergedObject;

pub use climate::{ClimateStats, ClimateStatsQueries, MachineTypeCount};
pub use draft::{TenderMutations, TenderQueries};
pub use followup::{ContractFollowUp, FollowUpFilter, FollowUpQueries};
pub use input::{
    RuleExemptionInput, TenderFilter, TenderInput, TenderRequirementInput, validate_input,
};
pub use labour::{LabourStats, LabourStatsQueries};
pub use output::{
    ComplianceRule, Finding, RuleExemption, StoredTender, TenderCheck, TenderRequirement,
};
pub use stored::{StoredTenderMutations, TenderReadQueries};

/// The stored tenders and their statistics, merged into the one query root the schema knows.
#[derive(MergedObject, Default)]
pub struct StoredTenderQueries(
    TenderReadQueries,
    ClimateStatsQueries,
    LabourStatsQueries,
    FollowUpQueries,
);
