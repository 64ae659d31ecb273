//! PostgreSQL's writes of an import's facts: each column of a table as one array, the rows
//! made by `INSERT ... SELECT FROM UNNEST`, `BULK` rows per statement.
//!
//! Why: a year's workbook holds about 76,000 month-grain rows. As multi-row INSERTs of 500
//! they were 150 statements of 3,500-5,000 bind values, each parsed and planned anew (a
//! VALUES list plans every row as its own expression); about a third of PostgreSQL's time in
//! them went to that rather than to the rows. One array per column binds ten values per
//! statement, whatever the number of rows. SQLite has no arrays and plans in-process: it keeps
//! the multi-row INSERTs (`writes.rs`).

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use crate::{
    error::AppError,
    hmsreg::import::aggregate::{FactKey, Hours},
};

/// Rows per statement: bounds the size of one statement's arrays (a few MiB) on any file.
const BULK: usize = 20_000;

const HOURS: &str = "INSERT INTO hour_fact (import_id, month, agency_key, org_number, \
    contract_key, trade_key, skilled, apprentice, unskilled, administrative) \
    SELECT $1, * FROM UNNEST(CAST($2 AS INTEGER[]), CAST($3 AS TEXT[]), CAST($4 AS TEXT[]), \
    CAST($5 AS TEXT[]), CAST($6 AS TEXT[]), CAST($7 AS BIGINT[]), CAST($8 AS BIGINT[]), \
    CAST($9 AS BIGINT[]), CAST($10 AS BIGINT[]))";

const APPRENTICES: &str = "INSERT INTO apprentice_fact (import_id, month, agency_key, \
    org_number, contract_key, trade_key, worker_hash) \
    SELECT $1, * FROM UNNEST(CAST($2 AS INTEGER[]), CAST($3 AS TEXT[]), CAST($4 AS TEXT[]), \
    CAST($5 AS TEXT[]), CAST($6 AS TEXT[]), CAST($7 AS TEXT[]))";

/// The key columns of a run of facts, one vector per column.
struct KeyColumns {
    month: Vec<i32>,
    agency: Vec<String>,
    org_number: Vec<String>,
    contract: Vec<String>,
    trade: Vec<String>,
}

impl KeyColumns {
    fn with_capacity(n: usize) -> Self {
        Self {
            month: Vec::with_capacity(n),
            agency: Vec::with_capacity(n),
            org_number: Vec::with_capacity(n),
            contract: Vec::with_capacity(n),
            trade: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, key: &FactKey) {
        self.month.push(key.month as i32);
        self.agency.push(key.agency.clone());
        self.org_number.push(key.org_number.clone());
        self.contract.push(key.contract.clone());
        self.trade.push(key.trade.clone());
    }

    /// The import id and the key columns: the bind values `$1`..`$6`.
    fn into_values(self, import_id: i64) -> Vec<Value> {
        vec![
            import_id.into(),
            self.month.into(),
            self.agency.into(),
            self.org_number.into(),
            self.contract.into(),
            self.trade.into(),
        ]
    }
}

/// The file's hours, `facts` in the order given.
pub(super) async fn hours(
    txn: &impl ConnectionTrait,
    import_id: i64,
    facts: &[(&FactKey, &Hours)],
) -> Result<(), AppError> {
    for chunk in facts.chunks(BULK) {
        let mut keys = KeyColumns::with_capacity(chunk.len());
        let mut hours: [Vec<i64>; 4] = Default::default();
        for (key, h) in chunk {
            keys.push(key);
            for (column, value) in
                hours
                    .iter_mut()
                    .zip([h.skilled, h.apprentice, h.unskilled, h.administrative])
            {
                column.push(value);
            }
        }
        let mut values = keys.into_values(import_id);
        values.extend(hours.into_iter().map(Value::from));
        execute(txn, HOURS, values).await?;
    }
    Ok(())
}

/// The file's (fact, apprentice) pairs, in the order given.
pub(super) async fn apprentices(
    txn: &impl ConnectionTrait,
    import_id: i64,
    pairs: &[&(FactKey, String)],
) -> Result<(), AppError> {
    for chunk in pairs.chunks(BULK) {
        let mut keys = KeyColumns::with_capacity(chunk.len());
        let mut workers = Vec::with_capacity(chunk.len());
        for (key, worker) in chunk.iter().copied() {
            keys.push(key);
            workers.push(worker.clone());
        }
        let mut values = keys.into_values(import_id);
        values.push(workers.into());
        execute(txn, APPRENTICES, values).await?;
    }
    Ok(())
}

async fn execute(
    txn: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> Result<(), AppError> {
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
    .await?;
    Ok(())
}
