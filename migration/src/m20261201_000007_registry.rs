//! What the public register (Enhetsregisteret at Brønnøysund) says about the organisation
//! numbers we deal with: one row per number the last register file listed.
//!
//! The rows are replaced whole by each import, so they need no history of their own; the audit
//! trail records each import.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RegistryEntry {
    Table,
    OrgNumber,
    Name,
    Bankrupt,
    BeingWoundUp,
    ForcedDissolution,
    DeletedOn,
    CheckedOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RegistryEntry::Table)
                .col(
                    ColumnDef::new(RegistryEntry::OrgNumber)
                        .string_len(9)
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(RegistryEntry::Name)
                        .string_len(1000)
                        .not_null(),
                )
                .col(ColumnDef::new(RegistryEntry::Bankrupt).boolean().not_null())
                .col(
                    ColumnDef::new(RegistryEntry::BeingWoundUp)
                        .boolean()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(RegistryEntry::ForcedDissolution)
                        .boolean()
                        .not_null(),
                )
                .col(ColumnDef::new(RegistryEntry::DeletedOn).date().null())
                .col(ColumnDef::new(RegistryEntry::CheckedOn).date().not_null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RegistryEntry::Table).to_owned())
            .await
    }
}
