//! The grouped statistics on PostgreSQL as statements side by side, when the caller has the
//! pool: the hours on one connection and the distinct apprentices on a second. One combined
//! statement ran them one after the other on one core, and each took about as long as the
//! other (by AGENCY then QUARTER over 10 million hour rows, 126 and 107 ms of 245 ms under
//! EXPLAIN ANALYZE). When the hours come from the year rollup (by AGENCY, SUPPLIER or
//! CONTRACT over whole years) they are the small half, and the apprentices are split once more,
//! by worker, onto a third connection. The other transactions take the first one's snapshot
//! (`SET TRANSACTION SNAPSHOT`), so all see the same committed imports: an import that commits
//! in between is in every statement or in none.

use std::collections::HashMap;

use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend,
    FromQueryResult, IsolationLevel, Statement, TransactionTrait,
};
use tokio::sync::Semaphore;

use super::grouped::{self, GroupRow, Part, Query, WorkerRow};
use crate::error::AppError;

/// Calls that may hold two or three connections at once (the pool has 20). A call waits for
/// its place before it takes any connection, so waiting calls hold none, and the four that
/// run hold at most 12: the pool always has room for the rest of the server. (Falling back to
/// the one statement when no place was free made a call's statements depend on what else was
/// running; waiting keeps every call the same.)
static SPLIT_CALLS: Semaphore = Semaphore::const_new(4);

/// The groups of `q`, one row each, in no particular order: as [`grouped::rows`], on
/// PostgreSQL in two or three statements at once.
pub(super) async fn rows(
    db: &DatabaseConnection,
    q: &Query<'_>,
) -> Result<Vec<GroupRow>, AppError> {
    let backend = db.get_database_backend();
    if backend != DbBackend::Postgres {
        return grouped::rows(db, q).await;
    }
    let _place = SPLIT_CALLS.acquire().await.map_err(AppError::internal)?;
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
    // Over the year rollup the hours are the small half, and the apprentices are split once
    // more. Otherwise the hours are as much work as all the apprentices (by MONTH more), and
    // a third statement only took a core from them (AGENCY then QUARTER 98-144 ms with two,
    // 170-195 with three, bench-followup).
    let split = q.hours_grain() == Some(12);
    let second = read_only(db).await?;
    let third = match split {
        true => Some(read_only(db).await?),
        false => None,
    };
    let take = format!("SET TRANSACTION SNAPSHOT '{snapshot}'");
    second.execute_unprepared(&take).await?;
    if let Some(third) = &third {
        third.execute_unprepared(&take).await?;
    }
    let hours = GroupRow::find_by_statement(grouped::statement(backend, q, Part::Hours));
    let workers = |part| WorkerRow::find_by_statement(grouped::statement(backend, q, part));
    let (mut hours, counted): (Vec<GroupRow>, Vec<WorkerRow>) = match &third {
        Some(third) => {
            let (hours, lower, upper) = tokio::try_join!(
                hours.all(&first),
                workers(Part::Workers(Some(false))).all(&second),
                workers(Part::Workers(Some(true))).all(third),
            )?;
            (hours, lower.into_iter().chain(upper).collect())
        }
        None => tokio::try_join!(hours.all(&first), workers(Part::Workers(None)).all(&second))?,
    };
    first.commit().await?;
    second.commit().await?;
    if let Some(third) = third {
        third.commit().await?;
    }
    let mut counts: HashMap<(String, String), i64> = HashMap::new();
    for w in counted {
        *counts.entry((w.dim, w.sub)).or_default() += w.n;
    }
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
