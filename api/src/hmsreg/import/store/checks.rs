//! Why a file that was read is not stored: what it holds, or that it was imported already.

use entity::hmsreg_import;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{
    error::AppError,
    hmsreg::import::{
        aggregate::Parsed,
        issue::{Issue, Severity},
    },
};

/// `Err` when the file is refused for what it holds, with the issue that says why unless its
/// own errors do.
pub(super) fn content(parsed: &Parsed) -> Result<(), Option<Issue>> {
    if parsed.sheets_with_header == 0 {
        return Err(Some(Issue::file(
            Severity::Error,
            "NO_HEADER",
            "no sheet has a header row with an hours column (Timer) and a category column (Kategori) in its first 30 rows",
        )));
    }
    if parsed.has_errors {
        return Err(None);
    }
    if parsed.row_count == 0 {
        return Err(Some(Issue::file(
            Severity::Error,
            "NO_ROWS",
            "the file has a header but no rows with hours",
        )));
    }
    Ok(())
}

/// The issue when a file with this SHA-256 was imported before.
pub(super) async fn duplicate(
    txn: &impl ConnectionTrait,
    sha: &str,
) -> Result<Option<Issue>, AppError> {
    let earlier = hmsreg_import::Entity::find()
        .filter(hmsreg_import::Column::Sha256.eq(sha))
        .one(txn)
        .await?;
    Ok(earlier.map(|earlier| {
        Issue::file(
            Severity::Error,
            "DUPLICATE_FILE",
            format!(
                "this file was imported already, as import {} ('{}') on {}",
                earlier.id,
                earlier.file_name,
                earlier.imported_at.format("%Y-%m-%d")
            ),
        )
    }))
}
