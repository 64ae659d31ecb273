//! Workforce shares over stored hours, per group or per pair of groupings: one statement
//! adds them up in the database (`grouped`), after the agency register when a filter or the
//! grouping names agencies.

use sea_orm::{DeriveActiveEnum, EnumIter};
use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::{
    agencies::AgencyIndex,
    grouped::{self, AgencyKeys},
    shares::{self, GroupSums, Share, ShareSettings},
    side_by_side,
};
use crate::error::AppError;

/// How shares are grouped; the GraphQL enum `WorkforceGrouping`.
#[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[sea_orm(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WorkforceGrouping {
    Total,
    Agency,
    Supplier,
    Contract,
    Trade,
    Month,
    Quarter,
    Year,
}

pub use WorkforceGrouping as Grouping;

/// Which hours count; keys already normalised (lower case, spaces collapsed).
#[derive(Clone, Debug, Default)]
pub struct HourFilter {
    /// `yyyymm`, inclusive.
    pub from_month: Option<u32>,
    pub to_month: Option<u32>,
    /// An agency text (search key): its agency's hours, or the hours written under it.
    pub agency: Option<String>,
    pub org_number: Option<String>,
    pub contract: Option<String>,
    pub import_id: Option<i64>,
    /// A buyer's own agency (its id): applied on top of everything else.
    pub scope_agency: Option<i64>,
}

async fn agency_keys(
    conn: &impl ConnectionTrait,
    filter: &HourFilter,
    by_agency: bool,
) -> Result<(AgencyKeys, Option<AgencyIndex>), AppError> {
    if filter.agency.is_none() && filter.scope_agency.is_none() && !by_agency {
        return Ok((AgencyKeys::default(), None));
    }
    let (keys, index) = agency_filter(conn, filter).await?;
    Ok((keys, Some(index)))
}

/// The stored agency keys `filter`'s agency texts come to (an empty list selects nothing: a
/// buyer whose agency has no hours sees none), with the agency index that resolved them.
pub(super) async fn agency_filter(
    conn: &impl ConnectionTrait,
    filter: &HourFilter,
) -> Result<(AgencyKeys, AgencyIndex), AppError> {
    let index = super::agencies::load(conn).await?;
    let keys = AgencyKeys {
        agency: filter.agency.as_deref().map(|a| index.keys_for_text(a)),
        scope: filter.scope_agency.map(|id| index.keys_of(id)),
    };
    Ok((keys, index))
}

/// `202603` as the grouping shows it: `2026-03`, `2026-Q1`, `2026`.
fn period_key(grouping: Grouping, month: &str) -> String {
    let n: u32 = month.parse().unwrap_or(0);
    match grouping {
        Grouping::Quarter => crate::domain::month::quarter_label(n),
        Grouping::Year => crate::domain::month::year_label(n),
        _ => crate::domain::month::label(n),
    }
}

/// The one TOTAL group of the hours `filter` selects.
pub async fn total(
    conn: &impl ConnectionTrait,
    filter: &HourFilter,
    settings: &ShareSettings,
) -> Result<Share, AppError> {
    shares(conn, filter, Grouping::Total, settings)
        .await?
        .pop()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("TOTAL gave no group")))
}

/// The total of `org_number`'s hours within `scope`; `None` when it has no hours there.
pub async fn supplier_total(
    conn: &impl ConnectionTrait,
    org_number: &str,
    scope: &crate::domain::Scope,
    settings: &ShareSettings,
) -> Result<Option<Share>, AppError> {
    let filter = HourFilter {
        org_number: Some(org_number.to_string()),
        scope_agency: scope.agency_id(),
        ..Default::default()
    };
    let share = total(conn, &filter, settings).await?;
    let h = share.hours;
    Ok((h.skilled + h.apprentice + h.unskilled + h.administrative != 0).then_some(share))
}

/// Shares per group, sorted by key. TOTAL always has its one group, even with no hours.
pub async fn shares(
    conn: &impl ConnectionTrait,
    filter: &HourFilter,
    grouping: Grouping,
    settings: &ShareSettings,
) -> Result<Vec<Share>, AppError> {
    grouped(conn, None, filter, grouping, None, true, settings).await
}

/// Shares per pair of keys, `grouping` then `then_by` (each share's `sub_key`), sorted by key
/// then sub-key; only pairs with hours. `AGENCY` then `QUARTER` is the quarterly agency report.
pub async fn share_pairs(
    conn: &impl ConnectionTrait,
    filter: &HourFilter,
    grouping: Grouping,
    then_by: Grouping,
    settings: &ShareSettings,
) -> Result<Vec<Share>, AppError> {
    grouped(conn, None, filter, grouping, Some(then_by), true, settings).await
}

/// As [`shares`] (`then_by` `None`) or [`share_pairs`], and with the per-contract averages
/// only when `averages`: without them the database adds the hours up per group at once
/// instead of per (group, contract) first, and the averages are `None`. From the pool, so on
/// PostgreSQL the hours and the apprentices are counted at once on two connections.
pub async fn shares_by(
    db: &DatabaseConnection,
    filter: &HourFilter,
    grouping: Grouping,
    then_by: Option<Grouping>,
    averages: bool,
    settings: &ShareSettings,
) -> Result<Vec<Share>, AppError> {
    grouped(db, Some(db), filter, grouping, then_by, averages, settings).await
}

/// A group's key and, for pairs, its sub-key.
type PairKey = (String, Option<String>);

/// One row per group from the database, named here: agencies through the register, contracts
/// and trades by their first spelling, periods as `2026-Q1`.
/// `pool`: the same connection as `conn` when it is the pool itself (see `side_by_side`).
async fn grouped(
    conn: &impl ConnectionTrait,
    pool: Option<&DatabaseConnection>,
    filter: &HourFilter,
    by: Grouping,
    then: Option<Grouping>,
    per_contract: bool,
    settings: &ShareSettings,
) -> Result<Vec<Share>, AppError> {
    let by_agency = by == Grouping::Agency || then == Some(Grouping::Agency);
    let (keys, index) = agency_keys(conn, filter, by_agency).await?;
    let agency_map = match (&index, by_agency) {
        (Some(index), true) => index.matched(),
        _ => Vec::new(),
    };
    let query = grouped::Query {
        filter,
        keys: &keys,
        by,
        then,
        agency_map,
        settings,
        per_contract,
    };
    let rows = match pool {
        Some(db) => side_by_side::rows(db, &query).await?,
        None => grouped::rows(conn, &query).await?,
    };
    let name = |grouping: Grouping, dim: &str, label: Option<&str>| -> String {
        match grouping {
            Grouping::Total => "total".to_string(),
            Grouping::Supplier => dim.to_string(),
            Grouping::Month | Grouping::Quarter | Grouping::Year => period_key(grouping, dim),
            // Agencies group under the register's name; texts it does not know, as written.
            Grouping::Agency => index
                .as_ref()
                .map_or_else(|| dim.to_string(), |i| i.group_name(dim)),
            Grouping::Contract | Grouping::Trade => label.unwrap_or(dim).to_string(),
        }
    };
    let mut groups: BTreeMap<PairKey, (GroupSums, usize)> = BTreeMap::new();
    for row in rows {
        let key = (
            name(by, &row.dim, row.dim_label.as_deref()),
            then.map(|t| name(t, &row.sub, row.sub_label.as_deref())),
        );
        let entry = groups.entry(key).or_default();
        // Rows merge only for agency texts without a label (see `GroupSums::plus`).
        entry.0.plus(&row.sums());
        entry.1 += usize::try_from(row.workers).unwrap_or(0);
    }
    if by == Grouping::Total && then.is_none() {
        groups.entry(("total".into(), None)).or_default();
    }
    Ok(groups
        .into_iter()
        .map(|(key, (sums, count))| {
            let mut share = shares::from_sums(key.0, &sums, count, settings);
            share.sub_key = key.1;
            share
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_print_as_the_contract_says() {
        assert_eq!(period_key(Grouping::Month, "202603"), "2026-03");
        assert_eq!(period_key(Grouping::Quarter, "202603"), "2026-Q1");
        assert_eq!(period_key(Grouping::Quarter, "202604"), "2026-Q2");
        assert_eq!(period_key(Grouping::Quarter, "202612"), "2026-Q4");
        assert_eq!(period_key(Grouping::Year, "202612"), "2026");
    }
}
