//! The writes of an import: replaced hours out, then the import, its hours, its labels.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::Utc;
use entity::{apprentice_fact, hmsreg_import, hmsreg_label, hour_fact};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter,
    QuerySelect, Set,
};

use super::replacement::Pair;
use crate::{
    error::AppError,
    hmsreg::import::{
        aggregate::{FactKey, Hours, Parsed},
        issue::{Issue, Severity},
    },
};

/// Rows per INSERT: well under SQLite's and PostgreSQL's bind-parameter limits.
const CHUNK: usize = 500;

/// Deletes the hours and apprentices of the replaced (contract, month) pairs.
pub(super) async fn remove_replaced(
    txn: &impl ConnectionTrait,
    replaced: &BTreeMap<i64, BTreeSet<Pair>>,
) -> Result<(), AppError> {
    for which in replaced.values() {
        let mut by_contract: BTreeMap<&str, Vec<i32>> = BTreeMap::new();
        for (c, m) in which {
            by_contract.entry(c.as_str()).or_default().push(*m as i32);
        }
        for (contract, months) in by_contract {
            hour_fact::Entity::delete_many()
                .filter(hour_fact::Column::ContractKey.eq(contract))
                .filter(hour_fact::Column::Month.is_in(months.clone()))
                .exec(txn)
                .await?;
            apprentice_fact::Entity::delete_many()
                .filter(apprentice_fact::Column::ContractKey.eq(contract))
                .filter(apprentice_fact::Column::Month.is_in(months))
                .exec(txn)
                .await?;
        }
    }
    Ok(())
}

/// The import row, with the file's warnings.
pub(super) async fn import(
    txn: &impl ConnectionTrait,
    actor: &str,
    file_name: &str,
    sha: String,
    parsed: &Parsed,
    issues: &[Issue],
) -> Result<hmsreg_import::Model, AppError> {
    let warnings: Vec<&Issue> = issues
        .iter()
        .filter(|i| i.severity == Severity::Warning)
        .collect();
    let import = hmsreg_import::ActiveModel {
        file_name: Set(file_name.chars().take(300).collect()),
        sha256: Set(sha),
        imported_at: Set(Utc::now()),
        imported_by: Set(actor.to_string()),
        row_count: Set(i64::try_from(parsed.row_count).unwrap_or(i64::MAX)),
        period_from: Set(parsed.period_from),
        period_to: Set(parsed.period_to),
        warnings: Set(serde_json::to_string(&warnings).map_err(AppError::internal)?),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(import)
}

/// The file's hours and apprentices, in key order: on PostgreSQL as arrays (`bulk.rs`).
pub(super) async fn facts(
    txn: &impl ConnectionTrait,
    import_id: i64,
    parsed: &Parsed,
) -> Result<(), AppError> {
    let mut facts: Vec<(&FactKey, &Hours)> = parsed.facts.iter().collect();
    facts.sort_by(|a, b| a.0.cmp(b.0));
    let mut apprentices: Vec<&(FactKey, String)> = parsed.apprentices.iter().collect();
    apprentices.sort();
    if txn.get_database_backend() == DbBackend::Postgres {
        super::bulk::hours(txn, import_id, &facts).await?;
        return super::bulk::apprentices(txn, import_id, &apprentices).await;
    }
    for chunk in facts.chunks(CHUNK) {
        let rows = chunk.iter().map(|(k, h)| hour_fact::ActiveModel {
            import_id: Set(import_id),
            month: Set(k.month as i32),
            agency_key: Set(k.agency.clone()),
            org_number: Set(k.org_number.clone()),
            contract_key: Set(k.contract.clone()),
            trade_key: Set(k.trade.clone()),
            skilled: Set(h.skilled),
            apprentice: Set(h.apprentice),
            unskilled: Set(h.unskilled),
            administrative: Set(h.administrative),
            ..Default::default()
        });
        hour_fact::Entity::insert_many(rows).exec(txn).await?;
    }
    for chunk in apprentices.chunks(CHUNK) {
        let rows = chunk
            .iter()
            .map(|(k, worker)| apprentice_fact::ActiveModel {
                import_id: Set(import_id),
                month: Set(k.month as i32),
                agency_key: Set(k.agency.clone()),
                org_number: Set(k.org_number.clone()),
                contract_key: Set(k.contract.clone()),
                trade_key: Set(k.trade.clone()),
                worker_hash: Set(worker.clone()),
                ..Default::default()
            });
        apprentice_fact::Entity::insert_many(rows).exec(txn).await?;
    }
    Ok(())
}

/// Keeps the first spelling ever imported of each agency, contract and trade.
pub(super) async fn labels(txn: &impl ConnectionTrait, parsed: &Parsed) -> Result<(), AppError> {
    let known: HashSet<(String, String)> = hmsreg_label::Entity::find()
        .select_only()
        .column(hmsreg_label::Column::Kind)
        .column(hmsreg_label::Column::Key)
        .into_tuple()
        .all(txn)
        .await?
        .into_iter()
        .collect();
    let mut new: Vec<hmsreg_label::ActiveModel> = parsed
        .labels
        .iter()
        .filter(|((kind, key), _)| !known.contains(&(kind.as_str().to_string(), key.clone())))
        .map(|((kind, key), label)| hmsreg_label::ActiveModel {
            kind: Set(kind.as_str().to_string()),
            key: Set(key.clone()),
            label: Set(label.chars().take(200).collect()),
        })
        .collect();
    while !new.is_empty() {
        let rest = new.split_off(new.len().min(CHUNK));
        hmsreg_label::Entity::insert_many(std::mem::replace(&mut new, rest))
            .exec(txn)
            .await?;
    }
    Ok(())
}
