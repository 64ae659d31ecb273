//! Recorded checks (docs/rules.md, Frozen verdicts): each tender's check as it was made when
//! the tender was created, updated or rechecked, with the catalogue version of that moment.
//! Statistics count these, so editing the rule file never rewrites past figures.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{tender, tender_check};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set,
    sea_query::{OnConflict, Query},
};
use serde::{Deserialize, Serialize};

use super::{
    catalogue::{Catalogue, RuleId},
    check::{self, Check, FindingStatus, RequirementCode, Tender, Verdict},
    service::{self, TenderRecord},
    stats::FirmRequirements,
};
use crate::{
    audit::{self, AuditEvent, service::snapshot},
    auth::Scope,
    error::AppError,
};

/// Most tenders one `recheckTenders` takes: one transaction, an audit event each.
pub const MAX_RECHECK: usize = 1_000;

/// Rows per insert: six values each, far under both databases' bind limits.
const ROWS_PER_INSERT: usize = crate::db::IN_CHUNK / 6;

/// One finding as stored in `tender_check.findings`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedFinding {
    pub rule_id: String,
    pub status: FindingStatus,
    pub message: String,
    pub title: String,
    pub source: String,
}

/// A tender's check as recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedCheck {
    pub verdict: Verdict,
    pub findings: Vec<RecordedFinding>,
    pub rules_version: String,
    pub checked_at: DateTime<Utc>,
}

impl RecordedCheck {
    /// The recorded status of rule `id`; `None` when the check had no such finding.
    pub fn status(&self, id: RuleId) -> Option<FindingStatus> {
        self.findings
            .iter()
            .find(|f| f.rule_id == id.as_str())
            .map(|f| f.status)
    }

    pub fn from_check(check: &Check, checked_at: DateTime<Utc>) -> Self {
        Self {
            verdict: check.verdict,
            findings: check
                .findings
                .iter()
                .map(|f| RecordedFinding {
                    rule_id: f.rule_id.to_string(),
                    status: f.status,
                    message: f.message.clone(),
                    title: f.title.clone(),
                    source: f.source.clone(),
                })
                .collect(),
            rules_version: check.rules_version.clone(),
            checked_at,
        }
    }
}

/// The status of each rule as a check found it: what the statistics read of a recorded check,
/// without the messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuleStatuses([Option<FindingStatus>; RuleId::ALL.len()]);

/// The rule's place in [`RuleId::ALL`], which lists the variants in declaration order.
fn position(id: RuleId) -> usize {
    id as usize
}

impl RuleStatuses {
    pub fn of<'a>(findings: impl IntoIterator<Item = (&'a str, FindingStatus)>) -> Self {
        let mut out = Self::default();
        for (rule, status) in findings {
            if let Some(id) = RuleId::parse(rule) {
                out.0[position(id)] = Some(status);
            }
        }
        out
    }

    pub fn get(&self, id: RuleId) -> Option<FindingStatus> {
        self.0[position(id)]
    }
}

/// `tender_check.counted`: what the statistics count of a tender, recorded with its check.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CountedColumn<'a> {
    // Rule ids hold no escapes, so the keys borrow from the text: no allocation per rule.
    #[serde(borrow)]
    statuses: HashMap<&'a str, FindingStatus>,
    firm: Vec<RequirementCode>,
    machine_types: Vec<String>,
}

fn counted_column(c: &RecordedCheck, firm: &FirmRequirements) -> Result<String, AppError> {
    serde_json::to_string(&CountedColumn {
        statuses: c
            .findings
            .iter()
            .map(|f| (f.rule_id.as_str(), f.status))
            .collect(),
        firm: firm.codes.clone(),
        machine_types: firm.machine_types.clone(),
    })
    .map_err(AppError::internal)
}

/// Reads `tender_check.counted` of tender `tender_id`.
pub fn read_counted(
    tender_id: i64,
    text: &str,
) -> Result<(RuleStatuses, FirmRequirements), AppError> {
    let c: CountedColumn = serde_json::from_str(text).map_err(|_| {
        AppError::internal(anyhow::anyhow!(
            "the recorded counts of tender {tender_id} are unreadable"
        ))
    })?;
    Ok((
        RuleStatuses::of(c.statuses),
        FirmRequirements {
            codes: c.firm,
            machine_types: c.machine_types,
        },
    ))
}

impl TryFrom<tender_check::Model> for RecordedCheck {
    type Error = AppError;

    fn try_from(m: tender_check::Model) -> Result<Self, AppError> {
        let bad = |what: &str| {
            AppError::internal(anyhow::anyhow!(
                "the recorded check of tender {} has {what}",
                m.tender_id
            ))
        };
        Ok(Self {
            verdict: Verdict::parse(&m.verdict).ok_or_else(|| bad("an unknown verdict"))?,
            findings: serde_json::from_str(&m.findings).map_err(|_| bad("unreadable findings"))?,
            rules_version: m.rules_version,
            checked_at: m.checked_at,
        })
    }
}

/// A check to record, with what the statistics count of its tender.
struct Recording {
    tender_id: i64,
    check: RecordedCheck,
    firm: FirmRequirements,
}

impl Recording {
    fn new(tender_id: i64, tender: &Tender, check: &Check, at: DateTime<Utc>) -> Self {
        Self {
            tender_id,
            check: RecordedCheck::from_check(check, at),
            firm: FirmRequirements::of(&tender.requirements),
        }
    }

    fn row(&self) -> Result<tender_check::ActiveModel, AppError> {
        let c = &self.check;
        Ok(tender_check::ActiveModel {
            tender_id: Set(self.tender_id),
            rules_version: Set(c.rules_version.clone()),
            verdict: Set(c.verdict.as_str().to_string()),
            findings: Set(serde_json::to_string(&c.findings).map_err(AppError::internal)?),
            counted: Set(counted_column(c, &self.firm)?),
            checked_at: Set(c.checked_at),
        })
    }
}

/// What a conflicting row does: a fresh check replaces the one before; the start-up backfill
/// keeps one another writer recorded meanwhile.
#[derive(Clone, Copy, PartialEq)]
enum OnExisting {
    Replace,
    Keep,
}

async fn write(
    conn: &impl ConnectionTrait,
    checks: &[Recording],
    existing: OnExisting,
) -> Result<(), AppError> {
    use tender_check::Column;
    let mut on_conflict = OnConflict::column(Column::TenderId);
    match existing {
        OnExisting::Replace => on_conflict.update_columns([
            Column::RulesVersion,
            Column::Verdict,
            Column::Findings,
            Column::Counted,
            Column::CheckedAt,
        ]),
        OnExisting::Keep => on_conflict.do_nothing(),
    };
    for chunk in checks.chunks(ROWS_PER_INSERT) {
        let rows = chunk
            .iter()
            .map(Recording::row)
            .collect::<Result<Vec<_>, _>>()?;
        tender_check::Entity::insert_many(rows)
            .on_conflict(on_conflict.clone())
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// Records `check` of `tender` as tender `tender_id`'s, replacing the one before; call in the
/// write's transaction.
pub async fn record(
    conn: &impl ConnectionTrait,
    tender_id: i64,
    tender: &Tender,
    check: &Check,
) -> Result<(), AppError> {
    let recording = Recording::new(tender_id, tender, check, Utc::now());
    write(conn, &[recording], OnExisting::Replace).await
}

/// The recorded checks of `ids` (one statement per chunk of ids, however many tenders).
pub async fn of_tenders(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, RecordedCheck>, AppError> {
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(crate::db::IN_CHUNK) {
        let rows = tender_check::Entity::find()
            .filter(tender_check::Column::TenderId.is_in(chunk.iter().copied()))
            .all(conn)
            .await?;
        for m in rows {
            out.insert(m.tender_id, RecordedCheck::try_from(m)?);
        }
    }
    Ok(out)
}

/// Records a check, with `catalogue`, for every tender that has none: the tenders stored
/// before checks were recorded. One transaction; returns how many were recorded. Run after
/// migrating, before serving.
pub async fn record_missing(
    db: &DatabaseConnection,
    catalogue: &Catalogue,
) -> Result<usize, AppError> {
    let txn = crate::db::begin_write(db).await?;
    let unchecked: Vec<i64> = tender::Entity::find()
        .select_only()
        .column(tender::Column::Id)
        .filter(
            tender::Column::Id.not_in_subquery(
                Query::select()
                    .column(tender_check::Column::TenderId)
                    .from(tender_check::Entity)
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(&txn)
        .await?;
    if unchecked.is_empty() {
        return Ok(0);
    }
    let now = Utc::now();
    let mut checks = Vec::with_capacity(unchecked.len());
    for r in service::by_ids(&txn, &unchecked, &Scope::All).await? {
        let t = r.tender()?;
        checks.push(Recording::new(
            r.model.id,
            &t,
            &check::check(&t, catalogue),
            now,
        ));
    }
    // Another server starting on the same database may have recorded some meanwhile.
    write(&txn, &checks, OnExisting::Keep).await?;
    txn.commit().await?;
    Ok(checks.len())
}

/// What the audit trail keeps of a recorded check: enough to see what a recheck changed.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CheckSnapshot<'a> {
    rules_version: &'a str,
    verdict: &'static str,
    statuses: Vec<(&'a str, FindingStatus)>,
}

fn audit_snapshot(c: &RecordedCheck) -> Result<serde_json::Value, AppError> {
    snapshot(&CheckSnapshot {
        rules_version: &c.rules_version,
        verdict: c.verdict.as_str(),
        statuses: c
            .findings
            .iter()
            .map(|f| (f.rule_id.as_str(), f.status))
            .collect(),
    })
}

/// Records a fresh check with `catalogue` for each of `ids`, with an audit event (`recheck`)
/// each; returns the tenders in the order given. An unknown id is NOT_FOUND and nothing is
/// recorded. Call inside a transaction.
pub async fn recheck(
    conn: &impl ConnectionTrait,
    actor: &str,
    ids: &[i64],
    catalogue: &Catalogue,
) -> Result<Vec<TenderRecord>, AppError> {
    if ids.len() > MAX_RECHECK {
        return Err(AppError::bad_input(
            "ids",
            format!("at most {MAX_RECHECK} tenders at a time"),
        ));
    }
    // The same id twice is one tender, checked and audited once.
    let mut seen = HashSet::new();
    let distinct: Vec<i64> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
    let records: HashMap<i64, TenderRecord> = service::by_ids(conn, &distinct, &Scope::All)
        .await?
        .into_iter()
        .map(|r| (r.model.id, r))
        .collect();
    let unknown: Vec<String> = distinct
        .iter()
        .filter(|id| !records.contains_key(id))
        .map(|id| id.to_string())
        .collect();
    if !unknown.is_empty() {
        return Err(AppError::NotFound(format!(
            "no tender with id {}; nothing was rechecked",
            unknown.join(", ")
        )));
    }
    let before = of_tenders(conn, &distinct).await?;
    let now = Utc::now();
    let mut checks = Vec::with_capacity(distinct.len());
    for id in &distinct {
        let record = records
            .get(id)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("tender {id} vanished")))?;
        let t = record.tender()?;
        let fresh = Recording::new(*id, &t, &check::check(&t, catalogue), now);
        audit::record(
            conn,
            AuditEvent {
                actor,
                action: "recheck",
                entity: "tender",
                entity_id: id.to_string(),
                before: before.get(id).map(audit_snapshot).transpose()?,
                after: Some(audit_snapshot(&fresh.check)?),
            },
        )
        .await?;
        checks.push(fresh);
    }
    write(conn, &checks, OnExisting::Replace).await?;
    ids.iter()
        .map(|id| {
            records
                .get(id)
                .cloned()
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("tender {id} vanished")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        domain::kinds::ProcurementCategory,
        tenders::{
            catalogue::DEFAULT,
            check::{Requirement, RequirementForm, RiskLevel},
        },
    };

    #[test]
    fn what_the_statistics_count_reads_back_as_written() {
        // Construction, NOK 2,000,000 with a site, 2025: firm zero-emission machines naming
        // " Gravemaskin" twice over and an apprentice award criterion (not firm).
        let machines = |form| Requirement {
            code: RequirementCode::ZeroEmissionMachines,
            form,
            weight_percent: None,
            max_tiers: None,
            machine_types: vec![" Gravemaskin".into(), "gravemaskin ".into()],
        };
        let t = Tender {
            category: ProcurementCategory::Construction,
            value: 2_000_000 * 100,
            duration_months: 12,
            announced_on: "2025-06-01".parse().unwrap(),
            includes_transport: false,
            building_site: true,
            apprentice_trades: true,
            risk: RiskLevel::Low,
            requirements: vec![
                machines(RequirementForm::ContractClause),
                Requirement {
                    code: RequirementCode::Apprentices,
                    ..machines(RequirementForm::AwardCriterion)
                },
            ],
            exemptions: vec![],
        };
        let c = check::check(&t, &Catalogue::parse(DEFAULT).unwrap());
        let r = Recording::new(1, &t, &c, Utc::now());
        let (statuses, firm) =
            read_counted(1, &counted_column(&r.check, &r.firm).unwrap()).unwrap();
        for id in RuleId::ALL {
            let found = c.findings.iter().find(|f| f.rule_id == id.as_str());
            assert_eq!(statuses.get(id), found.map(|f| f.status), "{id:?}");
        }
        // Apprentices apply (>= 1,300,000, > 3 months, trades) and the award criterion does
        // not meet them.
        assert_eq!(
            statuses.get(RuleId::Apprentices),
            Some(FindingStatus::Missing)
        );
        assert_eq!(
            firm,
            FirmRequirements {
                codes: vec![RequirementCode::ZeroEmissionMachines],
                machine_types: vec!["gravemaskin".into()],
            }
        );
        assert!(read_counted(1, "{}").is_err());
    }
}
