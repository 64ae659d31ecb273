//! A tender as given (by the API or fixtures), validated into the `ValidTender` a service stores.

use async_graphql::InputObject;
use validator::Validate;

use super::{
    catalogue::RuleId,
    check::{
        Exemption, MIN_JUSTIFICATION, Requirement, RequirementCode, RequirementForm, RiskLevel,
        Tender,
    },
};
use crate::{
    domain::kinds::ProcurementCategory,
    error::AppError,
    graphql::scalars::{Date, Decimal},
    validate,
};

const MAX_EXEMPTIONS: usize = RuleId::ALL.len();

// The tender as given, by a buyer through the API or by a fixture file (one type, so that
// both are validated and told the same; a doc comment here would change the schema).
#[derive(InputObject, Validate)]
pub struct TenderRequirementInput {
    pub code: RequirementCode,
    pub form: RequirementForm,
    #[validate(range(
        min = 0.0,
        max = 100.0,
        message = "weightPercent must be between 0 and 100"
    ))]
    pub weight_percent: Option<f64>,
    #[validate(range(min = 0, message = "maxTiers must not be negative"))]
    pub max_tiers: Option<i32>,
    /// For ZERO_EMISSION_MACHINES: "excavator", "wheel loader", ...
    #[validate(length(max = 30, message = "at most 30 machine types"))]
    pub machine_types: Option<Vec<String>>,
}

#[derive(InputObject)]
pub struct RuleExemptionInput {
    pub rule_id: String,
    /// At least 20 characters.
    pub justification: String,
}

#[derive(InputObject, Validate)]
pub struct TenderInput {
    /// Doffin notice id, e.g. 2026-100123.
    pub reference: Option<String>,
    pub title: String,
    pub agency: String,
    pub category: ProcurementCategory,
    /// NOK excluding VAT.
    pub estimated_value: Decimal,
    #[validate(range(
        min = 1,
        max = 600,
        message = "durationMonths must be between 1 and 600"
    ))]
    pub duration_months: i32,
    pub announced_on: Date,
    pub includes_transport: bool,
    pub building_site: bool,
    /// Trades with a particular need for apprentices.
    pub apprentice_trades: bool,
    pub labour_crime_risk: RiskLevel,
    pub requirements: Vec<TenderRequirementInput>,
    pub exemptions: Option<Vec<RuleExemptionInput>>,
    /// The contracts the tender led to, as HMSREG's contract column writes them.
    pub contract_numbers: Option<Vec<String>>,
}

/// The order `TenderInput`'s own checks are reported in (the first bad field wins).
const TENDER_CHECKS: &[&str] = &["duration_months"];
/// Lists are counted here: `validator` would need the items to be serialisable to count them.
const MAX_REQUIREMENTS: usize = 50;
/// And a requirement's.
const REQUIREMENT_CHECKS: &[&str] = &["weight_percent", "max_tiers", "machine_types"];

/// A checked tender input: every validation of docs/rules.md, each naming its field.
pub struct ValidTender {
    pub reference: Option<String>,
    pub title: String,
    pub agency: String,
    pub tender: Tender,
    pub contract_numbers: Vec<String>,
}

/// Validates in field order, so the first error a buyer sees is the first bad field.
pub fn validate(draft: TenderInput) -> Result<ValidTender, AppError> {
    let title = validate::collapse_spaces(&validate::required_text("title", &draft.title, 300)?);
    let agency = validate::collapse_spaces(&validate::required_text("agency", &draft.agency, 200)?);
    let reference = validate::optional_text("reference", draft.reference.as_deref(), 50)?;
    let value = draft.estimated_value.to_hundredths("estimatedValue")?;
    if value < 0 {
        return Err(AppError::bad_input(
            "estimatedValue",
            "the estimated value must not be negative",
        ));
    }
    validate::derived(&draft, TENDER_CHECKS, "")?;
    let requirements = requirements(draft.requirements)?;
    let exemptions = exemptions(draft.exemptions.unwrap_or_default())?;
    let contract_numbers = super::contracts::clean(draft.contract_numbers)?;
    Ok(ValidTender {
        reference,
        title,
        agency,
        contract_numbers,
        tender: Tender {
            category: draft.category,
            value,
            duration_months: draft.duration_months,
            announced_on: draft.announced_on.0,
            includes_transport: draft.includes_transport,
            building_site: draft.building_site,
            apprentice_trades: draft.apprentice_trades,
            risk: draft.labour_crime_risk,
            requirements,
            exemptions,
        },
    })
}

fn requirements(drafts: Vec<TenderRequirementInput>) -> Result<Vec<Requirement>, AppError> {
    if drafts.len() > MAX_REQUIREMENTS {
        return Err(AppError::bad_input(
            "requirements",
            format!("at most {MAX_REQUIREMENTS} requirements"),
        ));
    }
    drafts
        .into_iter()
        .enumerate()
        .map(|(i, r)| requirement(i, r))
        .collect()
}

fn requirement(i: usize, r: TenderRequirementInput) -> Result<Requirement, AppError> {
    validate::derived(&r, REQUIREMENT_CHECKS, &format!("requirements[{i}]."))?;
    let given = r.machine_types.unwrap_or_default();
    let machine_types = given
        .iter()
        .map(|m| {
            validate::required_text(&format!("requirements[{i}].machineTypes"), m, 100)
                .map(|m| validate::search_key(&m))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Requirement {
        code: r.code,
        form: r.form,
        weight_percent: r.weight_percent,
        max_tiers: r.max_tiers,
        machine_types,
    })
}

fn exemptions(drafts: Vec<RuleExemptionInput>) -> Result<Vec<Exemption>, AppError> {
    if drafts.len() > MAX_EXEMPTIONS {
        return Err(AppError::bad_input(
            "exemptions",
            format!("at most {MAX_EXEMPTIONS} exemptions, one per rule"),
        ));
    }
    drafts
        .into_iter()
        .enumerate()
        .map(|(i, e)| exemption(i, e))
        .collect()
}

fn exemption(i: usize, e: RuleExemptionInput) -> Result<Exemption, AppError> {
    let id = e.rule_id.trim();
    if RuleId::parse(id).is_none() {
        return Err(AppError::bad_input(
            format!("exemptions[{i}].ruleId"),
            format!("'{id}' is not a rule id: see complianceRules"),
        ));
    }
    let justification = validate::required_text(
        &format!("exemptions[{i}].justification"),
        &e.justification,
        4000,
    )?;
    if justification.chars().count() < MIN_JUSTIFICATION {
        return Err(AppError::bad_input(
            format!("exemptions[{i}].justification"),
            format!("justify the exemption in at least {MIN_JUSTIFICATION} characters"),
        ));
    }
    Ok(Exemption {
        rule_id: id.to_string(),
        justification,
    })
}
