//! Storing an agreement's options and using them (`exerciseOption`); the arithmetic is in
//! [`super::options`].

use chrono::{NaiveDate, Utc};
use entity::{agreement, agreement_option};
use sea_orm::{
    ActiveEnum as _, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, sea_query::Expr,
};
use serde::Serialize;

use super::{
    options::{self, Term},
    service,
    status::{self, AgreementStatus},
};
use crate::{
    audit::{self, AuditEvent, service::snapshot},
    error::AppError,
};

/// The agreement's options in the order they are used.
pub async fn of(
    conn: &impl ConnectionTrait,
    agreement_id: i64,
) -> Result<Vec<agreement_option::Model>, AppError> {
    Ok(agreement_option::Entity::find()
        .filter(agreement_option::Column::AgreementId.eq(agreement_id))
        .order_by_asc(agreement_option::Column::Position)
        .all(conn)
        .await?)
}

/// The stored options as the arithmetic sees them.
pub fn terms(rows: &[agreement_option::Model]) -> Vec<Term> {
    rows.iter()
        .map(|o| Term {
            // Stored only through check_months, so never negative.
            months: u32::try_from(o.months).unwrap_or(0),
            used: o.exercised_on.is_some(),
        })
        .collect()
}

/// Adds the options of a new agreement, unused, at positions 0, 1, ...
pub async fn insert(
    conn: &impl ConnectionTrait,
    agreement_id: i64,
    months: &[u32],
) -> Result<Vec<agreement_option::Model>, AppError> {
    let rows: Vec<agreement_option::Model> = months
        .iter()
        .zip(0..)
        .map(|(m, position)| agreement_option::Model {
            agreement_id,
            position,
            months: i32::try_from(*m).unwrap_or(i32::MAX),
            exercised_on: None,
            ends_on: None,
        })
        .collect();
    if rows.is_empty() {
        return Ok(rows);
    }
    agreement_option::Entity::insert_many(rows.iter().map(|o| agreement_option::ActiveModel {
        agreement_id: Set(o.agreement_id),
        position: Set(o.position),
        months: Set(o.months),
        exercised_on: Set(None),
        ends_on: Set(None),
    }))
    .exec(conn)
    .await?;
    Ok(rows)
}

#[derive(Serialize)]
struct Snapshot<'a> {
    agreement: &'a agreement::Model,
    options: &'a [agreement_option::Model],
}

/// Uses the agreement's earliest unused option on `today`, if the agreement is still at
/// `expected_version`; call inside a transaction.
pub async fn exercise(
    conn: &impl ConnectionTrait,
    actor: &str,
    id: i64,
    expected_version: i32,
    today: NaiveDate,
) -> Result<agreement::Model, AppError> {
    // FOR UPDATE (PostgreSQL; SQLite's IMMEDIATE transaction already serialises writers): a
    // second writer waits here for the first to commit and then sees its version, so it gets
    // CONFLICT rather than reading the options the first one has just used.
    let current = agreement::Entity::find_by_id(id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no agreement with id {id}")))?;
    if current.version != expected_version {
        return Err(service::stale(current.version, expected_version));
    }
    let state = status::status(
        current.terminated,
        current.starts_on,
        current.ends_on,
        today,
    );
    if state != AgreementStatus::Active {
        return Err(AppError::bad_input(
            "agreementId",
            format!(
                "only an ACTIVE agreement's option can be used; this one is {} today",
                state.to_value()
            ),
        ));
    }
    let before = of(conn, id).await?;
    let step = options::exercise(current.ends_on, &terms(&before)).ok_or_else(|| {
        AppError::bad_input(
            "agreementId",
            if before.is_empty() {
                "the agreement has no options".to_string()
            } else {
                format!("all {} options of the agreement are used", before.len())
            },
        )
    })?;
    let option = &before[step.index];
    // As in updateAgreement, the version in the WHERE clause makes the check and the write one
    // step: of two writers holding the same version, exactly one uses an option.
    let result = agreement::Entity::update_many()
        .col_expr(agreement::Column::EndsOn, Expr::value(step.ends_on))
        .col_expr(agreement::Column::MaxEndsOn, Expr::value(step.max_ends_on))
        .col_expr(agreement::Column::Version, Expr::value(current.version + 1))
        .col_expr(agreement::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(agreement::Column::Id.eq(id))
        .filter(agreement::Column::Version.eq(expected_version))
        .exec(conn)
        .await?;
    if result.rows_affected != 1 {
        return Err(service::stale(current.version, expected_version));
    }
    agreement_option::Entity::update_many()
        .col_expr(agreement_option::Column::ExercisedOn, Expr::value(today))
        .col_expr(agreement_option::Column::EndsOn, Expr::value(step.ends_on))
        .filter(agreement_option::Column::AgreementId.eq(id))
        .filter(agreement_option::Column::Position.eq(option.position))
        .exec(conn)
        .await?;
    let updated = service::get(conn, id).await?.ok_or_else(|| {
        AppError::internal(anyhow::anyhow!(
            "agreement {id} vanished while using an option"
        ))
    })?;
    let after = of(conn, id).await?;
    audit::record(
        conn,
        AuditEvent {
            actor,
            action: "exercise-option",
            entity: "agreement",
            entity_id: id.to_string(),
            before: Some(snapshot(&Snapshot {
                agreement: &current,
                options: &before,
            })?),
            after: Some(snapshot(&Snapshot {
                agreement: &updated,
                options: &after,
            })?),
        },
    )
    .await?;
    Ok(updated)
}
