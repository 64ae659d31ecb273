//! A worker (keyed hash only) with apprentice hours in one month, agency, supplier, contract and trade.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "apprentice_fact")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub import_id: i64,
    pub month: i32,
    pub agency_key: String,
    pub org_number: String,
    pub contract_key: String,
    pub trade_key: String,
    pub worker_hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
