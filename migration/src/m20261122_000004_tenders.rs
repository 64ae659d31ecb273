//! Tenders with their declared requirements and exemptions.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tender {
    Table,
    Id,
    Reference,
    Title,
    Agency,
    AgencyKey,
    Category,
    EstimatedValue,
    DurationMonths,
    AnnouncedOn,
    IncludesTransport,
    BuildingSite,
    ApprenticeTrades,
    LabourCrimeRisk,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TenderRequirement {
    Table,
    Id,
    TenderId,
    Position,
    Code,
    Form,
    WeightPercent,
    MaxTiers,
    MachineTypes,
}

#[derive(DeriveIden)]
enum TenderExemption {
    Table,
    Id,
    TenderId,
    RuleId,
    Justification,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Tender::Table)
                .col(
                    ColumnDef::new(Tender::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Tender::Reference).string_len(50).null())
                .col(ColumnDef::new(Tender::Title).string_len(300).not_null())
                .col(ColumnDef::new(Tender::Agency).string_len(200).not_null())
                // Lower-cased agency: buyers and filters compare agencies case-insensitively.
                .col(ColumnDef::new(Tender::AgencyKey).string_len(200).not_null())
                .col(ColumnDef::new(Tender::Category).string_len(20).not_null())
                // Øre.
                .col(
                    ColumnDef::new(Tender::EstimatedValue)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(Tender::DurationMonths).integer().not_null())
                .col(ColumnDef::new(Tender::AnnouncedOn).date().not_null())
                .col(
                    ColumnDef::new(Tender::IncludesTransport)
                        .boolean()
                        .not_null(),
                )
                .col(ColumnDef::new(Tender::BuildingSite).boolean().not_null())
                .col(
                    ColumnDef::new(Tender::ApprenticeTrades)
                        .boolean()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Tender::LabourCrimeRisk)
                        .string_len(10)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Tender::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .col(ColumnDef::new(Tender::CreatedBy).string_len(200).not_null())
                .col(
                    ColumnDef::new(Tender::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Tender::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_tender_announced")
                .table(Tender::Table)
                .col(Tender::AnnouncedOn)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_tender_agency")
                .table(Tender::Table)
                .col(Tender::AgencyKey)
                .col(Tender::AnnouncedOn)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TenderRequirement::Table)
                .col(
                    ColumnDef::new(TenderRequirement::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(TenderRequirement::TenderId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TenderRequirement::Position)
                        .integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TenderRequirement::Code)
                        .string_len(40)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TenderRequirement::Form)
                        .string_len(30)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TenderRequirement::WeightPercent)
                        .double()
                        .null(),
                )
                .col(ColumnDef::new(TenderRequirement::MaxTiers).integer().null())
                // JSON array of lower-cased machine types.
                .col(
                    ColumnDef::new(TenderRequirement::MachineTypes)
                        .text()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(TenderRequirement::Table, TenderRequirement::TenderId)
                        .to(Tender::Table, Tender::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_tender_requirement_tender")
                .table(TenderRequirement::Table)
                .col(TenderRequirement::TenderId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TenderExemption::Table)
                .col(
                    ColumnDef::new(TenderExemption::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(TenderExemption::TenderId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TenderExemption::RuleId)
                        .string_len(60)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TenderExemption::Justification)
                        .text()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(TenderExemption::Table, TenderExemption::TenderId)
                        .to(Tender::Table, Tender::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_tender_exemption_tender")
                .table(TenderExemption::Table)
                .col(TenderExemption::TenderId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            TenderExemption::Table.into_iden(),
            TenderRequirement::Table.into_iden(),
            Tender::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
