//! Batched register look-ups, for lists of suppliers.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::registry_entry;
use sea_orm::{DatabaseConnection, EntityTrait, QueryFilter};

use crate::{db, graphql::loaders::LoadError};

/// Organisation number -> the register's entry. Numbers the last file did not list are absent.
pub struct RegistryByOrgNumber(pub DatabaseConnection);

impl Loader<String> for RegistryByOrgNumber {
    type Value = registry_entry::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, Self::Error> {
        let rows = registry_entry::Entity::find()
            .filter(db::key_in(
                self.0.get_database_backend(),
                registry_entry::Column::OrgNumber,
                keys.to_vec(),
            ))
            .all(&self.0)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.org_number.clone(), r))
            .collect())
    }
}
