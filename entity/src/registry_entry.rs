//! What the last imported Enhetsregisteret file said about one organisation number.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "registry_entry")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub org_number: String,
    pub name: String,
    /// `konkurs`.
    pub bankrupt: bool,
    /// `underAvvikling`.
    pub being_wound_up: bool,
    /// `underTvangsavviklingEllerTvangsopplosning`.
    pub forced_dissolution: bool,
    /// `slettedato`.
    pub deleted_on: Option<Date>,
    /// The day the register file was read.
    pub checked_on: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
