//! Hours per contract, for following each contract up against its tender: the contract's
//! share and the agency most of its hours are registered under.

use std::collections::HashMap;

use entity::hour_fact;
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr};

use super::{
    query::{self, Grouping, HourFilter, hour_fact_condition},
    shares::{Share, ShareSettings},
};
use crate::{domain::text::search_key, error::AppError};

/// One contract's hours under a filter.
#[derive(Clone, Debug)]
pub struct ContractHours {
    /// The key hours are stored under (as tenders name contracts, keyed alike).
    pub key: String,
    pub share: Share,
    /// The agency most of the hours count for: its id when registered, and its name (or the
    /// text as written when the register does not know it); `None` for hours without one.
    pub agency: Option<(Option<i64>, String)>,
}

/// Every contract with hours under `filter`, by key.
pub async fn per_contract(
    conn: &impl ConnectionTrait,
    filter: &HourFilter,
    settings: &ShareSettings,
) -> Result<Vec<ContractHours>, AppError> {
    let shares = query::shares(conn, filter, Grouping::Contract, settings).await?;
    let (condition, index) = hour_fact_condition(conn, filter, true).await?;
    let rows: Vec<(String, String, i64)> = hour_fact::Entity::find()
        .select_only()
        .column(hour_fact::Column::ContractKey)
        .column(hour_fact::Column::AgencyKey)
        .column_as(
            Expr::cust("CAST(SUM(skilled + apprentice + unskilled + administrative) AS BIGINT)"),
            "hours",
        )
        .filter(condition)
        .group_by(hour_fact::Column::ContractKey)
        .group_by(hour_fact::Column::AgencyKey)
        .into_tuple()
        .all(conn)
        .await?;
    // Per contract, the hours per agency as the register resolves it.
    let mut by_agency: HashMap<String, HashMap<(Option<i64>, String), i64>> = HashMap::new();
    for (contract, agency_key, hours) in rows {
        let Some(index) = &index else { break };
        if agency_key == crate::domain::agency::NO_AGENCY {
            continue;
        }
        let who = (
            index.agency_of(&agency_key).map(|a| a.id),
            index.group_name(&agency_key),
        );
        *by_agency
            .entry(contract)
            .or_default()
            .entry(who)
            .or_default() += hours;
    }
    Ok(shares
        .into_iter()
        .map(|share| {
            // A contract groups under its first spelling, whose key is that spelling's.
            let key = search_key(&share.key);
            let agency = by_agency.remove(&key).and_then(|m| {
                // Most hours first; on a tie, the first name.
                m.into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.1.cmp(&a.0.1)))
                    .map(|(who, _)| who)
            });
            ContractHours { key, share, agency }
        })
        .collect())
}
