//! Hours of one month, agency, supplier, contract and trade from one import, per category.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "hour_fact")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub import_id: i64,
    /// `yyyymm`.
    pub month: i32,
    pub agency_key: String,
    pub org_number: String,
    pub contract_key: String,
    pub trade_key: String,
    /// Hundredths of an hour.
    pub skilled: i64,
    pub apprentice: i64,
    pub unskilled: i64,
    pub administrative: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
