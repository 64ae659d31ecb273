//! The demo's tenders (`fixtures/tenders.json`), stored through the same checks as the API,
//! each with its check recorded against the catalogue in force.

use std::collections::HashSet;

use entity::tender;
use sea_orm::{DatabaseTransaction, EntityTrait, QuerySelect};
use serde::Deserialize;

use super::{
    check::{RequirementCode, RequirementForm, RiskLevel},
    service,
    valid::{self, RuleExemptionInput, TenderInput, TenderRequirementInput},
};
use crate::{
    auth::Scope,
    domain::kinds::ProcurementCategory,
    error::AppError,
    fixtures::{FixtureContext, FixtureSet},
    graphql::scalars::{Date, Decimal},
};

const DATA: &str = include_str!("../../../fixtures/tenders.json");

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    reference: String,
    title: String,
    agency: String,
    category: String,
    estimated_value: String,
    duration_months: i32,
    announced_on: chrono::NaiveDate,
    includes_transport: bool,
    building_site: bool,
    apprentice_trades: bool,
    labour_crime_risk: String,
    requirements: Vec<RequirementRow>,
    exemptions: Vec<ExemptionRow>,
    #[serde(default)]
    contract_numbers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RequirementRow {
    code: String,
    form: String,
    weight_percent: Option<f64>,
    max_tiers: Option<i32>,
    machine_types: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExemptionRow {
    rule_id: String,
    justification: String,
}

fn bad(what: String) -> AppError {
    AppError::internal(anyhow::anyhow!("fixtures/tenders.json: {what}"))
}

fn parse<T: sea_orm::ActiveEnum<Value = String>>(text: &str) -> Result<T, AppError> {
    T::try_from_value(&text.to_string()).map_err(|_| bad(format!("unknown value '{text}'")))
}

impl Row {
    fn draft(self) -> Result<TenderInput, AppError> {
        let requirements = self
            .requirements
            .into_iter()
            .map(|r| {
                Ok(TenderRequirementInput {
                    code: parse::<RequirementCode>(&r.code)?,
                    form: parse::<RequirementForm>(&r.form)?,
                    weight_percent: r.weight_percent,
                    max_tiers: r.max_tiers,
                    machine_types: r.machine_types,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        Ok(TenderInput {
            reference: Some(self.reference),
            title: self.title,
            agency: self.agency,
            category: parse::<ProcurementCategory>(&self.category)?,
            estimated_value: Decimal(
                self.estimated_value
                    .parse()
                    .map_err(|_| bad(format!("bad value {}", self.estimated_value)))?,
            ),
            duration_months: self.duration_months,
            announced_on: Date(self.announced_on),
            includes_transport: self.includes_transport,
            building_site: self.building_site,
            apprentice_trades: self.apprentice_trades,
            labour_crime_risk: parse::<RiskLevel>(&self.labour_crime_risk)?,
            requirements,
            exemptions: Some(
                self.exemptions
                    .into_iter()
                    .map(|e| RuleExemptionInput {
                        rule_id: e.rule_id,
                        justification: e.justification,
                    })
                    .collect(),
            ),
            contract_numbers: Some(self.contract_numbers),
        })
    }
}

pub struct TenderFixtures;

#[async_trait::async_trait]
impl FixtureSet for TenderFixtures {
    fn name(&self) -> &'static str {
        "tenders (fixtures/tenders.json)"
    }

    async fn load(
        &self,
        txn: &DatabaseTransaction,
        context: &FixtureContext,
    ) -> Result<usize, AppError> {
        let rows: Vec<Row> = serde_json::from_str(DATA).map_err(|e| bad(e.to_string()))?;
        let known: HashSet<String> = tender::Entity::find()
            .select_only()
            .column(tender::Column::Reference)
            .into_tuple::<Option<String>>()
            .all(txn)
            .await?
            .into_iter()
            .flatten()
            .collect();
        let mut added = 0;
        for row in rows.into_iter().filter(|r| !known.contains(&r.reference)) {
            let valid = valid::validate(row.draft()?)?;
            service::create(txn, "fixtures", &Scope::All, valid, &context.catalogue).await?;
            added += 1;
        }
        Ok(added)
    }
}
