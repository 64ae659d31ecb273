//! Importing an HMSREG file: read and check it off the async threads, then write the import
//! and its hours in one transaction, replacing earlier hours of the same contract-months.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap, HashSet},
    io::{Read, Seek, SeekFrom},
};

use chrono::Utc;
use entity::{apprentice_fact, hmsreg_import, hmsreg_label, hour_fact};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionSession, TransactionTrait, sea_query::Expr,
};
use sha2::{Digest, Sha256};

use super::{
    parse::{FactKey, Hours, Issue, Parsed, Parser, Severity},
    reader::{self, ReadLimits},
    replacement,
    shares::{self, Share, ShareSettings},
};
use crate::{
    audit::{self, AuditEvent},
    error::AppError,
};

/// What the import and the shares depend on, from the settings.
#[derive(Clone)]
pub struct HmsregConfig {
    /// Key of the worker-id hash.
    pub worker_key: Vec<u8>,
    pub shares: ShareSettings,
    pub read: ReadLimits,
    pub max_file_bytes: u64,
}

impl std::fmt::Debug for HmsregConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key stays out of logs.
        f.debug_struct("HmsregConfig")
            .field("shares", &self.shares)
            .field("read", &self.read)
            .finish_non_exhaustive()
    }
}

impl HmsregConfig {
    /// From the settings; the worker-hash key is `SAMKJOP_WORKER_KEY`, else the HS256 secret.
    pub fn from_settings(
        settings: &crate::config::Settings,
    ) -> Result<Self, crate::config::ConfigError> {
        use crate::config::{ConfigError, JwtKey};
        use secrecy::ExposeSecret as _;
        let key = match (&settings.worker_key, &settings.jwt.key) {
            (Some(k), _) => k,
            (None, JwtKey::Secret(s)) => s,
            (None, _) => {
                return Err(ConfigError::invalid(
                    "SAMKJOP_WORKER_KEY",
                    "set it (at least 32 bytes): HMS card numbers are kept only as a hash keyed with it",
                ));
            }
        };
        Ok(Self {
            worker_key: key.expose_secret().as_bytes().to_vec(),
            shares: ShareSettings {
                include_administrative: settings.relevant_includes_administrative,
                skilled_target: settings.skilled_target,
                apprentice_target: settings.apprentice_target,
            },
            read: ReadLimits {
                max_rows: settings.limits.sheet_rows,
                max_columns: settings.limits.sheet_columns,
            },
            max_file_bytes: settings.limits.upload_bytes as u64,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Accepted,
    Rejected,
}

pub struct Outcome {
    pub status: Status,
    /// The stored import; `None` when rejected or on a dry run.
    pub import: Option<hmsreg_import::Model>,
    pub issues: Vec<Issue>,
    /// The file's shares; `None` when rejected.
    pub total: Option<Share>,
}

fn rejected(issues: Vec<Issue>) -> Outcome {
    Outcome {
        status: Status::Rejected,
        import: None,
        issues,
        total: None,
    }
}

/// Reads and checks `source` (blocking: call from a blocking thread). Returns the file's
/// SHA-256 and what it holds, or the single issue that made it unreadable.
pub fn read_and_check<R: Read + Seek>(
    mut source: R,
    file_name: &str,
    config: &HmsregConfig,
) -> Result<(String, Parsed), Issue> {
    let unreadable = |m: &str| Issue::file(Severity::Error, "UNREADABLE_FILE", m);
    let size = source
        .seek(SeekFrom::End(0))
        .map_err(|_| unreadable("the uploaded file could not be read"))?;
    if size > config.max_file_bytes {
        return Err(Issue::file(
            Severity::Error,
            "FILE_TOO_LARGE",
            format!(
                "the file is {size} bytes; at most {} are accepted",
                config.max_file_bytes
            ),
        ));
    }
    source
        .seek(SeekFrom::Start(0))
        .map_err(|_| unreadable("the uploaded file could not be read"))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut source, &mut hasher)
        .map_err(|_| unreadable("the uploaded file could not be read"))?;
    let sha = hex::encode(hasher.finalize());
    source
        .seek(SeekFrom::Start(0))
        .map_err(|_| unreadable("the uploaded file could not be read"))?;
    // calamine and our parser both read hostile bytes: a panic in either must reject the file
    // with an answer, not take the upload down with it. The closure owns its state, so
    // nothing half-updated is seen after an unwind.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut parser = Parser::new(&config.worker_key);
        reader::read(source, file_name, config.read, &mut parser)
            .map(|()| parser.finish())
            .map_err(|f| Issue::file(Severity::Error, f.code(), f.to_string()))
    }));
    match read {
        Ok(parsed) => Ok((sha, parsed?)),
        Err(cause) => {
            let cause = cause
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| cause.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("a panic without a message");
            tracing::error!(file_name, sha, cause, "reading an HMSREG file panicked");
            Err(unreadable(
                "the file cannot be read: it is damaged, incomplete, or not really a spreadsheet",
            ))
        }
    }
}

/// The file's own shares, from what it holds.
pub fn file_total(parsed: &Parsed, settings: &ShareSettings) -> Share {
    let mut contracts: HashMap<&str, Hours> = HashMap::new();
    for (key, hours) in &parsed.facts {
        contracts
            .entry(key.contract.as_str())
            .or_default()
            .plus(hours);
    }
    let workers: HashSet<&str> = parsed.apprentices.iter().map(|(_, w)| w.as_str()).collect();
    let per_contract: Vec<Hours> = contracts.into_values().collect();
    shares::share("total".into(), &per_contract, workers.len(), settings)
}

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
        Err(issue) => return Ok(rejected(vec![issue])),
    };
    let mut issues = parsed.issues.clone();
    if parsed.sheets_with_header == 0 {
        issues.push(Issue::file(
            Severity::Error,
            "NO_HEADER",
            "no sheet has a header row with an hours column (Timer) and a category column (Kategori) in its first 30 rows",
        ));
        return Ok(rejected(issues));
    }
    if parsed.has_errors {
        return Ok(rejected(issues));
    }
    if parsed.row_count == 0 {
        issues.push(Issue::file(
            Severity::Error,
            "NO_ROWS",
            "the file has a header but no rows with hours",
        ));
        return Ok(rejected(issues));
    }

    let txn = crate::db::begin_write(conn).await?;
    crate::db::lock_imports(&txn).await?;
    if let Some(earlier) = hmsreg_import::Entity::find()
        .filter(hmsreg_import::Column::Sha256.eq(sha.as_str()))
        .one(&txn)
        .await?
    {
        issues.push(Issue::file(
            Severity::Error,
            "DUPLICATE_FILE",
            format!(
                "this file was imported already, as import {} ('{}') on {}",
                earlier.id,
                earlier.file_name,
                earlier.imported_at.format("%Y-%m-%d")
            ),
        ));
        return Ok(rejected(issues));
    }

    // Earlier hours of the same (contract, month) pairs are replaced, never added to.
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
    // Earlier hours of these contracts per (import, contract, month, supplier); chunked, since
    // a file may name more contracts than one statement can bind.
    let mut earlier: Vec<(i64, String, i32, String, i64)> = Vec::new();
    for chunk in contracts.chunks(crate::db::IN_CHUNK) {
        let rows: Vec<(i64, String, i32, String, i64)> = hour_fact::Entity::find()
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
            .all(&txn)
            .await?;
        earlier.extend(rows);
    }
    let plan = replacement::plan(&parsed, &pairs, earlier);
    let mut names: HashMap<i64, String> = HashMap::new();
    let replaced_ids: Vec<i64> = plan.replaced.keys().copied().collect();
    for chunk in replaced_ids.chunks(crate::db::IN_CHUNK) {
        let found = hmsreg_import::Entity::find()
            .filter(hmsreg_import::Column::Id.is_in(chunk.iter().copied()))
            .all(&txn)
            .await?;
        names.extend(found.into_iter().map(|i| (i.id, i.file_name)));
    }
    issues.extend(replacement::issues(&parsed, &plan, &names));
    let replaced = plan.replaced;

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

    for which in replaced.values() {
        let mut by_contract: BTreeMap<&str, Vec<i32>> = BTreeMap::new();
        for (c, m) in which {
            by_contract.entry(c.as_str()).or_default().push(*m as i32);
        }
        for (contract, months) in by_contract {
            hour_fact::Entity::delete_many()
                .filter(hour_fact::Column::ContractKey.eq(contract))
                .filter(hour_fact::Column::Month.is_in(months.clone()))
                .exec(&txn)
                .await?;
            apprentice_fact::Entity::delete_many()
                .filter(apprentice_fact::Column::ContractKey.eq(contract))
                .filter(apprentice_fact::Column::Month.is_in(months))
                .exec(&txn)
                .await?;
        }
    }

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
    .insert(&txn)
    .await?;

    write_facts(&txn, import.id, &parsed).await?;
    write_labels(&txn, &parsed).await?;
    audit::record(
        &txn,
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
    .await?;
    txn.commit().await?;
    Ok(Outcome {
        status: Status::Accepted,
        import: Some(import),
        issues,
        total: Some(total),
    })
}

/// Rows per INSERT: well under SQLite's and PostgreSQL's bind-parameter limits.
const CHUNK: usize = 500;

async fn write_facts(
    txn: &impl ConnectionTrait,
    import_id: i64,
    parsed: &Parsed,
) -> Result<(), AppError> {
    let mut facts: Vec<(&FactKey, &Hours)> = parsed.facts.iter().collect();
    facts.sort_by(|a, b| a.0.cmp(b.0));
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
    let mut apprentices: Vec<&(FactKey, String)> = parsed.apprentices.iter().collect();
    apprentices.sort();
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
async fn write_labels(txn: &impl ConnectionTrait, parsed: &Parsed) -> Result<(), AppError> {
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
