//! GraphQL for the rules: `complianceRules(asOf)` and `checkTenderDraft`.

use std::sync::Arc;

use async_graphql::{Context, InputObject, Object, SimpleObject};

use super::{
    catalogue::{Catalogue, RuleId},
    check::{
        self, Exemption, FindingStatus, MIN_JUSTIFICATION, Requirement, RequirementCode,
        RequirementForm, RiskLevel, Tender, Verdict,
    },
};
use crate::{
    auth::{self, Permission},
    clock,
    error::{AppError, GqlResult},
    graphql::scalars::{Date, Decimal},
    portfolio::kinds::ProcurementCategory,
    validate,
};

#[derive(SimpleObject)]
pub struct ComplianceRule {
    pub id: String,
    pub title: String,
    pub source: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub description: String,
}

#[derive(SimpleObject)]
pub struct Finding {
    pub rule_id: String,
    pub title: String,
    pub source: String,
    pub status: FindingStatus,
    /// What applies and why, and what to add.
    pub message: String,
}

#[derive(SimpleObject)]
pub struct TenderCheck {
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    /// The catalogue version the check was made with.
    pub rules_version: String,
}

impl From<check::Check> for TenderCheck {
    fn from(c: check::Check) -> Self {
        Self {
            verdict: c.verdict,
            findings: c
                .findings
                .into_iter()
                .map(|f| Finding {
                    rule_id: f.rule_id.to_string(),
                    title: f.title,
                    source: f.source,
                    status: f.status,
                    message: f.message,
                })
                .collect(),
            rules_version: c.rules_version,
        }
    }
}

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

const MAX_REQUIREMENTS: usize = 50;
const MAX_EXEMPTIONS: usize = RuleId::ALL.len();
const MAX_MACHINE_TYPES: usize = 30;

/// A checked tender input: every validation of rules.md, each naming its field.
pub struct ValidTender {
    pub reference: Option<String>,
    pub title: String,
    pub agency: String,
    pub tender: Tender,
}

pub fn validate_input(input: TenderInput) -> Result<ValidTender, AppError> {
    let title = validate::collapse_spaces(&validate::required_text("title", &input.title, 300)?);
    let agency = validate::collapse_spaces(&validate::required_text("agency", &input.agency, 200)?);
    let reference = validate::optional_text("reference", input.reference.as_deref(), 50)?;
    let value = input.estimated_value.to_hundredths("estimatedValue")?;
    if value < 0 {
        return Err(AppError::bad_input(
            "estimatedValue",
            "the estimated value must not be negative",
        ));
    }
    if !(1..=600).contains(&input.duration_months) {
        return Err(AppError::bad_input(
            "durationMonths",
            "durationMonths must be between 1 and 600",
        ));
    }
    if input.requirements.len() > MAX_REQUIREMENTS {
        return Err(AppError::bad_input(
            "requirements",
            format!("at most {MAX_REQUIREMENTS} requirements"),
        ));
    }
    let mut requirements = Vec::with_capacity(input.requirements.len());
    for (i, r) in input.requirements.into_iter().enumerate() {
        if r.weight_percent
            .is_some_and(|w| !(0.0..=100.0).contains(&w))
        {
            return Err(AppError::bad_input(
                format!("requirements[{i}].weightPercent"),
                "weightPercent must be between 0 and 100",
            ));
        }
        if r.max_tiers.is_some_and(|m| m < 0) {
            return Err(AppError::bad_input(
                format!("requirements[{i}].maxTiers"),
                "maxTiers must not be negative",
            ));
        }
        let types = r.machine_types.unwrap_or_default();
        if types.len() > MAX_MACHINE_TYPES {
            return Err(AppError::bad_input(
                format!("requirements[{i}].machineTypes"),
                format!("at most {MAX_MACHINE_TYPES} machine types"),
            ));
        }
        let machine_types = types
            .iter()
            .map(|m| {
                validate::required_text(&format!("requirements[{i}].machineTypes"), m, 100)
                    .map(|m| validate::search_key(&m))
            })
            .collect::<Result<Vec<_>, _>>()?;
        requirements.push(Requirement {
            code: r.code,
            form: r.form,
            weight_percent: r.weight_percent,
            max_tiers: r.max_tiers,
            machine_types,
        });
    }
    let exemptions_in = input.exemptions.unwrap_or_default();
    if exemptions_in.len() > MAX_EXEMPTIONS {
        return Err(AppError::bad_input(
            "exemptions",
            format!("at most {MAX_EXEMPTIONS} exemptions, one per rule"),
        ));
    }
    let mut exemptions = Vec::with_capacity(exemptions_in.len());
    for (i, e) in exemptions_in.into_iter().enumerate() {
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
        exemptions.push(Exemption {
            rule_id: id.to_string(),
            justification,
        });
    }
    Ok(ValidTender {
        reference,
        title,
        agency,
        tender: Tender {
            category: input.category,
            value,
            duration_months: input.duration_months,
            announced_on: input.announced_on.0,
            includes_transport: input.includes_transport,
            building_site: input.building_site,
            apprentice_trades: input.apprentice_trades,
            risk: input.labour_crime_risk,
            requirements,
            exemptions,
        },
    })
}

#[derive(Default)]
pub struct TenderQueries;

#[Object]
impl TenderQueries {
    /// The rules in force on asOf (default today), in the order checks list them.
    async fn compliance_rules(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> GqlResult<Vec<ComplianceRule>> {
        auth::viewer(ctx)?;
        let day = as_of.map_or_else(clock::today, |d| d.0);
        let catalogue = ctx.data_unchecked::<Arc<Catalogue>>();
        Ok(catalogue
            .rules
            .iter()
            .filter_map(|rule| {
                rule.version_on(day).map(|v| ComplianceRule {
                    id: rule.id.as_str().to_string(),
                    title: rule.title.clone(),
                    source: rule.source.clone(),
                    valid_from: Date(v.valid_from),
                    valid_to: v.valid_to.map(Date),
                    description: rule.description.clone(),
                })
            })
            .collect())
    }
}

#[derive(Default)]
pub struct TenderMutations;

#[Object]
impl TenderMutations {
    /// Checks a tender that is not saved: what applies, what is in place, what to add.
    async fn check_tender_draft(
        &self,
        ctx: &Context<'_>,
        input: TenderInput,
    ) -> GqlResult<TenderCheck> {
        auth::require(ctx, Permission::CheckTenderDraft)?;
        let valid = validate_input(input)?;
        let catalogue = ctx.data_unchecked::<Arc<Catalogue>>();
        Ok(check::check(&valid.tender, catalogue).into())
    }
}
