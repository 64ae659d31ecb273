//! GraphQL for tenders and the rules: `complianceRules`, `checkTenderDraft`, stored tenders
//! with their checks, and the climate statistics.

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use super::{
    catalogue::{Catalogue, RuleId},
    check::{
        self, Exemption, FindingStatus, MIN_JUSTIFICATION, Requirement, RequirementCode,
        RequirementForm, RiskLevel, Tender, Verdict,
    },
    service::{self, TenderQuery, TenderRecord},
    stats,
};
use crate::{
    auth::{self, Permission, Scope},
    clock,
    config::Limits,
    error::{AppError, GqlResult},
    graphql::{
        pagination::{Page, PageRequest, page},
        parse_id,
        scalars::{Date, Decimal},
    },
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

// ------------------------------------------------------------------ stored tenders

#[derive(SimpleObject)]
pub struct TenderRequirement {
    pub code: RequirementCode,
    pub form: RequirementForm,
    pub weight_percent: Option<f64>,
    pub max_tiers: Option<i32>,
    pub machine_types: Vec<String>,
}

#[derive(SimpleObject)]
pub struct RuleExemption {
    pub rule_id: String,
    pub justification: String,
}

pub struct StoredTender(pub TenderRecord);

#[Object(name = "Tender")]
impl StoredTender {
    async fn id(&self) -> ID {
        ID(self.0.model.id.to_string())
    }
    async fn reference(&self) -> Option<&str> {
        self.0.model.reference.as_deref()
    }
    async fn title(&self) -> &str {
        &self.0.model.title
    }
    async fn agency(&self) -> &str {
        &self.0.model.agency
    }
    async fn category(&self) -> GqlResult<ProcurementCategory> {
        Ok(ProcurementCategory::from_stored(&self.0.model.category)?)
    }
    /// NOK excluding VAT.
    async fn estimated_value(&self) -> Decimal {
        Decimal::from_hundredths(self.0.model.estimated_value)
    }
    async fn duration_months(&self) -> i32 {
        self.0.model.duration_months
    }
    async fn announced_on(&self) -> Date {
        Date(self.0.model.announced_on)
    }
    async fn includes_transport(&self) -> bool {
        self.0.model.includes_transport
    }
    async fn building_site(&self) -> bool {
        self.0.model.building_site
    }
    async fn apprentice_trades(&self) -> bool {
        self.0.model.apprentice_trades
    }
    async fn labour_crime_risk(&self) -> GqlResult<RiskLevel> {
        Ok(RiskLevel::from_stored(&self.0.model.labour_crime_risk)?)
    }
    async fn requirements(&self) -> Vec<TenderRequirement> {
        self.0
            .requirements
            .iter()
            .map(|r| TenderRequirement {
                code: r.code,
                form: r.form,
                weight_percent: r.weight_percent,
                max_tiers: r.max_tiers,
                machine_types: r.machine_types.clone(),
            })
            .collect()
    }
    async fn exemptions(&self) -> Vec<RuleExemption> {
        self.0
            .exemptions
            .iter()
            .map(|e| RuleExemption {
                rule_id: e.rule_id.clone(),
                justification: e.justification.clone(),
            })
            .collect()
    }
    /// Against the catalogue in force on the announcement date.
    async fn check(&self, ctx: &Context<'_>) -> GqlResult<TenderCheck> {
        let catalogue = ctx.data_unchecked::<Arc<Catalogue>>();
        Ok(check::check(&self.0.tender()?, catalogue).into())
    }
    async fn version(&self) -> i32 {
        self.0.model.version
    }
}

#[derive(InputObject, Default)]
pub struct TenderFilter {
    /// Case-insensitive.
    pub agency: Option<String>,
    pub announced_from: Option<Date>,
    pub announced_to: Option<Date>,
    pub verdict: Option<Verdict>,
}

#[derive(SimpleObject)]
pub struct MachineTypeCount {
    pub machine_type: String,
    pub tenders: i32,
}

#[derive(SimpleObject)]
pub struct ClimateStats {
    pub from: Date,
    pub to: Date,
    pub agency: Option<String>,
    /// Tenders announced in [from, to].
    pub tender_count: i32,
    /// Rule transport.zero-emission applies (satisfied, missing or exempted).
    pub transport_applicable: i32,
    pub transport_satisfied: i32,
    pub transport_exempted: i32,
    /// Satisfied / applicable x 100; null when none apply.
    pub transport_share: Option<f64>,
    /// Rule site.fossil-free applies.
    pub site_applicable: i32,
    pub site_satisfied: i32,
    pub site_exempted: i32,
    /// Tenders with ZERO_EMISSION_MACHINES as a minimum requirement or contract clause.
    pub zero_emission_minimum: i32,
    /// Per machine type named in those requirements: most tenders first, then by name.
    pub zero_emission_machine_types: Vec<MachineTypeCount>,
}

fn int(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn climate_stats(
    records: &[TenderRecord],
    catalogue: &Catalogue,
    from: NaiveDate,
    to: NaiveDate,
    agency: Option<String>,
) -> Result<ClimateStats, AppError> {
    let f = stats::over_period(records, catalogue, from, to)?;
    Ok(ClimateStats {
        from: Date(from),
        to: Date(to),
        agency,
        tender_count: int(f.tender_count),
        transport_applicable: int(f.transport_applicable),
        transport_satisfied: int(f.transport_satisfied),
        transport_exempted: int(f.transport_exempted),
        transport_share: f.transport_share(),
        site_applicable: int(f.site_applicable),
        site_satisfied: int(f.site_satisfied),
        site_exempted: int(f.site_exempted),
        zero_emission_minimum: int(f.zero_emission_minimum),
        zero_emission_machine_types: f
            .machine_types
            .into_iter()
            .map(|(m, n)| MachineTypeCount {
                machine_type: m,
                tenders: int(n),
            })
            .collect(),
    })
}

async fn climate_records(
    ctx: &Context<'_>,
    from: Date,
    to: Date,
    agency: &Option<String>,
) -> GqlResult<Vec<TenderRecord>> {
    auth::require(ctx, Permission::ReadClimateStats)?;
    if to < from {
        return Err(AppError::bad_input("to", "to is before from").into());
    }
    let agency = validate::optional_text("agency", agency.as_deref(), 200)?;
    let filter = TenderQuery {
        agency,
        announced_from: Some(from.0),
        announced_to: Some(to.0),
    };
    Ok(service::list(
        ctx.data_unchecked::<DatabaseConnection>(),
        &filter,
        &Scope::All,
    )
    .await?)
}

#[derive(Default)]
pub struct StoredTenderQueries;

#[Object]
impl StoredTenderQueries {
    /// Tenders, newest announcement first. A buyer sees its own agency's only.
    async fn tenders(
        &self,
        ctx: &Context<'_>,
        filter: Option<TenderFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Page<StoredTender>> {
        let (_, scope) = auth::require_scope(ctx, Permission::ReadTenders)?;
        let request = PageRequest::new(first, after.as_deref(), ctx.data_unchecked::<Limits>())?;
        let f = filter.unwrap_or_default();
        let query = TenderQuery {
            agency: validate::optional_text("agency", f.agency.as_deref(), 200)?,
            announced_from: f.announced_from.map(|d| d.0),
            announced_to: f.announced_to.map(|d| d.0),
        };
        let mut records =
            service::list(ctx.data_unchecked::<DatabaseConnection>(), &query, &scope).await?;
        // The verdict depends on the catalogue in force, so it is worked out, not stored.
        if let Some(verdict) = f.verdict {
            let catalogue = ctx.data_unchecked::<Arc<Catalogue>>();
            let mut kept = Vec::with_capacity(records.len());
            for r in records {
                if check::check(&r.tender()?, catalogue).verdict == verdict {
                    kept.push(r);
                }
            }
            records = kept;
        }
        let total = records.len() as u64;
        let nodes = records
            .into_iter()
            .skip(request.offset as usize)
            .take(request.limit as usize)
            .map(StoredTender)
            .collect();
        Ok(page(request, total, nodes))
    }

    async fn tender(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Option<StoredTender>> {
        let (_, scope) = auth::require_scope(ctx, Permission::ReadTenders)?;
        let Some(id) = parse_id(&id) else {
            return Ok(None);
        };
        Ok(
            service::get(ctx.data_unchecked::<DatabaseConnection>(), id, &scope)
                .await?
                .map(StoredTender),
        )
    }

    /// Climate figures over tenders announced in [from, to], optionally of one agency.
    async fn climate_stats(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
        agency: Option<String>,
    ) -> GqlResult<ClimateStats> {
        let records = climate_records(ctx, from, to, &agency).await?;
        Ok(climate_stats(
            &records,
            ctx.data_unchecked::<Arc<Catalogue>>(),
            from.0,
            to.0,
            agency,
        )?)
    }

    /// The same figures per calendar quarter of [from, to] (the first and last cut to the period).
    async fn climate_stats_by_quarter(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
        agency: Option<String>,
    ) -> GqlResult<Vec<ClimateStats>> {
        let records = climate_records(ctx, from, to, &agency).await?;
        let catalogue = ctx.data_unchecked::<Arc<Catalogue>>();
        let mut out = Vec::new();
        for (start, end) in stats::quarters(from.0, to.0) {
            out.push(climate_stats(
                &records,
                catalogue,
                start,
                end,
                agency.clone(),
            )?);
        }
        Ok(out)
    }
}

#[derive(Default)]
pub struct StoredTenderMutations;

#[Object]
impl StoredTenderMutations {
    /// Stores a tender. A buyer stores only its own agency's (FORBIDDEN otherwise).
    async fn create_tender(
        &self,
        ctx: &Context<'_>,
        input: TenderInput,
    ) -> GqlResult<StoredTender> {
        let (viewer, scope) = auth::require_scope(ctx, Permission::WriteTenders)?;
        let valid = validate_input(input)?;
        let txn = crate::db::begin_write(ctx.data_unchecked::<DatabaseConnection>()).await?;
        let record = service::create(&txn, viewer.actor(), &scope, valid).await?;
        txn.commit().await?;
        Ok(StoredTender(record))
    }

    /// Replaces a tender; CONFLICT, changing nothing, when it is no longer at expectedVersion.
    async fn update_tender(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: TenderInput,
    ) -> GqlResult<StoredTender> {
        let (viewer, scope) = auth::require_scope(ctx, Permission::WriteTenders)?;
        let id =
            parse_id(&id).ok_or_else(|| AppError::NotFound("no tender with this id".into()))?;
        let valid = validate_input(input)?;
        let txn = crate::db::begin_write(ctx.data_unchecked::<DatabaseConnection>()).await?;
        let record =
            service::update(&txn, viewer.actor(), &scope, id, expected_version, valid).await?;
        txn.commit().await?;
        Ok(StoredTender(record))
    }
}
