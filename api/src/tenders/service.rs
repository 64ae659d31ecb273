//! Storing and reading tenders with their requirements and exemptions.

use crate::graphql::enums::FromStored as _;
use sea_orm::ActiveEnum as _;

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entity::{tender, tender_exemption, tender_requirement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set, sea_query::Expr,
};
use serde::Serialize;

use super::{
    catalogue::Catalogue,
    check::{self, Exemption, Requirement, RequirementCode, RequirementForm, RiskLevel, Tender},
    recorded,
    valid::ValidTender,
};
use crate::{
    agencies::service as agencies,
    audit::{self, AuditEvent, service::snapshot},
    auth::Scope,
    domain::agency::Agency,
    domain::kinds::ProcurementCategory,
    error::AppError,
    validate,
};

/// A stored tender with what the checker needs.
#[derive(Clone, Debug)]
pub struct TenderRecord {
    pub model: tender::Model,
    pub requirements: Vec<Requirement>,
    pub exemptions: Vec<Exemption>,
    /// The contracts it led to, as HMSREG writes them.
    pub contracts: Vec<String>,
}

impl TenderRecord {
    pub fn tender(&self) -> Result<Tender, AppError> {
        Ok(Tender {
            category: ProcurementCategory::from_stored(&self.model.category)?,
            value: self.model.estimated_value,
            duration_months: self.model.duration_months,
            announced_on: self.model.announced_on,
            includes_transport: self.model.includes_transport,
            building_site: self.model.building_site,
            apprentice_trades: self.model.apprentice_trades,
            risk: RiskLevel::from_stored(&self.model.labour_crime_risk)?,
            requirements: self.requirements.clone(),
            exemptions: self.exemptions.clone(),
        })
    }
}

/// Which tenders; the scope is the viewer's.
#[derive(Default)]
pub struct TenderQuery {
    pub agency: Option<String>,
    pub announced_from: Option<NaiveDate>,
    pub announced_to: Option<NaiveDate>,
}

fn scope_condition(scope: &Scope) -> Condition {
    match scope.agency_id() {
        None => Condition::all(),
        Some(id) => Condition::all().add(tender::Column::AgencyId.eq(id)),
    }
}

/// Tenders, newest announcement first, each with its requirements and exemptions (three
/// statements, however many tenders).
pub async fn list(
    conn: &impl ConnectionTrait,
    filter: &TenderQuery,
    scope: &Scope,
) -> Result<Vec<TenderRecord>, AppError> {
    let mut cond = scope_condition(scope);
    if let Some(a) = &filter.agency {
        let agency = agencies::find(conn, "agency", a).await?;
        cond = cond.add(tender::Column::AgencyId.eq(agency.id));
    }
    if let Some(d) = filter.announced_from {
        cond = cond.add(tender::Column::AnnouncedOn.gte(d));
    }
    if let Some(d) = filter.announced_to {
        cond = cond.add(tender::Column::AnnouncedOn.lte(d));
    }
    let models = tender::Entity::find()
        .filter(cond)
        .order_by_desc(tender::Column::AnnouncedOn)
        .order_by_desc(tender::Column::Id)
        .all(conn)
        .await?;
    with_children(conn, models).await
}

/// The tenders of `ids` the scope reaches, in no particular order.
pub async fn by_ids(
    conn: &impl ConnectionTrait,
    ids: &[i64],
    scope: &Scope,
) -> Result<Vec<TenderRecord>, AppError> {
    let mut models = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(crate::db::IN_CHUNK) {
        models.extend(
            tender::Entity::find()
                .filter(scope_condition(scope))
                .filter(tender::Column::Id.is_in(chunk.iter().copied()))
                .all(conn)
                .await?,
        );
    }
    with_children(conn, models).await
}

/// One tender, if it exists and the scope reaches it.
pub async fn get(
    conn: &impl ConnectionTrait,
    id: i64,
    scope: &Scope,
) -> Result<Option<TenderRecord>, AppError> {
    let model = tender::Entity::find_by_id(id)
        .filter(scope_condition(scope))
        .one(conn)
        .await?;
    Ok(with_children(conn, model.into_iter().collect())
        .await?
        .pop())
}

/// A stored requirement as the checker reads it.
fn requirement(r: &tender_requirement::Model) -> Result<Requirement, AppError> {
    Ok(Requirement {
        code: RequirementCode::from_stored(&r.code)?,
        form: RequirementForm::from_stored(&r.form)?,
        weight_percent: r.weight_percent,
        max_tiers: r.max_tiers,
        machine_types: serde_json::from_str(&r.machine_types).map_err(AppError::internal)?,
    })
}

async fn with_children(
    conn: &impl ConnectionTrait,
    models: Vec<tender::Model>,
) -> Result<Vec<TenderRecord>, AppError> {
    let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
    let mut requirements: HashMap<i64, Vec<Requirement>> = HashMap::new();
    // A long period holds more tenders than one statement may bind: read them in chunks.
    let mut requirement_rows = Vec::new();
    let mut exemption_rows = Vec::new();
    for chunk in ids.chunks(crate::db::IN_CHUNK) {
        requirement_rows.extend(
            tender_requirement::Entity::find()
                .filter(tender_requirement::Column::TenderId.is_in(chunk.iter().copied()))
                .order_by_asc(tender_requirement::Column::Position)
                .all(conn)
                .await?,
        );
        exemption_rows.extend(
            tender_exemption::Entity::find()
                .filter(tender_exemption::Column::TenderId.is_in(chunk.iter().copied()))
                .order_by_asc(tender_exemption::Column::Id)
                .all(conn)
                .await?,
        );
    }
    for r in requirement_rows {
        requirements
            .entry(r.tender_id)
            .or_default()
            .push(requirement(&r)?);
    }
    let mut contracts = super::contracts::of_tenders(conn, &ids).await?;
    let mut exemptions: HashMap<i64, Vec<Exemption>> = HashMap::new();
    for e in exemption_rows {
        exemptions.entry(e.tender_id).or_default().push(Exemption {
            rule_id: e.rule_id,
            justification: e.justification,
        });
    }
    Ok(models
        .into_iter()
        .map(|model| TenderRecord {
            requirements: requirements.remove(&model.id).unwrap_or_default(),
            exemptions: exemptions.remove(&model.id).unwrap_or_default(),
            contracts: contracts.remove(&model.id).unwrap_or_default(),
            model,
        })
        .collect())
}

/// The registered agency a tender names (BAD_USER_INPUT on `agency` when none matches); a
/// buyer writes only its own agency's tenders.
async fn agency_of(
    conn: &impl ConnectionTrait,
    scope: &Scope,
    valid: &ValidTender,
) -> Result<Agency, AppError> {
    let agency = agencies::find(conn, "agency", &valid.agency).await?;
    match scope {
        Scope::Agency(own) if own.id != agency.id => Err(AppError::Forbidden(format!(
            "you may only write tenders of your own agency ({})",
            own.name
        ))),
        _ => Ok(agency),
    }
}

async fn write_children(
    conn: &impl ConnectionTrait,
    tender_id: i64,
    t: &Tender,
) -> Result<(), AppError> {
    tender_requirement::Entity::delete_many()
        .filter(tender_requirement::Column::TenderId.eq(tender_id))
        .exec(conn)
        .await?;
    tender_exemption::Entity::delete_many()
        .filter(tender_exemption::Column::TenderId.eq(tender_id))
        .exec(conn)
        .await?;
    if !t.requirements.is_empty() {
        let mut rows = Vec::with_capacity(t.requirements.len());
        for (i, r) in t.requirements.iter().enumerate() {
            rows.push(tender_requirement::ActiveModel {
                tender_id: Set(tender_id),
                position: Set(i as i32),
                code: Set(r.code.to_value()),
                form: Set(r.form.to_value()),
                weight_percent: Set(r.weight_percent),
                max_tiers: Set(r.max_tiers),
                machine_types: Set(
                    serde_json::to_string(&r.machine_types).map_err(AppError::internal)?
                ),
                ..Default::default()
            });
        }
        tender_requirement::Entity::insert_many(rows)
            .exec(conn)
            .await?;
    }
    if !t.exemptions.is_empty() {
        let rows = t.exemptions.iter().map(|e| tender_exemption::ActiveModel {
            tender_id: Set(tender_id),
            rule_id: Set(e.rule_id.clone()),
            justification: Set(e.justification.clone()),
            ..Default::default()
        });
        tender_exemption::Entity::insert_many(rows)
            .exec(conn)
            .await?;
    }
    Ok(())
}

#[derive(Serialize)]
struct RequirementSnapshot<'a> {
    code: String,
    form: String,
    weight_percent: Option<f64>,
    max_tiers: Option<i32>,
    machine_types: &'a [String],
}

#[derive(Serialize)]
struct Snapshot<'a> {
    tender: &'a tender::Model,
    requirements: Vec<RequirementSnapshot<'a>>,
    exemptions: Vec<(&'a str, &'a str)>,
    contract_numbers: &'a [String],
}

fn audit_snapshot(
    model: &tender::Model,
    t: &Tender,
    contracts: &[String],
) -> Result<serde_json::Value, AppError> {
    snapshot(&Snapshot {
        tender: model,
        contract_numbers: contracts,
        requirements: t
            .requirements
            .iter()
            .map(|r| RequirementSnapshot {
                code: r.code.to_value(),
                form: r.form.to_value(),
                weight_percent: r.weight_percent,
                max_tiers: r.max_tiers,
                machine_types: &r.machine_types,
            })
            .collect(),
        exemptions: t
            .exemptions
            .iter()
            .map(|e| (e.rule_id.as_str(), e.justification.as_str()))
            .collect(),
    })
}

/// Stores a new tender and records its check against `catalogue` (the one in force); call
/// inside a transaction.
pub async fn create(
    conn: &impl ConnectionTrait,
    actor: &str,
    scope: &Scope,
    valid: ValidTender,
    catalogue: &Catalogue,
) -> Result<TenderRecord, AppError> {
    let agency = agency_of(conn, scope, &valid).await?;
    let t = &valid.tender;
    let now = Utc::now();
    let model = tender::ActiveModel {
        reference: Set(valid.reference.clone()),
        title: Set(valid.title.clone()),
        agency_key: Set(validate::search_key(&agency.name)),
        agency_id: Set(Some(agency.id)),
        agency: Set(agency.name.clone()),
        category: Set(t.category.to_value()),
        estimated_value: Set(t.value),
        duration_months: Set(t.duration_months),
        announced_on: Set(t.announced_on),
        includes_transport: Set(t.includes_transport),
        building_site: Set(t.building_site),
        apprentice_trades: Set(t.apprentice_trades),
        labour_crime_risk: Set(t.risk.to_value()),
        version: Set(1),
        created_by: Set(actor.to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    write_children(conn, model.id, t).await?;
    super::contracts::write(conn, model.id, &valid.contract_numbers).await?;
    recorded::record(conn, model.id, t, &check::check(t, catalogue)).await?;
    let after = audit_snapshot(&model, t, &valid.contract_numbers)?;
    audit::record(
        conn,
        AuditEvent {
            actor,
            action: "create",
            entity: "tender",
            entity_id: model.id.to_string(),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    Ok(TenderRecord {
        model,
        requirements: valid.tender.requirements,
        exemptions: valid.tender.exemptions,
        contracts: valid.contract_numbers,
    })
}

/// Writes the tender's row if it is still at `expected_version`; the rows written (0 or 1).
/// The version in the WHERE clause makes the check and the write one step, so of two racing
/// writers only one succeeds.
async fn overwrite(
    conn: &impl ConnectionTrait,
    id: i64,
    expected_version: i32,
    valid: &ValidTender,
    agency: &Agency,
) -> Result<u64, AppError> {
    let t = &valid.tender;
    let result = tender::Entity::update_many()
        .col_expr(
            tender::Column::Reference,
            Expr::value(valid.reference.clone()),
        )
        .col_expr(tender::Column::Title, Expr::value(valid.title.clone()))
        .col_expr(tender::Column::Agency, Expr::value(agency.name.clone()))
        .col_expr(
            tender::Column::AgencyKey,
            Expr::value(validate::search_key(&agency.name)),
        )
        .col_expr(tender::Column::AgencyId, Expr::value(agency.id))
        .col_expr(tender::Column::Category, Expr::value(t.category.to_value()))
        .col_expr(tender::Column::EstimatedValue, Expr::value(t.value))
        .col_expr(
            tender::Column::DurationMonths,
            Expr::value(t.duration_months),
        )
        .col_expr(tender::Column::AnnouncedOn, Expr::value(t.announced_on))
        .col_expr(
            tender::Column::IncludesTransport,
            Expr::value(t.includes_transport),
        )
        .col_expr(tender::Column::BuildingSite, Expr::value(t.building_site))
        .col_expr(
            tender::Column::ApprenticeTrades,
            Expr::value(t.apprentice_trades),
        )
        .col_expr(
            tender::Column::LabourCrimeRisk,
            Expr::value(t.risk.to_value()),
        )
        .col_expr(tender::Column::Version, Expr::value(expected_version + 1))
        .col_expr(tender::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(tender::Column::Id.eq(id))
        .filter(tender::Column::Version.eq(expected_version))
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

/// Replaces a tender if it is still at `expected_version` and records its check against
/// `catalogue`; call inside a transaction.
pub async fn update(
    conn: &impl ConnectionTrait,
    actor: &str,
    scope: &Scope,
    id: i64,
    expected_version: i32,
    valid: ValidTender,
    catalogue: &Catalogue,
) -> Result<TenderRecord, AppError> {
    let current = get(conn, id, scope)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no tender with id {id}")))?;
    let agency = agency_of(conn, scope, &valid).await?;
    let stale = || {
        AppError::Conflict(format!(
            "the tender has changed since you read it (it is at version {}, you sent {expected_version}): reload it and try again",
            current.model.version
        ))
    };
    if current.model.version != expected_version {
        return Err(stale());
    }
    let t = &valid.tender;
    if overwrite(conn, id, expected_version, &valid, &agency).await? != 1 {
        return Err(stale());
    }
    write_children(conn, id, t).await?;
    super::contracts::write(conn, id, &valid.contract_numbers).await?;
    recorded::record(conn, id, t, &check::check(t, catalogue)).await?;
    let updated = get(conn, id, &Scope::All)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("tender {id} vanished")))?;
    let before = audit_snapshot(&current.model, &current.tender()?, &current.contracts)?;
    let after = audit_snapshot(&updated.model, t, &updated.contracts)?;
    audit::record(
        conn,
        AuditEvent {
            actor,
            action: "update",
            entity: "tender",
            entity_id: id.to_string(),
            before: Some(before),
            after: Some(after),
        },
    )
    .await?;
    Ok(updated)
}
