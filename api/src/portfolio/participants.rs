//! The agencies that may buy under an agreement (docs/rules.md, Participants and options). An
//! agreement with none is open to every agency.

use std::collections::HashMap;

use entity::{agreement, agreement_participant};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Set,
};

use crate::{agencies, error::AppError};

/// Most participants one agreement may list: more than the municipality has agencies.
pub const MAX_PARTICIPANTS: usize = 200;

/// The agency ids the texts name, sorted (the list is a set); BAD_USER_INPUT on
/// `participants[i]` for a text that matches no agency or names an agency listed before.
pub async fn resolve(conn: &impl ConnectionTrait, texts: &[String]) -> Result<Vec<i64>, AppError> {
    if texts.len() > MAX_PARTICIPANTS {
        return Err(AppError::bad_input(
            "participants",
            format!("at most {MAX_PARTICIPANTS} participants per agreement"),
        ));
    }
    if texts.is_empty() {
        return Ok(Vec::new());
    }
    // One register load for the whole list. A text it does not know goes through
    // agencies::service::find, so the error reads as it does everywhere else.
    let register = agencies::service::load(conn).await?;
    let mut ids = Vec::with_capacity(texts.len());
    let mut listed_at: HashMap<i64, usize> = HashMap::new();
    for (i, text) in texts.iter().enumerate() {
        let field = format!("participants[{i}]");
        let agency = match register.find(text) {
            Some(a) => a.clone(),
            None => agencies::service::find(conn, &field, text).await?,
        };
        if let Some(first) = listed_at.insert(agency.id, i) {
            return Err(AppError::bad_input(
                field,
                format!(
                    "'{}' is {}, already listed as participants[{first}]",
                    text.trim(),
                    agency.name
                ),
            ));
        }
        ids.push(agency.id);
    }
    ids.sort_unstable();
    Ok(ids)
}

/// Replaces the agreement's participants with `agency_ids`.
pub async fn write(
    conn: &impl ConnectionTrait,
    agreement_id: i64,
    agency_ids: &[i64],
) -> Result<(), AppError> {
    agreement_participant::Entity::delete_many()
        .filter(agreement_participant::Column::AgreementId.eq(agreement_id))
        .exec(conn)
        .await?;
    if agency_ids.is_empty() {
        return Ok(());
    }
    let rows = agency_ids
        .iter()
        .map(|agency_id| agreement_participant::ActiveModel {
            agreement_id: Set(agreement_id),
            agency_id: Set(*agency_id),
        });
    agreement_participant::Entity::insert_many(rows)
        .exec(conn)
        .await?;
    Ok(())
}

/// The agency ids on an agreement, for the audit trail.
pub async fn of(conn: &impl ConnectionTrait, agreement_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(agreement_participant::Entity::find()
        .select_only()
        .column(agreement_participant::Column::AgencyId)
        .filter(agreement_participant::Column::AgreementId.eq(agreement_id))
        .order_by_asc(agreement_participant::Column::AgencyId)
        .into_tuple::<i64>()
        .all(conn)
        .await?)
}

/// The agreements `agency_id` may use: those listing no participant, and those listing it.
pub fn open_to(agency_id: i64) -> Condition {
    let with_participants = agreement_participant::Entity::find()
        .select_only()
        .column(agreement_participant::Column::AgreementId)
        .into_query();
    let listing_it = agreement_participant::Entity::find()
        .select_only()
        .column(agreement_participant::Column::AgreementId)
        .filter(agreement_participant::Column::AgencyId.eq(agency_id))
        .into_query();
    Condition::any()
        .add(agreement::Column::Id.not_in_subquery(with_participants))
        .add(agreement::Column::Id.in_subquery(listing_it))
}
