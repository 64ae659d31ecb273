//! One requirement a tender declares.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "tender_requirement")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tender_id: i64,
    pub position: i32,
    pub code: String,
    pub form: String,
    pub weight_percent: Option<f64>,
    pub max_tiers: Option<i32>,
    /// JSON array.
    pub machine_types: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
