//! Batched look-ups for the stored tender's nested fields.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::tender_check;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::graphql::loaders::LoadError;

/// Each tender's recorded check, as stored (read by `Tender.recordedCheck`): a page of
/// tenders costs one statement for all their checks.
pub struct RecordedCheckOf(pub DatabaseConnection);

impl Loader<i64> for RecordedCheckOf {
    type Value = tender_check::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let mut out = HashMap::with_capacity(keys.len());
        // A page holds at most SAMKJOP_MAX_PAGE_SIZE tenders, but a recheck may return 1,000.
        for chunk in keys.chunks(crate::db::IN_CHUNK) {
            let rows = tender_check::Entity::find()
                .filter(tender_check::Column::TenderId.is_in(chunk.iter().copied()))
                .all(&self.0)
                .await?;
            out.extend(rows.into_iter().map(|m| (m.tender_id, m)));
        }
        Ok(out)
    }
}
