//! An agreement's reported turnover, one figure a year.

use entity::{agreement, turnover};
use sea_orm::{ConnectionTrait, EntityTrait, Set, sea_query::OnConflict};

use super::service::get;
use crate::{
    audit::{self, AuditEvent, service::snapshot},
    error::AppError,
};

pub const TURNOVER_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// Sets (or replaces) one year's turnover; call inside a transaction.
pub async fn set_turnover(
    conn: &impl ConnectionTrait,
    actor: &str,
    agreement_id: i64,
    year: i32,
    amount: i64,
) -> Result<agreement::Model, AppError> {
    if !TURNOVER_YEARS.contains(&year) {
        return Err(AppError::bad_input(
            "year",
            format!(
                "year must be between {} and {}",
                TURNOVER_YEARS.start(),
                TURNOVER_YEARS.end()
            ),
        ));
    }
    if amount < 0 {
        return Err(AppError::bad_input(
            "amount",
            "turnover must not be negative",
        ));
    }
    let agreement = get(conn, agreement_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no agreement with id {agreement_id}")))?;
    let existing = turnover::Entity::find_by_id((agreement_id, year))
        .one(conn)
        .await?;
    let before = existing.as_ref().map(snapshot).transpose()?;
    // One statement, so that two writers of the same year cannot both insert: the second
    // replaces the first's figure, as a second call would.
    turnover::Entity::insert(turnover::ActiveModel {
        agreement_id: Set(agreement_id),
        year: Set(year),
        amount: Set(amount),
    })
    .on_conflict(
        OnConflict::columns([turnover::Column::AgreementId, turnover::Column::Year])
            .update_column(turnover::Column::Amount)
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    let row = turnover::Model {
        agreement_id,
        year,
        amount,
    };
    audit::record(
        conn,
        AuditEvent {
            actor,
            action: "set_turnover",
            entity: "agreement",
            entity_id: agreement_id.to_string(),
            before,
            after: Some(snapshot(&row)?),
        },
    )
    .await?;
    Ok(agreement)
}
