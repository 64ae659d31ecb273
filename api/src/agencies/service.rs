//! Reading and growing the register, and resolving a buyer's claim against it.

use chrono::Utc;
use entity::{agency, agency_name};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};

use crate::{
    audit::{self, AuditEvent},
    domain::{
        Scope,
        agency::{Agency, Register, match_key},
        text::collapse_spaces,
    },
    error::AppError,
    validate,
};

/// Longest agency name or alias.
pub const MAX_NAME: usize = 200;
/// Most aliases in one `createAgency`.
pub const MAX_ALIASES: usize = 50;

/// The whole register, agencies by name (two statements).
pub async fn load(conn: &impl ConnectionTrait) -> Result<Register, AppError> {
    // Sorted here, not by the database: PostgreSQL's collation and SQLite's byte order would
    // list "Bydel Østensjø" in different places.
    let mut agencies = agency::Entity::find().all(conn).await?;
    agencies.sort_by_cached_key(|a| (a.name.to_lowercase(), a.id));
    let mut names = agency_name::Entity::find().all(conn).await?;
    names.sort_by_cached_key(|n| (n.text.to_lowercase(), n.text.clone()));
    let mut records: Vec<Agency> = agencies
        .into_iter()
        .map(|a| Agency {
            id: a.id,
            name: a.name,
            org_number: a.org_number,
            aliases: Vec::new(),
        })
        .collect();
    let index: std::collections::HashMap<i64, usize> =
        records.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    for n in names.iter().filter(|n| !n.is_name) {
        if let Some(i) = index.get(&n.agency_id) {
            records[*i].aliases.push(n.text.clone());
        }
    }
    Ok(Register::new(
        records,
        names.into_iter().map(|n| (n.key, n.agency_id)),
    ))
}

/// The scope a permission gives, with a buyer's agency claim resolved to its agency.
/// FORBIDDEN, naming the claim, when the claim matches no agency: such a buyer sees nothing.
pub async fn resolve_scope(
    conn: &impl ConnectionTrait,
    claimed: ClaimedScope,
) -> Result<Scope, AppError> {
    match claimed {
        ClaimedScope::All => Ok(Scope::All),
        ClaimedScope::Agency(claim) => {
            let register = load(conn).await?;
            register
                .find(&claim)
                .cloned()
                .map(Scope::Agency)
                .ok_or_else(|| unknown_claim(&claim))
        }
    }
}

pub use crate::domain::scope::ClaimedScope;

/// The agency `text` matches, or BAD_USER_INPUT naming `field`.
pub async fn find(
    conn: &impl ConnectionTrait,
    field: &str,
    text: &str,
) -> Result<Agency, AppError> {
    load(conn).await?.find(text).cloned().ok_or_else(|| {
        AppError::bad_input(
            field,
            format!(
                "'{}' matches no agency in the register: see agencies",
                text.trim()
            ),
        )
    })
}

fn unknown_claim(claim: &str) -> AppError {
    AppError::Forbidden(format!(
        "the token's agency claim '{claim}' matches no agency in the register; ask an adviser to add it as an agency or an alias"
    ))
}

/// A name or alias as kept: trimmed, invisible characters removed, spaces collapsed.
fn clean(field: &str, text: &str) -> Result<String, AppError> {
    let text = validate::required_text(field, text, MAX_NAME)?;
    let text = collapse_spaces(&text);
    if match_key(&text).is_empty() {
        return Err(AppError::bad_input(
            field,
            format!("{field} must hold more than dots"),
        ));
    }
    Ok(text)
}

/// What `createAgency` is given.
pub struct NewAgency {
    pub name: String,
    pub org_number: Option<String>,
    pub aliases: Vec<String>,
}

/// The agency that already answers to `text`, as a CONFLICT naming both.
async fn taken(conn: &impl ConnectionTrait, field: &str, text: &str) -> Result<(), AppError> {
    let Some(found) = agency_name::Entity::find_by_id(match_key(text))
        .one(conn)
        .await?
    else {
        return Ok(());
    };
    let owner = agency::Entity::find_by_id(found.agency_id)
        .one(conn)
        .await?
        .map_or_else(|| found.agency_id.to_string(), |a| a.name);
    Err(AppError::Conflict(format!(
        "{field} '{text}' already matches the agency {owner}"
    )))
}

async fn insert_name(
    conn: &impl ConnectionTrait,
    agency_id: i64,
    text: &str,
    is_name: bool,
) -> Result<(), AppError> {
    agency_name::ActiveModel {
        key: Set(match_key(text)),
        agency_id: Set(agency_id),
        text: Set(text.to_string()),
        is_name: Set(is_name),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Adds an agency with its aliases, in one transaction with its audit event.
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    actor: &str,
    input: NewAgency,
) -> Result<Agency, AppError> {
    let name = clean("name", &input.name)?;
    let org_number = match input.org_number.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(o) => Some(validate::org_number("orgNumber", o)?),
    };
    if input.aliases.len() > MAX_ALIASES {
        return Err(AppError::bad_input(
            "aliases",
            format!("at most {MAX_ALIASES} aliases at once"),
        ));
    }
    let mut aliases: Vec<String> = Vec::new();
    for a in &input.aliases {
        let a = clean("aliases", a)?;
        // The name itself, or a spelling already given, is not a second alias.
        if match_key(&a) != match_key(&name)
            && !aliases.iter().any(|b| match_key(b) == match_key(&a))
        {
            aliases.push(a);
        }
    }

    let txn = crate::db::begin_write(conn).await?;
    taken(&txn, "name", &name).await?;
    for a in &aliases {
        taken(&txn, "alias", a).await?;
    }
    if let Some(o) = &org_number
        && let Some(other) = agency::Entity::find()
            .filter(agency::Column::OrgNumber.eq(o.as_str()))
            .one(&txn)
            .await?
    {
        return Err(AppError::Conflict(format!(
            "orgNumber {o} already belongs to the agency {}",
            other.name
        )));
    }
    let row = agency::ActiveModel {
        name: Set(name.clone()),
        org_number: Set(org_number.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_name(&txn, row.id, &name, true).await?;
    for a in &aliases {
        insert_name(&txn, row.id, a, false).await?;
    }
    let created = Agency {
        id: row.id,
        name,
        org_number,
        aliases,
    };
    audit::record(
        &txn,
        AuditEvent {
            actor,
            action: "create",
            entity: "agency",
            entity_id: row.id.to_string(),
            before: None,
            after: Some(snapshot(&created)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

fn snapshot(a: &Agency) -> serde_json::Value {
    serde_json::json!({ "name": a.name, "orgNumber": a.org_number, "aliases": a.aliases })
}

/// Adds `alias` to an agency. Giving a text that already matches this agency changes nothing;
/// one that matches another agency is CONFLICT.
pub async fn add_alias<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    actor: &str,
    agency_id: i64,
    alias: &str,
) -> Result<Agency, AppError> {
    let alias = clean("alias", alias)?;
    let txn = crate::db::begin_write(conn).await?;
    let not_found = || AppError::NotFound(format!("no agency with id {agency_id}"));
    agency::Entity::find_by_id(agency_id)
        .one(&txn)
        .await?
        .ok_or_else(not_found)?;
    let existing = agency_name::Entity::find_by_id(match_key(&alias))
        .one(&txn)
        .await?;
    match existing {
        Some(n) if n.agency_id == agency_id => {}
        Some(_) => taken(&txn, "alias", &alias).await?,
        None => {
            let before = load(&txn).await?.by_id(agency_id).map(snapshot);
            insert_name(&txn, agency_id, &alias, false).await?;
            let after = load(&txn).await?.by_id(agency_id).map(snapshot);
            audit::record(
                &txn,
                AuditEvent {
                    actor,
                    action: "add-alias",
                    entity: "agency",
                    entity_id: agency_id.to_string(),
                    before,
                    after,
                },
            )
            .await?;
        }
    }
    let register = load(&txn).await?;
    txn.commit().await?;
    register.by_id(agency_id).cloned().ok_or_else(not_found)
}
