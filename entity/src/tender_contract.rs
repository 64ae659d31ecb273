//! A contract a tender led to, as HMSREG's contract column writes it.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "tender_contract")]
pub struct Model {
    /// The contract key HMSREG hours are stored under; one tender per contract.
    #[sea_orm(primary_key, auto_increment = false)]
    pub contract_key: String,
    pub tender_id: i64,
    pub contract: String,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
