//! Reads what a file replaces: earlier hours of its contracts, and their imports' names.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use entity::{hmsreg_import, hour_fact};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr,
};

use super::replacement::{self, Pair};
use crate::{
    error::AppError,
    hmsreg::import::{aggregate::Parsed, issue::Issue},
};

/// (import id, contract, month, org number, hundredths).
type EarlierHours = (i64, String, i32, String, i64);

/// Per earlier import, the (contract, month) pairs whose hours this file replaces (never
/// adds to), and the warnings that say so.
pub(super) async fn replacement(
    txn: &impl ConnectionTrait,
    parsed: &Parsed,
) -> Result<(BTreeMap<i64, BTreeSet<Pair>>, Vec<Issue>), AppError> {
    let pairs: BTreeSet<(&str, u32)> = parsed
        .facts
        .keys()
        .map(|k| (k.contract.as_str(), k.month))
        .collect();
    let contracts: Vec<&str> = pairs
        .iter()
        .map(|(c, _)| *c)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let earlier = hours_of(txn, &contracts).await?;
    let plan = replacement::plan(parsed, &pairs, earlier);
    let ids: Vec<i64> = plan.replaced.keys().copied().collect();
    let names = file_names(txn, &ids).await?;
    let issues = replacement::issues(parsed, &plan, &names);
    Ok((plan.replaced, issues))
}

/// Earlier hours of these contracts per (import, contract, month, supplier); chunked, since
/// a file may name more contracts than one statement can bind.
async fn hours_of(
    txn: &impl ConnectionTrait,
    contracts: &[&str],
) -> Result<Vec<EarlierHours>, AppError> {
    let mut earlier = Vec::new();
    for chunk in contracts.chunks(crate::db::IN_CHUNK) {
        let rows: Vec<EarlierHours> = hour_fact::Entity::find()
            .select_only()
            .column(hour_fact::Column::ImportId)
            .column(hour_fact::Column::ContractKey)
            .column(hour_fact::Column::Month)
            .column(hour_fact::Column::OrgNumber)
            .column_as(
                Expr::cust(
                    "CAST(SUM(skilled + apprentice + unskilled + administrative) AS BIGINT)",
                ),
                "hours",
            )
            .filter(hour_fact::Column::ContractKey.is_in(chunk.iter().copied()))
            .group_by(hour_fact::Column::ImportId)
            .group_by(hour_fact::Column::ContractKey)
            .group_by(hour_fact::Column::Month)
            .group_by(hour_fact::Column::OrgNumber)
            .into_tuple()
            .all(txn)
            .await?;
        earlier.extend(rows);
    }
    Ok(earlier)
}

/// The file names of these imports, for the warnings.
async fn file_names(
    txn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, String>, AppError> {
    let mut names = HashMap::new();
    for chunk in ids.chunks(crate::db::IN_CHUNK) {
        let found = hmsreg_import::Entity::find()
            .filter(hmsreg_import::Column::Id.is_in(chunk.iter().copied()))
            .all(txn)
            .await?;
        names.extend(found.into_iter().map(|i| (i.id, i.file_name)));
    }
    Ok(names)
}
