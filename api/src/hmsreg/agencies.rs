//! HMSREG hours keep the agency text as written; this resolves those texts through the
//! register on every read, so that a new alias re-attributes hours at once, with no
//! re-import (docs/rules.md, Agencies).

use std::collections::BTreeMap;

use entity::{hmsreg_label, hour_fact};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr,
};

use crate::{
    domain::agency::{Agency, NO_AGENCY, Register, match_key},
    error::AppError,
};

/// The register beside every agency text the hours were stored under.
pub struct AgencyIndex {
    register: Register,
    /// Stored key -> the text as first written.
    labels: BTreeMap<String, String>,
}

/// Loads the register and the stored agency texts (three small statements).
pub async fn load(conn: &impl ConnectionTrait) -> Result<AgencyIndex, AppError> {
    let register = crate::agencies::service::load(conn).await?;
    let labels = hmsreg_label::Entity::find()
        .filter(hmsreg_label::Column::Kind.eq("agency"))
        .all(conn)
        .await?
        .into_iter()
        .map(|l| (l.key, l.label))
        .collect();
    Ok(AgencyIndex { register, labels })
}

impl AgencyIndex {
    pub fn register(&self) -> &Register {
        &self.register
    }

    /// The agency the hours stored under `key` count for, if any.
    pub fn agency_of(&self, key: &str) -> Option<&Agency> {
        if key == NO_AGENCY {
            return None;
        }
        self.register.find(key)
    }

    /// What hours stored under `key` group under: the agency's name, or else the text as first
    /// written.
    pub fn group_name(&self, key: &str) -> String {
        match self.agency_of(key) {
            Some(a) => a.name.clone(),
            None => self
                .labels
                .get(key)
                .cloned()
                .unwrap_or_else(|| key.to_string()),
        }
    }

    /// (stored key, the agency's name) of every stored text that matches an agency, so the
    /// database can group hours by agency as the register has it now.
    pub fn matched(&self) -> Vec<(String, String)> {
        self.labels
            .keys()
            .filter_map(|k| self.agency_of(k).map(|a| (k.clone(), a.name.clone())))
            .collect()
    }

    /// The stored keys of the hours that count for the agency `id`.
    pub fn keys_of(&self, id: i64) -> Vec<String> {
        self.labels
            .keys()
            .filter(|k| self.agency_of(k).is_some_and(|a| a.id == id))
            .cloned()
            .collect()
    }

    /// The stored keys a filter text selects: every key of the agency it matches, or, for a
    /// text that matches no agency, the keys written like it.
    pub fn keys_for_text(&self, text: &str) -> Vec<String> {
        match self.register.find(text) {
            Some(a) => self.keys_of(a.id),
            None => {
                let wanted = match_key(text);
                let mut keys: Vec<String> = self
                    .labels
                    .keys()
                    .filter(|k| match_key(k) == wanted)
                    .cloned()
                    .collect();
                if keys.is_empty() {
                    // Hours without an agency have no label but can still be asked for.
                    keys.push(crate::domain::agency::key(text));
                }
                keys
            }
        }
    }

    /// The stored keys whose text matches no agency (hours without an agency left out).
    pub fn unknown_keys(&self) -> Vec<&str> {
        self.labels
            .keys()
            .filter(|k| k.as_str() != NO_AGENCY && self.agency_of(k).is_none())
            .map(String::as_str)
            .collect()
    }
}

/// An agency text that matches no agency, with the hours kept under it.
#[derive(Clone, Debug, PartialEq)]
pub struct UnknownName {
    pub text: String,
    /// Hundredths of an hour, every category.
    pub hours: i64,
    /// How many imports hold such hours.
    pub imports: i64,
}

/// Every agency text in the stored hours that matches no agency, by text.
pub async fn unknown_names(conn: &impl ConnectionTrait) -> Result<Vec<UnknownName>, AppError> {
    let index = load(conn).await?;
    let keys = index.unknown_keys();
    let mut by_text: BTreeMap<String, UnknownName> = BTreeMap::new();
    for chunk in keys.chunks(crate::db::IN_CHUNK) {
        let rows: Vec<(String, i64, i64)> = hour_fact::Entity::find()
            .select_only()
            .column(hour_fact::Column::AgencyKey)
            .column_as(
                Expr::cust(
                    "CAST(SUM(skilled + apprentice + unskilled + administrative) AS BIGINT)",
                ),
                "hours",
            )
            .column_as(Expr::cust("COUNT(DISTINCT import_id)"), "imports")
            .filter(hour_fact::Column::AgencyKey.is_in(chunk.iter().copied()))
            .group_by(hour_fact::Column::AgencyKey)
            .into_tuple()
            .all(conn)
            .await?;
        for (key, hours, imports) in rows {
            let text = index.group_name(&key);
            let entry = by_text.entry(text.clone()).or_insert(UnknownName {
                text,
                hours: 0,
                imports: 0,
            });
            entry.hours += hours;
            // Texts differing only in dots are listed once; their imports are counted per
            // text, so one import holding both is counted twice (rare, and only a hint).
            entry.imports += imports;
        }
    }
    Ok(by_text.into_values().collect())
}
