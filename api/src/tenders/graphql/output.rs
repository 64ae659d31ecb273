//! The GraphQL output types of tenders: rules, checks and findings, and the stored `Tender`.

use crate::graphql::enums::FromStored as _;

use std::sync::Arc;

use async_graphql::{Context, ID, Object, SimpleObject, dataloader::DataLoader};

use crate::{
    domain::kinds::ProcurementCategory,
    error::{AppError, GqlResult},
    graphql::{
        loaders::load_error,
        scalars::{Date, Decimal},
    },
    tenders::{
        catalogue::Catalogue,
        check::{self, FindingStatus, RequirementCode, RequirementForm, RiskLevel, Verdict},
        loaders::RecordedCheckOf,
        recorded::RecordedCheck,
        service::TenderRecord,
    },
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

impl From<RecordedCheck> for TenderCheck {
    fn from(c: RecordedCheck) -> Self {
        Self {
            verdict: c.verdict,
            findings: c
                .findings
                .into_iter()
                .map(|f| Finding {
                    rule_id: f.rule_id,
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
    /// Against the catalogue loaded now, with the rule versions in force on the announcement
    /// date.
    async fn check(&self, ctx: &Context<'_>) -> GqlResult<TenderCheck> {
        let catalogue = ctx.data_unchecked::<Arc<Catalogue>>();
        Ok(check::check(&self.0.tender()?, catalogue).into())
    }
    /// The check as recorded when the tender was last created, updated or rechecked, with the
    /// catalogue version of that moment (rulesVersion). The statistics count this one.
    async fn recorded_check(&self, ctx: &Context<'_>) -> GqlResult<TenderCheck> {
        let id = self.0.model.id;
        let row = ctx
            .data_unchecked::<DataLoader<RecordedCheckOf>>()
            .load_one(id)
            .await
            .map_err(load_error)?
            .ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("tender {id} has no recorded check"))
            })?;
        Ok(RecordedCheck::try_from(row)?.into())
    }
    async fn version(&self) -> i32 {
        self.0.model.version
    }
    /// The contracts the tender led to, as HMSREG writes them.
    async fn contract_numbers(&self) -> &[String] {
        &self.0.contracts
    }
}
