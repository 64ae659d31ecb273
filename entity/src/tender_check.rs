//! A tender's check as recorded when the tender was last created, updated or rechecked.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "tender_check")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tender_id: i64,
    /// The catalogue version the check was made with.
    pub rules_version: String,
    /// `COMPLIANT` or `NON_COMPLIANT`.
    pub verdict: String,
    /// JSON: the findings (rule id, status, message, title, source), in catalogue order.
    pub findings: String,
    /// JSON: what the statistics count of the tender, recorded with the check:
    /// `{statuses: {ruleId: status}, firm: [requirement code], machineTypes: [name]}`.
    pub counted: String,
    pub checked_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
