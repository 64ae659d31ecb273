//! Batched look-ups for the portfolio's nested fields.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{agreement, agreement_area, agreement_supplier, supplier, turnover};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::graphql::loaders::LoadError;

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
