//! One import of a register file, as `import-brreg`, the benchmark and the tests run it: read
//! the file off the async threads, then replace the kept entries in one transaction.

use std::{
    io::Read,
    sync::{Arc, atomic::AtomicU64},
};

use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use super::{
    Entry,
    scan::{self, FileError},
    service::{self, Stored},
};
use crate::error::AppError;

/// What an accepted file changed.
#[derive(Clone, Debug)]
pub struct Imported {
    pub stored: Stored,
    /// The organisation numbers looked for.
    pub wanted: usize,
    /// The kept entries the register flags, by organisation number.
    pub flagged: Vec<Entry>,
    pub gzip: bool,
}

/// Imports the register file in `source` as read on `checked_on`. The outer error is the
/// database's; the inner one says why the file was refused, and then nothing was changed.
/// `entities_read` counts the entities as they go by, for a progress display.
pub async fn import<R: Read + Send + 'static>(
    db: &DatabaseConnection,
    source: R,
    actor: &str,
    file_name: &str,
    checked_on: NaiveDate,
    entities_read: Arc<AtomicU64>,
) -> Result<Result<Imported, FileError>, AppError> {
    let wanted = service::wanted(db).await?;
    let wanted_count = wanted.len();
    // The file is read before the transaction opens: a minute of reading must not hold the
    // database's write lock. A supplier added meanwhile is looked for by the next import.
    let scanned = tokio::task::spawn_blocking(move || scan::read(source, &wanted, &entities_read))
        .await
        .map_err(AppError::internal)?;
    let scan = match scanned {
        Ok(scan) => scan,
        Err(refused) => return Ok(Err(refused)),
    };
    let txn = crate::db::begin_write(db).await?;
    let stored = service::replace(&txn, actor, file_name, checked_on, &scan).await?;
    txn.commit().await?;
    Ok(Ok(Imported {
        stored,
        wanted: wanted_count,
        flagged: scan.kept.into_values().filter(Entry::flagged).collect(),
        gzip: scan.gzip,
    }))
}
