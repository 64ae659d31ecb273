//! Stores a checked file in one transaction: checks, replacement, writes, audit.
//!
//! The transaction is a savepoint when the connection is one already.

mod agencies;
mod bulk;
mod checks;
mod earlier;
pub mod replacement;
mod trades;
mod writes;

use std::collections::{BTreeMap, BTreeSet};

use entity::hmsreg_import;
use sea_orm::{ConnectionTrait, TransactionSession, TransactionTrait};

use super::{
    aggregate::Parsed,
    config::HmsregConfig,
    issue::Issue,
    service::{Outcome, Status, file_total},
};
use crate::{
    audit::{self, AuditEvent},
    error::AppError,
};

/// Checks what `read_and_check` found and, unless rejected or a dry run, stores it in one
/// transaction on `conn` (a savepoint when `conn` is already a transaction).
pub async fn store<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    config: &HmsregConfig,
    actor: &str,
    file_name: &str,
    checked: Result<(String, Parsed), Issue>,
    dry_run: bool,
) -> Result<Outcome, AppError> {
    let (sha, parsed) = match checked {
        Ok(ok) => ok,
        Err(issue) => return Ok(Outcome::rejected(vec![issue])),
    };
    let mut issues = parsed.issues.clone();
    if let Err(refusal) = checks::content(&parsed) {
        issues.extend(refusal);
        return Ok(Outcome::rejected(issues));
    }

    let txn = crate::db::begin_write(conn).await?;
    crate::db::lock_imports(&txn).await?;
    if let Some(duplicate) = checks::duplicate(&txn, &sha).await? {
        issues.push(duplicate);
        return Ok(Outcome::rejected(issues));
    }
    let (replaced, warnings) = earlier::replacement(&txn, &parsed).await?;
    issues.extend(warnings);
    let register = crate::agencies::service::load(&txn).await?;
    issues.extend(agencies::unknown(&parsed, &register));
    issues.extend(trades::unknown(&parsed, &config.shares.trades));

    let total = file_total(&parsed, &config.shares);
    if dry_run {
        txn.rollback().await?;
        return Ok(Outcome {
            status: Status::Accepted,
            import: None,
            issues,
            total: Some(total),
        });
    }

    writes::remove_replaced(&txn, &replaced).await?;
    let import = writes::import(&txn, actor, file_name, sha, &parsed, &issues).await?;
    writes::facts(&txn, import.id, &parsed).await?;
    // The quarter and year rollup follows the facts in the same transaction.
    crate::hmsreg::rollup::refresh_touched(
        &txn,
        parsed.facts.keys().map(|k| (k.contract.as_str(), k.month)),
    )
    .await?;
    writes::labels(&txn, &parsed).await?;
    record(&txn, actor, &import, &replaced).await?;
    txn.commit().await?;
    Ok(Outcome {
        status: Status::Accepted,
        import: Some(import),
        issues,
        total: Some(total),
    })
}

/// The audit record of the import, naming the imports whose hours it replaced.
async fn record(
    txn: &impl ConnectionTrait,
    actor: &str,
    import: &hmsreg_import::Model,
    replaced: &BTreeMap<i64, BTreeSet<replacement::Pair>>,
) -> Result<(), AppError> {
    audit::record(
        txn,
        AuditEvent {
            actor,
            action: "import",
            entity: "hmsreg_import",
            entity_id: import.id.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "fileName": import.file_name, "sha256": import.sha256, "rowCount": import.row_count,
                "replacedImports": replaced.keys().collect::<Vec<_>>(),
            })),
        },
    )
    .await
}
