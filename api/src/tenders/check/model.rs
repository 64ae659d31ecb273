//! What the checker reads and writes: a tender with its requirements and exemptions, and findings.

use chrono::NaiveDate;
use sea_orm::{DeriveActiveEnum, EnumIter};

use crate::domain::kinds::ProcurementCategory;

/// A requirement a tender declares.
// Serialised as in the API: recorded checks store the firm ones so.
#[derive(
    async_graphql::Enum,
    Copy,
    Clone,
    Debug,
    Eq,
    PartialEq,
    EnumIter,
    DeriveActiveEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[sea_orm(rename_all = "SCREAMING_SNAKE_CASE")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RequirementCode {
    ZeroEmissionTransport,
    BiogasTransport,
    FossilFreeSite,
    ZeroEmissionMachines,
    EmissionFreeHeatingDrying,
    ClimateAwardWeight,
    Apprentices,
    SkilledWorkers,
    HmsregRegistration,
    SubcontractorChainLimit,
}

/// How a requirement binds: minimum requirement and contract clause are "firm".
#[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[sea_orm(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RequirementForm {
    MinimumRequirement,
    ContractClause,
    AwardCriterion,
}

/// The risk of labour crime in the delivery.
#[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[sea_orm(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

// Serialised as in the API (`NOT_APPLICABLE`): recorded checks store it so.
#[derive(
    async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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

impl Verdict {
    /// As the API writes it, and as recorded checks store it.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Compliant => "COMPLIANT",
            Verdict::NonCompliant => "NON_COMPLIANT",
        }
    }

    pub fn parse(text: &str) -> Option<Verdict> {
        [Verdict::Compliant, Verdict::NonCompliant]
            .into_iter()
            .find(|v| v.as_str() == text)
    }
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
