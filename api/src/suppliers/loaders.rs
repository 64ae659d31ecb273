//! Batched supplier look-ups.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::supplier;
use sea_orm::{DatabaseConnection, EntityTrait, QueryFilter};

use crate::{db, graphql::loaders::LoadError};

pub struct SupplierById(pub DatabaseConnection);

impl Loader<i64> for SupplierById {
    type Value = supplier::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = supplier::Entity::find()
            .filter(db::key_in(
                self.0.get_database_backend(),
                supplier::Column::Id,
                keys.to_vec(),
            ))
            .all(&self.0)
            .await?;
        Ok(rows.into_iter().map(|s| (s.id, s)).collect())
    }
}
