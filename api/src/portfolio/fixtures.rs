//! The demo portfolio (`fixtures/portfolio.json`): areas, suppliers, agreements with turnover,
//! participants and options, and watchlist entries. Loaded through the same services as the
//! API, so every check applies; rows already present (same area name, org number, reference,
//! or listing) are left alone.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entity::{agreement, agreement_area, supplier, watchlist_entry};
use sea_orm::{DatabaseTransaction, EntityTrait, QuerySelect};
use serde::Deserialize;

use super::service::{self, NewAgreement, SupplierLink};
use crate::{
    clock,
    domain::kinds::{AgreementKind, ProcurementCategory},
    error::AppError,
    fixtures::{FixtureContext, FixtureSet},
    suppliers, validate,
    watchlist::service::{self as watchlist, NewEntry, WatchlistCategory},
};

const DATA: &str = include_str!("../../../fixtures/portfolio.json");
const ACTOR: &str = "fixtures";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    areas: Vec<String>,
    suppliers: Vec<SupplierRow>,
    agreements: Vec<AgreementRow>,
    watchlist: Vec<WatchlistRow>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SupplierRow {
    org_number: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AgreementRow {
    reference: String,
    title: String,
    area: String,
    kind: String,
    category: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    /// With options, endsOn + their months: the service checks it, so the file cannot drift.
    max_ends_on: NaiveDate,
    /// Whole NOK.
    estimated_annual_value: Option<i64>,
    suppliers: Vec<LinkRow>,
    turnover: Vec<TurnoverRow>,
    /// Agency names as the register has them; none: open to all.
    #[serde(default)]
    participants: Vec<String>,
    #[serde(default)]
    options: Vec<OptionRow>,
}

#[derive(Deserialize)]
struct OptionRow {
    months: i32,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LinkRow {
    org_number: String,
    rank: Option<i32>,
}

#[derive(Deserialize)]
struct TurnoverRow {
    year: i32,
    /// Whole NOK.
    amount: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WatchlistRow {
    org_number: String,
    category: String,
    description: String,
    reported_by: String,
    listed_on: NaiveDate,
    removed_on: Option<NaiveDate>,
    removal_documentation: Option<String>,
}

fn bad_data(what: String) -> AppError {
    AppError::internal(anyhow::anyhow!("fixtures/portfolio.json: {what}"))
}

fn parse_enum<T: sea_orm::ActiveEnum<Value = String>>(
    text: &str,
    what: &str,
) -> Result<T, AppError> {
    T::try_from_value(&text.to_string()).map_err(|_| bad_data(format!("unknown {what} '{text}'")))
}

pub struct PortfolioFixtures;

#[async_trait::async_trait]
impl FixtureSet for PortfolioFixtures {
    fn name(&self) -> &'static str {
        "portfolio (areas, suppliers, agreements, turnover, participants, options, watchlist)"
    }

    async fn load(
        &self,
        txn: &DatabaseTransaction,
        _context: &FixtureContext,
    ) -> Result<usize, AppError> {
        let data: Data = serde_json::from_str(DATA).map_err(|e| bad_data(e.to_string()))?;
        let mut added = 0;

        let mut areas: HashMap<String, i64> = agreement_area::Entity::find()
            .all(txn)
            .await?
            .into_iter()
            .map(|a| (a.name_key, a.id))
            .collect();
        for name in &data.areas {
            if !areas.contains_key(&validate::search_key(name)) {
                let area = service::create_area(txn, ACTOR, name).await?;
                areas.insert(area.name_key, area.id);
                added += 1;
            }
        }

        let mut known: HashSet<String> = supplier::Entity::find()
            .select_only()
            .column(supplier::Column::OrgNumber)
            .into_tuple::<String>()
            .all(txn)
            .await?
            .into_iter()
            .collect();
        for row in &data.suppliers {
            let org = validate::org_number("orgNumber", &row.org_number)
                .map_err(|e| bad_data(e.to_string()))?;
            if known.insert(org.clone()) {
                suppliers::service::create(txn, ACTOR, &org, &row.name).await?;
                added += 1;
            }
        }

        let references: HashSet<String> = agreement::Entity::find()
            .select_only()
            .column(agreement::Column::Reference)
            .into_tuple::<String>()
            .all(txn)
            .await?
            .into_iter()
            .collect();
        for row in data
            .agreements
            .into_iter()
            .filter(|a| !references.contains(&a.reference))
        {
            let area_id = *areas.get(&validate::search_key(&row.area)).ok_or_else(|| {
                bad_data(format!(
                    "agreement {} names unknown area '{}'",
                    row.reference, row.area
                ))
            })?;
            let created = service::create(
                txn,
                ACTOR,
                NewAgreement {
                    reference: row.reference,
                    title: row.title,
                    area_id,
                    kind: parse_enum::<AgreementKind>(&row.kind, "kind")?,
                    category: parse_enum::<ProcurementCategory>(&row.category, "category")?,
                    starts_on: row.starts_on,
                    ends_on: row.ends_on,
                    max_ends_on: Some(row.max_ends_on),
                    estimated_annual_value: row.estimated_annual_value.map(|nok| nok * 100),
                    suppliers: row
                        .suppliers
                        .into_iter()
                        .map(|l| SupplierLink {
                            org_number: l.org_number,
                            rank: l.rank,
                        })
                        .collect(),
                    participants: row.participants,
                    options: row.options.into_iter().map(|o| o.months).collect(),
                },
            )
            .await?;
            for t in row.turnover {
                service::set_turnover(txn, ACTOR, created.id, t.year, t.amount * 100).await?;
            }
            added += 1;
        }

        // A listing is the same when supplier, date and category are.
        let supplier_ids: HashMap<String, i64> = supplier::Entity::find()
            .all(txn)
            .await?
            .into_iter()
            .map(|s| (s.org_number, s.id))
            .collect();
        let listings: HashSet<(i64, NaiveDate, String)> = watchlist_entry::Entity::find()
            .all(txn)
            .await?
            .into_iter()
            .map(|e| (e.supplier_id, e.listed_on, e.category))
            .collect();
        let today = clock::today();
        for row in data.watchlist {
            let org = validate::org_number("orgNumber", &row.org_number)
                .map_err(|e| bad_data(e.to_string()))?;
            let key = (
                supplier_ids.get(&org).copied().unwrap_or(0),
                row.listed_on,
                row.category.clone(),
            );
            if listings.contains(&key) {
                continue;
            }
            let category = parse_enum::<WatchlistCategory>(&row.category, "watchlist category")?;
            let entry = watchlist::add(
                txn,
                ACTOR,
                today,
                NewEntry {
                    org_number: org,
                    supplier_name: None,
                    category,
                    description: row.description,
                    reported_by: row.reported_by,
                    listed_on: row.listed_on,
                },
            )
            .await?;
            if let (Some(on), Some(doc)) = (row.removed_on, row.removal_documentation.as_deref()) {
                watchlist::remove(txn, ACTOR, today, entry.id, on, doc).await?;
            }
            added += 1;
        }
        Ok(added)
    }
}
