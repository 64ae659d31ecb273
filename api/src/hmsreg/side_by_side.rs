//! The grouped statistics on PostgreSQL as two statements side by side, when the caller has
//! the pool: the hours and the distinct apprentices each take about half of one combined
//! statement's time (by AGENCY then QUARTER over 10 million hour rows, 126 and 107 ms of
//! 245 ms under EXPLAIN ANALYZE), and on two connections the server runs them at once, one
//! core each. The second transaction takes the first's snapshot (`SET TRANSACTION
//! SNAPSHOT`), so both see the same committed imports: an import that commits in between is
//! in neither or in both.

use std::collections::HashMap;

use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend,
    FromQueryResult, IsolationLevel, Statement, TransactionTrait,
};
use tokio::sync::Semaphore;

use super::grouped::{self, GroupRow, Part, Query, WorkerRow};
use crate::error::AppError;

/// Calls that may hold two connections at once (the pool has 20). A call holding one waits
/// for its second while at most this many others do the same, so the rest of the pool always
/// frees up; a call that finds every pair taken runs the one combined statement instead.
static PAIRS: Semaphore = Semaphore::const_new(4);

/// The groups of `q`, one row each, in no particular order: as [`grouped::rows`], on
/// PostgreSQL in two statements at once.
pub(super) async fn rows(
    db: &DatabaseConnection,
    q: &Query<'_>,
) -> Result<Vec<GroupRow>, AppError> {
    let backend = db.get_database_backend();
    let permit = match backend {
        DbBackend::Postgres => PAIRS.try_acquire().ok(),
        _ => None,
    };
    let Some(_permit) = permit else {
        return grouped::rows(db, q).await;
    };
    let first = read_only(db).await?;
    let snapshot = first
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT pg_export_snapshot() AS id",
        ))
        .await?
        .map(|row| row.try_get::<String>("", "id"))
        .transpose()?
        .unwrap_or_default();
    // The identifier goes into the text (SET takes no bind values): PostgreSQL writes it in
    // hex digits and dashes; anything else is not taken in.
    if snapshot.is_empty() || !snapshot.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(AppError::internal(anyhow::anyhow!(
            "unexpected snapshot identifier {snapshot:?}"
        )));
    }
    let second = read_only(db).await?;
    second
        .execute_unprepared(&format!("SET TRANSACTION SNAPSHOT '{snapshot}'"))
        .await?;
    let (mut hours, workers) = tokio::try_join!(
        GroupRow::find_by_statement(grouped::statement(backend, q, Part::Hours)).all(&first),
        WorkerRow::find_by_statement(grouped::statement(backend, q, Part::Workers)).all(&second),
    )?;
    tokio::try_join!(first.commit(), second.commit())?;
    let counts: HashMap<(String, String), i64> =
        workers.into_iter().map(|w| ((w.dim, w.sub), w.n)).collect();
    for row in &mut hours {
        let key = (row.dim.clone(), row.sub.clone());
        row.workers = counts.get(&key).copied().unwrap_or(0);
    }
    Ok(hours)
}

async fn read_only(db: &DatabaseConnection) -> Result<DatabaseTransaction, AppError> {
    Ok(db
        .begin_with_config(
            Some(IsolationLevel::RepeatableRead),
            Some(AccessMode::ReadOnly),
        )
        .await?)
}
