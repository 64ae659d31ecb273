//! Workforce shares over stored hours: one grouped query for the hours (per group, contract
//! and trade, so the per-contract mean can be taken and the trade catalogue can say what
//! counts where) and one for distinct apprentices, per group or per pair of groupings.

use sea_orm::{DeriveActiveEnum, EnumIter};
use std::collections::{BTreeMap, HashMap, HashSet};

use entity::{apprentice_fact, hmsreg_label, hour_fact};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr,
};

use super::{
    agencies::AgencyIndex,
    import::Hours,
    shares::{self, Share, ShareSettings, TradeSplit},
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

/// The stored agency keys a filter's agency texts come to.
#[derive(Default)]
struct AgencyKeys {
    agency: Option<Vec<String>>,
    scope: Option<Vec<String>>,
}

async fn agency_keys(
    conn: &impl ConnectionTrait,
    filter: &HourFilter,
    by_agency: bool,
) -> Result<(AgencyKeys, Option<AgencyIndex>), AppError> {
    if filter.agency.is_none() && filter.scope_agency.is_none() && !by_agency {
        return Ok((AgencyKeys::default(), None));
    }
    let index = super::agencies::load(conn).await?;
    let keys = AgencyKeys {
        agency: filter.agency.as_deref().map(|a| index.keys_for_text(a)),
        scope: filter.scope_agency.map(|id| index.keys_of(id)),
    };
    Ok((keys, Some(index)))
}

macro_rules! condition_for {
    ($module:ident, $filter:expr, $keys:expr) => {{
        let f = $filter;
        let keys: &AgencyKeys = $keys;
        let mut c = Condition::all();
        if let Some(m) = f.from_month {
            c = c.add($module::Column::Month.gte(m as i32));
        }
        if let Some(m) = f.to_month {
            c = c.add($module::Column::Month.lte(m as i32));
        }
        // An empty list selects nothing: a buyer whose agency has no hours sees none.
        if let Some(k) = &keys.agency {
            c = c.add($module::Column::AgencyKey.is_in(k.iter().map(String::as_str)));
        }
        if let Some(k) = &keys.scope {
            c = c.add($module::Column::AgencyKey.is_in(k.iter().map(String::as_str)));
        }
        if let Some(o) = &f.org_number {
            c = c.add($module::Column::OrgNumber.eq(o.as_str()));
        }
        if let Some(k) = &f.contract {
            c = c.add($module::Column::ContractKey.eq(k.as_str()));
        }
        if let Some(i) = f.import_id {
            c = c.add($module::Column::ImportId.eq(i));
        }
        c
    }};
}

/// The conditions `filter` puts on `hour_fact` and on `apprentice_fact`, agency texts
/// resolved, with the agency index that resolved them.
pub(super) async fn agency_condition(
    conn: &impl ConnectionTrait,
    filter: &HourFilter,
) -> Result<(Condition, Condition, AgencyIndex), AppError> {
    let index = super::agencies::load(conn).await?;
    let keys = AgencyKeys {
        agency: filter.agency.as_deref().map(|a| index.keys_for_text(a)),
        scope: filter.scope_agency.map(|id| index.keys_of(id)),
    };
    Ok((
        condition_for!(hour_fact, filter, &keys),
        condition_for!(apprentice_fact, filter, &keys),
        index,
    ))
}

/// The column a grouping reads, as SQL text (the same in SQLite and PostgreSQL).
fn dimension(grouping: Grouping) -> Option<&'static str> {
    match grouping {
        Grouping::Total => None,
        Grouping::Agency => Some("agency_key"),
        Grouping::Supplier => Some("org_number"),
        Grouping::Contract => Some("contract_key"),
        Grouping::Trade => Some("trade_key"),
        Grouping::Month => Some("CAST(month AS TEXT)"),
        // Grouped at the asked grain in the database (the first month of the quarter or year,
        // still `yyyymm`), so a year of facts comes back as one row per contract and trade,
        // not twelve.
        Grouping::Quarter => {
            Some("CAST((month / 100) * 100 + ((month % 100 - 1) / 3) * 3 + 1 AS TEXT)")
        }
        Grouping::Year => Some("CAST((month / 100) * 100 + 1 AS TEXT)"),
    }
}

fn label_kind(grouping: Grouping) -> Option<&'static str> {
    match grouping {
        Grouping::Agency => Some("agency"),
        Grouping::Contract => Some("contract"),
        Grouping::Trade => Some("trade"),
        _ => None,
    }
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

// SUM(bigint) is numeric in PostgreSQL: cast back so both return an integer.
const SUMS: [(&str, &str); 4] = [
    ("CAST(SUM(skilled) AS BIGINT)", "skilled"),
    ("CAST(SUM(apprentice) AS BIGINT)", "apprentice"),
    ("CAST(SUM(unskilled) AS BIGINT)", "unskilled"),
    ("CAST(SUM(administrative) AS BIGINT)", "administrative"),
];

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
    grouped(conn, filter, grouping, None, settings).await
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
    grouped(conn, filter, grouping, Some(then_by), settings).await
}

/// A group's key and, for pairs, its sub-key.
type PairKey = (String, Option<String>);

/// (group, sub-group, contract key, trade key, skilled, apprentice, unskilled, administrative).
type HourRow = (String, String, String, String, i64, i64, i64, i64);

/// Hours per (group, sub-group, contract, trade), so the catalogue can decide per trade what
/// counts where and each contract's share can be taken; then the distinct apprentices per
/// (group, sub-group) and the labels. The same statements whatever the number of groups.
async fn grouped(
    conn: &impl ConnectionTrait,
    filter: &HourFilter,
    by: Grouping,
    then: Option<Grouping>,
    settings: &ShareSettings,
) -> Result<Vec<Share>, AppError> {
    let by_agency = by == Grouping::Agency || then == Some(Grouping::Agency);
    let (keys, index) = agency_keys(conn, filter, by_agency).await?;
    let (first, second) = (dimension(by), then.and_then(dimension));
    let mut query = hour_fact::Entity::find()
        .select_only()
        .column_as(Expr::cust(first.unwrap_or("'total'")), "dim")
        .column_as(Expr::cust(second.unwrap_or("'total'")), "sub")
        .column(hour_fact::Column::ContractKey)
        .column(hour_fact::Column::TradeKey);
    for (expr, alias) in SUMS {
        query = query.column_as(Expr::cust(expr), alias);
    }
    for d in [first, second].into_iter().flatten() {
        query = query.group_by(Expr::cust(d));
    }
    let rows: Vec<HourRow> = query
        .group_by(hour_fact::Column::ContractKey)
        .group_by(hour_fact::Column::TradeKey)
        .filter(condition_for!(hour_fact, filter, &keys))
        .into_tuple()
        .all(conn)
        .await?;

    let mut wanted: Vec<(&'static str, &str)> = Vec::new();
    for r in &rows {
        if let Some(kind) = label_kind(by) {
            wanted.push((kind, r.0.as_str()));
        }
        if let Some(kind) = then.and_then(label_kind) {
            wanted.push((kind, r.1.as_str()));
        }
    }
    let labels = Labels {
        index,
        labels: labels(conn, wanted).await?,
    };
    let pair = |dim: &str, sub: &str| -> PairKey {
        (labels.key(by, dim), then.map(|t| labels.key(t, sub)))
    };

    let mut groups: BTreeMap<PairKey, HashMap<String, TradeSplit>> = BTreeMap::new();
    for (dim, sub, contract, trade, skilled, apprentice, unskilled, administrative) in rows {
        let hours = Hours {
            skilled,
            apprentice,
            unskilled,
            administrative,
        };
        groups
            .entry(pair(&dim, &sub))
            .or_default()
            .entry(contract)
            .or_default()
            .add(&hours, settings.counts(&trade));
    }
    let counts = apprentice_counts(conn, filter, &keys, by, then, (first, second), &pair).await?;
    if by == Grouping::Total && then.is_none() {
        groups.entry(("total".into(), None)).or_default();
    }
    Ok(groups
        .into_iter()
        .map(|(key, contracts)| {
            let count = counts.get(&key).copied().unwrap_or(0);
            let per_contract: Vec<TradeSplit> = contracts.into_values().collect();
            let mut share = shares::share(key.0, &per_contract, count, settings);
            share.sub_key = key.1;
            share
        })
        .collect())
}

/// Distinct apprentices per pair, exact. Where each stored value groups under a key of its
/// own (every grouping but AGENCY, whose texts the register merges), the database counts
/// them; otherwise the (pair, worker) rows come back and are merged here.
async fn apprentice_counts(
    conn: &impl ConnectionTrait,
    filter: &HourFilter,
    keys: &AgencyKeys,
    by: Grouping,
    then: Option<Grouping>,
    (first, second): (Option<&'static str>, Option<&'static str>),
    pair: &impl Fn(&str, &str) -> PairKey,
) -> Result<HashMap<PairKey, usize>, AppError> {
    let query = apprentice_fact::Entity::find()
        .select_only()
        .column_as(Expr::cust(first.unwrap_or("'total'")), "dim")
        .column_as(Expr::cust(second.unwrap_or("'total'")), "sub")
        .filter(condition_for!(apprentice_fact, filter, keys));
    let mut counts: HashMap<PairKey, usize> = HashMap::new();
    if by != Grouping::Agency && then != Some(Grouping::Agency) {
        let mut query = query.column_as(Expr::cust("COUNT(DISTINCT worker_hash)"), "n");
        // PostgreSQL refuses a constant in GROUP BY: TOTAL groups by nothing.
        for d in [first, second].into_iter().flatten() {
            query = query.group_by(Expr::cust(d));
        }
        let rows: Vec<(String, String, i64)> = query.into_tuple().all(conn).await?;
        for (dim, sub, n) in rows {
            *counts.entry(pair(&dim, &sub)).or_default() += usize::try_from(n).unwrap_or(0);
        }
        return Ok(counts);
    }
    let rows: Vec<(String, String, String)> = query
        .column(apprentice_fact::Column::WorkerHash)
        .distinct()
        .into_tuple()
        .all(conn)
        .await?;
    let mut workers: HashMap<PairKey, HashSet<String>> = HashMap::new();
    for (dim, sub, worker) in rows {
        workers.entry(pair(&dim, &sub)).or_default().insert(worker);
    }
    Ok(workers.into_iter().map(|(k, w)| (k, w.len())).collect())
}

/// What stored values group under: agencies through the register, contracts and trades by
/// their first spelling.
struct Labels {
    index: Option<AgencyIndex>,
    /// (kind, key) -> label.
    labels: HashMap<(String, String), String>,
}

impl Labels {
    fn key(&self, grouping: Grouping, dim: &str) -> String {
        match grouping {
            Grouping::Total => "total".to_string(),
            Grouping::Supplier => dim.to_string(),
            Grouping::Month | Grouping::Quarter | Grouping::Year => period_key(grouping, dim),
            // Agencies group under the register's name; texts it does not know, as written.
            Grouping::Agency => self
                .index
                .as_ref()
                .map_or_else(|| dim.to_string(), |i| i.group_name(dim)),
            Grouping::Contract | Grouping::Trade => label_kind(grouping)
                .and_then(|kind| self.labels.get(&(kind.to_string(), dim.to_string())))
                .cloned()
                .unwrap_or_else(|| dim.to_string()),
        }
    }
}

/// The first spellings of the (kind, key) pairs asked for (agencies come from the register).
async fn labels(
    conn: &impl ConnectionTrait,
    wanted: Vec<(&'static str, &str)>,
) -> Result<HashMap<(String, String), String>, AppError> {
    let wanted: HashSet<(&str, &str)> = wanted
        .into_iter()
        .filter(|(kind, _)| *kind != "agency")
        .collect();
    let kinds: Vec<&str> = wanted
        .iter()
        .map(|w| w.0)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let keys: Vec<&str> = wanted
        .iter()
        .map(|w| w.1)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut labels = HashMap::new();
    if kinds.is_empty() {
        return Ok(labels);
    }
    for chunk in keys.chunks(crate::db::IN_CHUNK) {
        let found = hmsreg_label::Entity::find()
            .filter(hmsreg_label::Column::Kind.is_in(kinds.iter().copied()))
            .filter(hmsreg_label::Column::Key.is_in(chunk.iter().copied()))
            .all(conn)
            .await?;
        labels.extend(found.into_iter().map(|l| ((l.kind, l.key), l.label)));
    }
    Ok(labels)
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
