//! The quarter and year rollup of the hours (`hour_rollup`, see migration 8): rewritten from
//! the month-grain facts for the contracts and years an import touches, in the import's
//! transaction, so it always adds up to the facts.

use std::collections::BTreeSet;

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use crate::error::AppError;

/// The grains the rollup holds, in months.
pub const GRAINS: [u32; 2] = [3, 12];

/// The first month (`yyyymm`) of the `grain`-month period a fact's `month` column falls in, as
/// SQL (integer division on both databases).
pub fn period_sql(grain: u32) -> &'static str {
    match grain {
        3 => "(month / 100) * 100 + ((month % 100 - 1) / 3) * 3 + 1",
        _ => "(month / 100) * 100 + 1",
    }
}

/// `SUM(expr)` of hour columns (whole hundredths), exact on both databases and fast on
/// PostgreSQL, which sums a BIGINT into NUMERIC: its accumulators made the grouping
/// statements half again as slow and spill to disk. A DOUBLE PRECISION sum of integers is
/// exact while every partial sum stays under 2^53, and hours cannot come near that: a row
/// holds at most 74,400 hundredths (744 hours in a month), so 2^53 is over 10^11 rows.
/// SQLite sums integers as integers already.
pub fn sum_sql(backend: DbBackend, expr: &str) -> String {
    format!("SUM({})", as_summed(backend, expr))
}

/// `expr` as [`sum_sql`] adds it up.
pub fn as_summed(backend: DbBackend, expr: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("CAST({expr} AS DOUBLE PRECISION)"),
        _ => expr.to_string(),
    }
}

/// Whether `from..=to` (`yyyymm`, either end open) covers whole periods of `grain` months.
pub fn aligned(grain: u32, from: Option<u32>, to: Option<u32>) -> bool {
    from.is_none_or(|m| (m % 100).saturating_sub(1) % grain == 0)
        && to.is_none_or(|m| (m % 100) % grain == 0)
}

/// Rewrites the rollup of the contracts whose (contract, `yyyymm`) pairs an import wrote or
/// replaced, over the years of those months.
pub async fn refresh_touched<'a>(
    txn: &impl ConnectionTrait,
    touched: impl Iterator<Item = (&'a str, u32)>,
) -> Result<(), AppError> {
    let mut contracts = BTreeSet::new();
    let mut years: Option<(u32, u32)> = None;
    for (contract, month) in touched {
        contracts.insert(contract);
        let y = month / 100;
        years = Some(years.map_or((y, y), |(a, b)| (a.min(y), b.max(y))));
    }
    match years {
        Some((first, last)) => refresh(txn, &contracts, first, last).await,
        None => Ok(()),
    }
}

/// Rewrites the rollup of `contracts` over the whole years `first_year..=last_year`.
pub async fn refresh(
    txn: &impl ConnectionTrait,
    contracts: &BTreeSet<&str>,
    first_year: u32,
    last_year: u32,
) -> Result<(), AppError> {
    let contracts: Vec<&str> = contracts.iter().copied().collect();
    let (from, to) = (first_year * 100 + 1, last_year * 100 + 12);
    for chunk in contracts.chunks(crate::db::IN_CHUNK) {
        let backend = txn.get_database_backend();
        let (sql, values) = with_contracts(
            backend,
            "DELETE FROM hour_rollup WHERE month >= {from} AND month <= {to} AND contract_key IN ",
            chunk,
            from,
            to,
        );
        txn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
        for grain in GRAINS {
            let (sql, values) = with_contracts(
                backend,
                &insert_sql(
                    backend,
                    grain,
                    "month >= {from} AND month <= {to} AND contract_key IN ",
                ),
                chunk,
                from,
                to,
            );
            txn.execute_raw(Statement::from_sql_and_values(backend, sql, values))
                .await?;
        }
    }
    Ok(())
}

/// Rewrites the whole rollup (the benchmark's fill, which writes facts directly).
pub async fn rebuild(txn: &impl ConnectionTrait) -> Result<(), AppError> {
    txn.execute_unprepared("DELETE FROM hour_rollup").await?;
    let backend = txn.get_database_backend();
    for grain in GRAINS {
        txn.execute_unprepared(&insert_sql(backend, grain, "1 = 1").replace("{contracts}", ""))
            .await?;
    }
    Ok(())
}

/// The rollup rows of `grain` from the facts `condition` selects.
fn insert_sql(backend: DbBackend, grain: u32, condition: &str) -> String {
    let p = period_sql(grain);
    let sum = |expr: &str| format!("CAST({} AS BIGINT)", sum_sql(backend, expr));
    format!(
        "INSERT INTO hour_rollup (grain, month, agency_key, org_number, contract_key, trade_key, \
         skilled, apprentice, unskilled, administrative) \
         SELECT {grain}, {p}, agency_key, org_number, contract_key, trade_key, {}, {}, {}, {} \
         FROM hour_fact WHERE {condition}{{contracts}} \
         GROUP BY {p}, agency_key, org_number, contract_key, trade_key",
        sum("skilled"),
        sum("apprentice"),
        sum("unskilled"),
        sum("administrative"),
    )
}

/// `template` with its month bounds and `{contracts}` (or the end of the text) bound: the
/// placeholders in the order they appear.
fn with_contracts(
    backend: DbBackend,
    template: &str,
    contracts: &[&str],
    from: u32,
    to: u32,
) -> (String, Vec<Value>) {
    let mut values: Vec<Value> = Vec::with_capacity(contracts.len() + 2);
    let next = |v: Value, values: &mut Vec<Value>| {
        values.push(v);
        match backend {
            DbBackend::Postgres => format!("${}", values.len()),
            _ => "?".to_string(),
        }
    };
    let from_p = next((from as i32).into(), &mut values);
    let to_p = next((to as i32).into(), &mut values);
    let list: Vec<String> = contracts
        .iter()
        .map(|c| next((*c).into(), &mut values))
        .collect();
    let list = format!("({})", list.join(", "));
    let mut sql = template.replace("{from}", &from_p).replace("{to}", &to_p);
    if sql.contains("{contracts}") {
        sql = sql.replace("{contracts}", &list);
    } else {
        sql.push_str(&list);
    }
    (sql, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_quarters_and_years_are_told_apart() {
        assert!(aligned(12, None, None));
        assert!(aligned(12, Some(202301), Some(202512)));
        assert!(!aligned(12, Some(202302), Some(202512)));
        assert!(!aligned(12, Some(202301), Some(202511)));
        assert!(aligned(3, Some(202504), Some(202509)));
        assert!(!aligned(3, Some(202505), None));
        assert!(aligned(3, None, Some(202512)));
        assert!(!aligned(3, None, Some(202511)));
    }
}
