//! Batched look-ups for the portfolio's nested fields.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{
    agreement, agreement_area, agreement_option, agreement_participant, agreement_supplier,
    supplier, turnover,
};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    agencies, domain::agency::Agency, domain::text::search_key, error::AppError,
    graphql::loaders::LoadError,
};

pub struct AreaById(pub DatabaseConnection);

impl Loader<i64> for AreaById {
    type Value = agreement_area::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = agreement_area::Entity::find()
            .filter(agreement_area::Column::Id.is_in(keys.iter().copied()))
            .all(&self.0)
            .await?;
        Ok(rows.into_iter().map(|a| (a.id, a)).collect())
    }
}

/// A supplier on an agreement with its rank.
#[derive(Clone)]
pub struct RankedSupplier {
    pub supplier: supplier::Model,
    pub rank: Option<i32>,
}

/// The suppliers of each agreement: ranked ones first by rank, then the rest by name.
pub struct SuppliersOfAgreement(pub DatabaseConnection);

impl Loader<i64> for SuppliersOfAgreement {
    type Value = Vec<RankedSupplier>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let links = agreement_supplier::Entity::find()
            .filter(agreement_supplier::Column::AgreementId.is_in(keys.iter().copied()))
            .all(&self.0)
            .await?;
        let suppliers: HashMap<i64, supplier::Model> = supplier::Entity::find()
            .filter(supplier::Column::Id.is_in(links.iter().map(|l| l.supplier_id)))
            .all(&self.0)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let mut out: HashMap<i64, Vec<RankedSupplier>> = HashMap::new();
        for link in links {
            if let Some(supplier) = suppliers.get(&link.supplier_id) {
                out.entry(link.agreement_id)
                    .or_default()
                    .push(RankedSupplier {
                        supplier: supplier.clone(),
                        rank: link.rank,
                    });
            }
        }
        for list in out.values_mut() {
            list.sort_by(|a, b| {
                (a.rank.is_none(), a.rank, &a.supplier.search_key).cmp(&(
                    b.rank.is_none(),
                    b.rank,
                    &b.supplier.search_key,
                ))
            });
        }
        Ok(out)
    }
}

/// Turnover rows per agreement, oldest year first.
pub struct TurnoverOfAgreement(pub DatabaseConnection);

impl Loader<i64> for TurnoverOfAgreement {
    type Value = Vec<turnover::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = turnover::Entity::find()
            .filter(turnover::Column::AgreementId.is_in(keys.iter().copied()))
            .order_by_asc(turnover::Column::Year)
            .all(&self.0)
            .await?;
        let mut out: HashMap<i64, Vec<turnover::Model>> = HashMap::new();
        for row in rows {
            out.entry(row.agreement_id).or_default().push(row);
        }
        Ok(out)
    }
}

/// The agreements of each area, by reference.
pub struct AgreementsOfArea(pub DatabaseConnection);

impl Loader<i64> for AgreementsOfArea {
    type Value = Vec<agreement::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = agreement::Entity::find()
            .filter(agreement::Column::AreaId.is_in(keys.iter().copied()))
            .order_by_asc(agreement::Column::Reference)
            .all(&self.0)
            .await?;
        let mut out: HashMap<i64, Vec<agreement::Model>> = HashMap::new();
        for row in rows {
            out.entry(row.area_id).or_default().push(row);
        }
        Ok(out)
    }
}

/// The agreements each supplier is on, by reference.
pub struct AgreementsOfSupplier(pub DatabaseConnection);

impl Loader<i64> for AgreementsOfSupplier {
    type Value = Vec<agreement::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let links = agreement_supplier::Entity::find()
            .filter(agreement_supplier::Column::SupplierId.is_in(keys.iter().copied()))
            .all(&self.0)
            .await?;
        let agreements: HashMap<i64, agreement::Model> = agreement::Entity::find()
            .filter(agreement::Column::Id.is_in(links.iter().map(|l| l.agreement_id)))
            .all(&self.0)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        let mut out: HashMap<i64, Vec<agreement::Model>> = HashMap::new();
        for link in links {
            if let Some(a) = agreements.get(&link.agreement_id) {
                out.entry(link.supplier_id).or_default().push(a.clone());
            }
        }
        for list in out.values_mut() {
            list.sort_by(|a, b| a.reference.cmp(&b.reference));
        }
        Ok(out)
    }
}

/// The agencies that may buy under each agreement, by name; an open agreement has none.
pub struct ParticipantsOfAgreement(pub DatabaseConnection);

impl Loader<i64> for ParticipantsOfAgreement {
    type Value = Vec<Agency>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let links = agreement_participant::Entity::find()
            .filter(agreement_participant::Column::AgreementId.is_in(keys.iter().copied()))
            .all(&self.0)
            .await?;
        if links.is_empty() {
            return Ok(HashMap::new());
        }
        // The whole register is two statements and a few hundred names, and it builds each
        // agency with its aliases the one way the register does.
        let register = agencies::service::load(&self.0)
            .await
            .map_err(|e| match e {
                AppError::Internal(cause) => DbErr::Custom(format!("{cause:#}")),
                other => DbErr::Custom(other.to_string()),
            })?;
        let mut out: HashMap<i64, Vec<Agency>> = HashMap::new();
        for link in links {
            if let Some(agency) = register.by_id(link.agency_id) {
                out.entry(link.agreement_id)
                    .or_default()
                    .push(agency.clone());
            }
        }
        for list in out.values_mut() {
            list.sort_by_cached_key(|a| search_key(&a.name));
        }
        Ok(out)
    }
}

/// The options of each agreement, in the order they are used.
pub struct OptionsOfAgreement(pub DatabaseConnection);

impl Loader<i64> for OptionsOfAgreement {
    type Value = Vec<agreement_option::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = agreement_option::Entity::find()
            .filter(agreement_option::Column::AgreementId.is_in(keys.iter().copied()))
            .order_by_asc(agreement_option::Column::AgreementId)
            .order_by_asc(agreement_option::Column::Position)
            .all(&self.0)
            .await?;
        let mut out: HashMap<i64, Vec<agreement_option::Model>> = HashMap::new();
        for row in rows {
            out.entry(row.agreement_id).or_default().push(row);
        }
        Ok(out)
    }
}
