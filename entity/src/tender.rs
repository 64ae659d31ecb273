//! A tender (konkurranse) as its agency declared it.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "tender")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub reference: Option<String>,
    pub title: String,
    pub agency: String,
    pub agency_key: String,
    /// The registered agency; set on every tender since the agency register came.
    pub agency_id: Option<i64>,
    pub category: String,
    /// Øre, excluding VAT.
    pub estimated_value: i64,
    pub duration_months: i32,
    pub announced_on: Date,
    pub includes_transport: bool,
    pub building_site: bool,
    pub apprentice_trades: bool,
    pub labour_crime_risk: String,
    pub version: i32,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
