//! The kinds of agreement and of procurement.

use sea_orm::{DeriveActiveEnum, EnumIter};

/// The legal form of a joint agreement.
#[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[sea_orm(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AgreementKind {
    FrameworkAgreement,
    DynamicPurchasingSystem,
    ReservedContract,
}

/// What is bought: the rules differ for each.
#[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[sea_orm(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProcurementCategory {
    Goods,
    Services,
    Construction,
    Cleaning,
}
