//! HMSREG imports and their hours, added up at the month grain the shares are asked at.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HmsregImport {
    Table,
    Id,
    FileName,
    Sha256,
    ImportedAt,
    ImportedBy,
    RowCount,
    PeriodFrom,
    PeriodTo,
    Warnings,
}

#[derive(DeriveIden)]
enum HourFact {
    Table,
    Id,
    ImportId,
    Month,
    AgencyKey,
    OrgNumber,
    ContractKey,
    TradeKey,
    Skilled,
    Apprentice,
    Unskilled,
    Administrative,
}

#[derive(DeriveIden)]
enum ApprenticeFact {
    Table,
    Id,
    ImportId,
    Month,
    AgencyKey,
    OrgNumber,
    ContractKey,
    TradeKey,
    WorkerHash,
}

#[derive(DeriveIden)]
enum HmsregLabel {
    Table,
    Kind,
    Key,
    Label,
}

fn key(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string_len(200).not_null().to_owned()
}

fn hours(col: impl IntoIden) -> ColumnDef {
    // Hundredths of an hour: exact, whatever the order of summing.
    ColumnDef::new(col).big_integer().not_null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HmsregImport::Table)
                .col(
                    ColumnDef::new(HmsregImport::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(HmsregImport::FileName)
                        .string_len(300)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(HmsregImport::Sha256)
                        .char_len(64)
                        .not_null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(HmsregImport::ImportedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(HmsregImport::ImportedBy)
                        .string_len(200)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(HmsregImport::RowCount)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(HmsregImport::PeriodFrom).date().null())
                .col(ColumnDef::new(HmsregImport::PeriodTo).date().null())
                .col(ColumnDef::new(HmsregImport::Warnings).text().not_null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HourFact::Table)
                .col(
                    ColumnDef::new(HourFact::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(HourFact::ImportId).big_integer().not_null())
                // yyyymm
                .col(ColumnDef::new(HourFact::Month).integer().not_null())
                .col(key(HourFact::AgencyKey))
                .col(ColumnDef::new(HourFact::OrgNumber).char_len(9).not_null())
                .col(key(HourFact::ContractKey))
                .col(key(HourFact::TradeKey))
                .col(hours(HourFact::Skilled))
                .col(hours(HourFact::Apprentice))
                .col(hours(HourFact::Unskilled))
                .col(hours(HourFact::Administrative))
                .foreign_key(
                    ForeignKey::create()
                        .from(HourFact::Table, HourFact::ImportId)
                        .to(HmsregImport::Table, HmsregImport::Id),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "idx_hour_fact_contract_month",
                vec![HourFact::ContractKey, HourFact::Month],
            ),
            ("idx_hour_fact_month", vec![HourFact::Month]),
            (
                "idx_hour_fact_agency",
                vec![HourFact::AgencyKey, HourFact::Month],
            ),
            (
                "idx_hour_fact_org",
                vec![HourFact::OrgNumber, HourFact::Month],
            ),
            ("idx_hour_fact_import", vec![HourFact::ImportId]),
        ] {
            let mut index = Index::create();
            index.name(name).table(HourFact::Table);
            for c in cols {
                index.col(c);
            }
            m.create_index(index.to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(ApprenticeFact::Table)
                .col(
                    ColumnDef::new(ApprenticeFact::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(ApprenticeFact::ImportId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(ApprenticeFact::Month).integer().not_null())
                .col(key(ApprenticeFact::AgencyKey))
                .col(
                    ColumnDef::new(ApprenticeFact::OrgNumber)
                        .char_len(9)
                        .not_null(),
                )
                .col(key(ApprenticeFact::ContractKey))
                .col(key(ApprenticeFact::TradeKey))
                // Keyed hash of the HMS card number; the number itself is never stored.
                .col(
                    ColumnDef::new(ApprenticeFact::WorkerHash)
                        .char_len(32)
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ApprenticeFact::Table, ApprenticeFact::ImportId)
                        .to(HmsregImport::Table, HmsregImport::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_apprentice_fact_contract_month")
                .table(ApprenticeFact::Table)
                .col(ApprenticeFact::ContractKey)
                .col(ApprenticeFact::Month)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HmsregLabel::Table)
                .col(ColumnDef::new(HmsregLabel::Kind).string_len(20).not_null())
                .col(key(HmsregLabel::Key))
                .col(
                    ColumnDef::new(HmsregLabel::Label)
                        .string_len(200)
                        .not_null(),
                )
                .primary_key(Index::create().col(HmsregLabel::Kind).col(HmsregLabel::Key))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ApprenticeFact::Table.into_iden(),
            HourFact::Table.into_iden(),
            HmsregLabel::Table.into_iden(),
            HmsregImport::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
