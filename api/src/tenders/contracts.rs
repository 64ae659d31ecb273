//! The contracts a tender led to, written as HMSREG's contract column writes them, so that
//! each contract's hours can be followed up against what its tender required.

use std::collections::HashMap;

use entity::{tender, tender_contract};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::{domain::text, error::AppError, validate};

/// Most contract numbers on one tender.
pub const MAX_CONTRACTS: usize = 200;
/// As HMSREG's cells: longer text is refused there too.
const MAX_LENGTH: usize = 1000;

/// The key HMSREG hours are stored under for this contract text.
pub fn key(contract: &str) -> String {
    text::search_key(contract)
}

/// The given contract numbers, cleaned; the same number twice counts once.
pub fn clean(given: Option<Vec<String>>) -> Result<Vec<String>, AppError> {
    let given = given.unwrap_or_default();
    if given.len() > MAX_CONTRACTS {
        return Err(AppError::bad_input(
            "contractNumbers",
            format!("at most {MAX_CONTRACTS} contract numbers"),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(given.len());
    for (i, c) in given.iter().enumerate() {
        let field = format!("contractNumbers[{i}]");
        let c = text::collapse_spaces(&validate::required_text(&field, c, MAX_LENGTH)?);
        if !out.iter().any(|o| key(o) == key(&c)) {
            out.push(c);
        }
    }
    Ok(out)
}

/// Makes `contracts` the tender's own. A contract comes from one tender: one that another
/// tender already names is CONFLICT, naming that tender.
pub async fn write(
    conn: &impl ConnectionTrait,
    tender_id: i64,
    contracts: &[String],
) -> Result<(), AppError> {
    tender_contract::Entity::delete_many()
        .filter(tender_contract::Column::TenderId.eq(tender_id))
        .exec(conn)
        .await?;
    if contracts.is_empty() {
        return Ok(());
    }
    let keys: Vec<String> = contracts.iter().map(|c| key(c)).collect();
    let taken = tender_contract::Entity::find()
        .filter(tender_contract::Column::ContractKey.is_in(keys.iter().map(String::as_str)))
        .one(conn)
        .await?;
    if let Some(t) = taken {
        let other = tender::Entity::find_by_id(t.tender_id).one(conn).await?;
        let title = other.map_or_else(String::new, |o| format!(" ({})", o.title));
        return Err(AppError::Conflict(format!(
            "contract '{}' is already named by tender {}{title}: a contract comes from one tender",
            t.contract, t.tender_id
        )));
    }
    let rows =
        contracts
            .iter()
            .zip(keys)
            .enumerate()
            .map(|(i, (c, k))| tender_contract::ActiveModel {
                contract_key: Set(k),
                tender_id: Set(tender_id),
                contract: Set(c.clone()),
                position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
            });
    tender_contract::Entity::insert_many(rows)
        .exec(conn)
        .await?;
    Ok(())
}

/// The contract numbers of each of `ids`, in the order given.
pub async fn of_tenders(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>, AppError> {
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for chunk in ids.chunks(crate::db::IN_CHUNK) {
        let rows = tender_contract::Entity::find()
            .filter(tender_contract::Column::TenderId.is_in(chunk.iter().copied()))
            .order_by_asc(tender_contract::Column::TenderId)
            .order_by_asc(tender_contract::Column::Position)
            .all(conn)
            .await?;
        for r in rows {
            out.entry(r.tender_id).or_default().push(r.contract);
        }
    }
    Ok(out)
}

/// Every named contract: (key, text, tender id).
pub async fn all(conn: &impl ConnectionTrait) -> Result<Vec<tender_contract::Model>, AppError> {
    Ok(tender_contract::Entity::find()
        .order_by_asc(tender_contract::Column::ContractKey)
        .all(conn)
        .await?)
}
