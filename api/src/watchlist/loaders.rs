//! Batched "is this supplier on the watchlist on this day" look-ups.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use chrono::NaiveDate;
use entity::watchlist_entry;
use sea_orm::{DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use super::asof;
use crate::{db, graphql::loaders::LoadError};

/// Supplier id -> watchlisted on `day`. Suppliers not listed are absent (read as false).
pub struct WatchlistedOn {
    pub db: DatabaseConnection,
    pub day: NaiveDate,
}

impl Loader<i64> for WatchlistedOn {
    type Value = bool;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, bool>, Self::Error> {
        let ids: Vec<i64> = watchlist_entry::Entity::find()
            .select_only()
            .column(watchlist_entry::Column::SupplierId)
            .distinct()
            .filter(db::key_in(
                self.db.get_database_backend(),
                watchlist_entry::Column::SupplierId,
                keys.to_vec(),
            ))
            .filter(asof::active_condition(self.day))
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(ids.into_iter().map(|id| (id, true)).collect())
    }
}
