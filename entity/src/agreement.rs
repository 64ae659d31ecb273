//! A joint framework agreement (samkjøpsavtale).

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "agreement")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub search_key: String,
    pub area_id: i64,
    pub kind: String,
    pub category: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub max_ends_on: Date,
    /// Øre.
    pub estimated_annual_value: Option<i64>,
    pub terminated: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
