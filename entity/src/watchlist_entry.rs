//! One listing of a supplier on the watchlist; struck off by setting `removed_on`, never deleted.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "watchlist_entry")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub supplier_id: i64,
    pub category: String,
    pub description: String,
    pub reported_by: String,
    pub listed_on: Date,
    pub listed_by: String,
    pub removed_on: Option<Date>,
    pub removal_documentation: Option<String>,
    pub removed_by: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
