//! What the checker reads and writes: a tender with its requirements and exemptions, and findings.

use chrono::NaiveDate;

use crate::{domain::kinds::ProcurementCategory, stored_enum};

stored_enum!(
    /// A requirement a tender declares.
    RequirementCode {
        ZeroEmissionTransport => "ZERO_EMISSION_TRANSPORT",
        BiogasTransport => "BIOGAS_TRANSPORT",
        FossilFreeSite => "FOSSIL_FREE_SITE",
        ZeroEmissionMachines => "ZERO_EMISSION_MACHINES",
        EmissionFreeHeatingDrying => "EMISSION_FREE_HEATING_DRYING",
        ClimateAwardWeight => "CLIMATE_AWARD_WEIGHT",
        Apprentices => "APPRENTICES",
        SkilledWorkers => "SKILLED_WORKERS",
        HmsregRegistration => "HMSREG_REGISTRATION",
        SubcontractorChainLimit => "SUBCONTRACTOR_CHAIN_LIMIT",
    }
);

stored_enum!(
    /// How a requirement binds: minimum requirement and contract clause are "firm".
    RequirementForm {
        MinimumRequirement => "MINIMUM_REQUIREMENT",
        ContractClause => "CONTRACT_CLAUSE",
        AwardCriterion => "AWARD_CRITERION",
    }
);

stored_enum!(
    /// The risk of labour crime in the delivery.
    RiskLevel {
        Low => "LOW",
        Medium => "MEDIUM",
        High => "HIGH",
    }
);

#[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum FindingStatus {
    Satisfied,
    Missing,
    NotApplicable,
    Exempted,
}

#[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum Verdict {
    Compliant,
    NonCompliant,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Requirement {
    pub code: RequirementCode,
    pub form: RequirementForm,
    pub weight_percent: Option<f64>,
    pub max_tiers: Option<i32>,
    pub machine_types: Vec<String>,
}

impl Requirement {
    pub fn firm(&self) -> bool {
        self.form != RequirementForm::AwardCriterion
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Exemption {
    pub rule_id: String,
    pub justification: String,
}

/// What the checker needs of a tender.
#[derive(Clone, Debug, PartialEq)]
pub struct Tender {
    pub category: ProcurementCategory,
    /// Estimated value excluding VAT, in øre.
    pub value: i64,
    pub duration_months: i32,
    pub announced_on: NaiveDate,
    pub includes_transport: bool,
    pub building_site: bool,
    pub apprentice_trades: bool,
    pub risk: RiskLevel,
    pub requirements: Vec<Requirement>,
    pub exemptions: Vec<Exemption>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule_id: &'static str,
    pub title: String,
    pub source: String,
    pub status: FindingStatus,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    pub rules_version: String,
}

/// A justification shorter than this (after trimming) does not exempt a tender from a rule.
pub const MIN_JUSTIFICATION: usize = 20;
