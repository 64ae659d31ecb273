//! The GraphQL input types of tenders and their conversion to the draft the validation reads.

use async_graphql::InputObject;

use crate::{
    domain::kinds::ProcurementCategory,
    error::AppError,
    graphql::scalars::{Date, Decimal},
    tenders::{
        check::{RequirementCode, RequirementForm, RiskLevel, Verdict},
        valid::{self, ExemptionDraft, RequirementDraft, TenderDraft, ValidTender},
    },
};

#[derive(InputObject)]
pub struct TenderRequirementInput {
    pub code: RequirementCode,
    pub form: RequirementForm,
    pub weight_percent: Option<f64>,
    pub max_tiers: Option<i32>,
    /// For ZERO_EMISSION_MACHINES: "excavator", "wheel loader", ...
    pub machine_types: Option<Vec<String>>,
}

#[derive(InputObject)]
pub struct RuleExemptionInput {
    pub rule_id: String,
    /// At least 20 characters.
    pub justification: String,
}

#[derive(InputObject)]
pub struct TenderInput {
    /// Doffin notice id, e.g. 2026-100123.
    pub reference: Option<String>,
    pub title: String,
    pub agency: String,
    pub category: ProcurementCategory,
    /// NOK excluding VAT.
    pub estimated_value: Decimal,
    pub duration_months: i32,
    pub announced_on: Date,
    pub includes_transport: bool,
    pub building_site: bool,
    /// Trades with a particular need for apprentices.
    pub apprentice_trades: bool,
    pub labour_crime_risk: RiskLevel,
    pub requirements: Vec<TenderRequirementInput>,
    pub exemptions: Option<Vec<RuleExemptionInput>>,
}

#[derive(InputObject, Default)]
pub struct TenderFilter {
    /// Case-insensitive.
    pub agency: Option<String>,
    pub announced_from: Option<Date>,
    pub announced_to: Option<Date>,
    pub verdict: Option<Verdict>,
}

impl From<TenderRequirementInput> for RequirementDraft {
    fn from(r: TenderRequirementInput) -> Self {
        Self {
            code: r.code,
            form: r.form,
            weight_percent: r.weight_percent,
            max_tiers: r.max_tiers,
            machine_types: r.machine_types.unwrap_or_default(),
        }
    }
}

impl From<RuleExemptionInput> for ExemptionDraft {
    fn from(e: RuleExemptionInput) -> Self {
        Self {
            rule_id: e.rule_id,
            justification: e.justification,
        }
    }
}

impl From<TenderInput> for TenderDraft {
    fn from(input: TenderInput) -> Self {
        Self {
            reference: input.reference,
            title: input.title,
            agency: input.agency,
            category: input.category,
            estimated_value: input.estimated_value,
            duration_months: input.duration_months,
            announced_on: input.announced_on.0,
            includes_transport: input.includes_transport,
            building_site: input.building_site,
            apprentice_trades: input.apprentice_trades,
            labour_crime_risk: input.labour_crime_risk,
            requirements: input.requirements.into_iter().map(Into::into).collect(),
            exemptions: input
                .exemptions
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
        }
    }
}

/// A tender input checked as every caller's is (see `valid::validate`).
pub fn validate_input(input: TenderInput) -> Result<ValidTender, AppError> {
    valid::validate(input.into())
}
