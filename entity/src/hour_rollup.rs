//! Hours of one quarter or year, agency, supplier, contract and trade, over every import:
//! `hour_fact` added up, kept by the import that writes the facts.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "hour_rollup")]
pub struct Model {
    /// 3 (a quarter) or 12 (a year).
    #[sea_orm(primary_key, auto_increment = false)]
    pub grain: i32,
    /// `yyyymm` of the period's first month.
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub agency_key: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub org_number: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub contract_key: String,
    #[sea_orm(primary_key, auto_increment = false)]
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
