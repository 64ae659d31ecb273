//! Hours per contract, for following each contract up against its tender: the contract's
//! share and the agency most of its hours are registered under.
//!
//! Three statements whatever the number of contracts (and the agency index): the hours per
//! (contract, agency, trade) (the trade catalogue decides what counts in which share, as for
//! `workforceShares`; read from the year or quarter rollup when the months are whole years or
//! quarters), the distinct apprentices per contract counted in SQL (exact, and one number per
//! contract instead of every worker), and the contracts' first spellings.

use std::collections::HashMap;

use entity::hmsreg_label;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use super::{
    grouped,
    import::Hours,
    query::{HourFilter, agency_filter},
    shares::{self, Share, ShareSettings, TradeSplit},
};
use crate::{domain::agency::NO_AGENCY, error::AppError};

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

type AgencyHours = HashMap<(Option<i64>, String), i64>;

/// Every contract with hours under `filter`, by key.
pub async fn per_contract(
    conn: &impl ConnectionTrait,
    filter: &HourFilter,
    settings: &ShareSettings,
) -> Result<Vec<ContractHours>, AppError> {
    let (keys, index) = agency_filter(conn, filter).await?;
    let (rows, apprentices) = grouped::contract_rows(conn, filter, &keys).await?;

    let mut contracts: HashMap<String, (TradeSplit, AgencyHours)> = HashMap::new();
    for row in rows {
        let grouped::ContractRow {
            contract_key: contract,
            agency_key,
            trade_key,
            skilled,
            apprentice,
            unskilled,
            administrative,
        } = row;
        let hours = Hours {
            skilled,
            apprentice,
            unskilled,
            administrative,
        };
        let entry = contracts.entry(contract).or_default();
        entry.0.add(&hours, settings.counts(&trade_key));
        if agency_key != NO_AGENCY {
            let who = (
                index.agency_of(&agency_key).map(|a| a.id),
                index.group_name(&agency_key),
            );
            *entry.1.entry(who).or_default() += skilled + apprentice + unskilled + administrative;
        }
    }
    let labels = contract_labels(conn, contracts.keys().map(String::as_str).collect()).await?;
    let mut out: Vec<ContractHours> = contracts
        .into_iter()
        .map(|(key, (hours, agencies))| {
            let label = labels.get(&key).cloned().unwrap_or_else(|| key.clone());
            let count = apprentices.get(&key).copied().unwrap_or(0);
            let share = shares::share(
                label,
                &[hours],
                usize::try_from(count).unwrap_or(0),
                settings,
            );
            // Most hours first; on a tie, the first name.
            let agency = agencies
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.1.cmp(&a.0.1)))
                .map(|(who, _)| who);
            ContractHours { key, share, agency }
        })
        .collect();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(out)
}

/// The first spelling of each contract key.
async fn contract_labels(
    conn: &impl ConnectionTrait,
    keys: Vec<&str>,
) -> Result<HashMap<String, String>, AppError> {
    let mut labels = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(crate::db::IN_CHUNK) {
        let found = hmsreg_label::Entity::find()
            .filter(
                Condition::all()
                    .add(hmsreg_label::Column::Kind.eq("contract"))
                    .add(hmsreg_label::Column::Key.is_in(chunk.iter().copied())),
            )
            .all(conn)
            .await?;
        labels.extend(found.into_iter().map(|l| (l.key, l.label)));
    }
    Ok(labels)
}
