//! One imported HMSREG file.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "hmsreg_import")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub file_name: String,
    pub sha256: String,
    pub imported_at: DateTimeUtc,
    pub imported_by: String,
    pub row_count: i64,
    pub period_from: Option<Date>,
    pub period_to: Option<Date>,
    /// The import's warnings, as JSON.
    pub warnings: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
