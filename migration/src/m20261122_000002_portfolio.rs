//! The agreement portfolio, the supplier register and the watchlist.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AgreementArea {
    Table,
    Id,
    Name,
    NameKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Supplier {
    Table,
    Id,
    OrgNumber,
    Name,
    SearchKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Agreement {
    Table,
    Id,
    Reference,
    Title,
    SearchKey,
    AreaId,
    Kind,
    Category,
    StartsOn,
    EndsOn,
    MaxEndsOn,
    EstimatedAnnualValue,
    Terminated,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AgreementSupplier {
    Table,
    AgreementId,
    SupplierId,
    Rank,
}

#[derive(DeriveIden)]
enum Turnover {
    Table,
    AgreementId,
    Year,
    Amount,
}

#[derive(DeriveIden)]
enum WatchlistEntry {
    Table,
    Id,
    SupplierId,
    Category,
    Description,
    ReportedBy,
    ListedOn,
    ListedBy,
    RemovedOn,
    RemovalDocumentation,
    RemovedBy,
    CreatedAt,
}

fn id(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn created_at(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AgreementArea::Table)
                .col(id(AgreementArea::Id))
                .col(
                    ColumnDef::new(AgreementArea::Name)
                        .string_len(200)
                        .not_null(),
                )
                // Lower-cased name: "Renhold" and "renhold" are one area.
                .col(
                    ColumnDef::new(AgreementArea::NameKey)
                        .string_len(200)
                        .not_null()
                        .unique_key(),
                )
                .col(created_at(AgreementArea::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Supplier::Table)
                .col(id(Supplier::Id))
                .col(
                    ColumnDef::new(Supplier::OrgNumber)
                        .char_len(9)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Supplier::Name).string_len(300).not_null())
                // Lower-cased in Rust (Unicode-aware, unlike SQLite's LOWER) for searching.
                .col(
                    ColumnDef::new(Supplier::SearchKey)
                        .string_len(320)
                        .not_null(),
                )
                .col(created_at(Supplier::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Agreement::Table)
                .col(id(Agreement::Id))
                .col(
                    ColumnDef::new(Agreement::Reference)
                        .string_len(50)
                        .not_null()
                        .unique_key(),
                )
                .col(ColumnDef::new(Agreement::Title).string_len(300).not_null())
                .col(
                    ColumnDef::new(Agreement::SearchKey)
                        .string_len(360)
                        .not_null(),
                )
                .col(ColumnDef::new(Agreement::AreaId).big_integer().not_null())
                .col(ColumnDef::new(Agreement::Kind).string_len(40).not_null())
                .col(
                    ColumnDef::new(Agreement::Category)
                        .string_len(20)
                        .not_null(),
                )
                .col(ColumnDef::new(Agreement::StartsOn).date().not_null())
                .col(ColumnDef::new(Agreement::EndsOn).date().not_null())
                .col(ColumnDef::new(Agreement::MaxEndsOn).date().not_null())
                // Øre: money is exact.
                .col(
                    ColumnDef::new(Agreement::EstimatedAnnualValue)
                        .big_integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(Agreement::Terminated)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(
                    ColumnDef::new(Agreement::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .col(created_at(Agreement::CreatedAt))
                .col(created_at(Agreement::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Agreement::Table, Agreement::AreaId)
                        .to(AgreementArea::Table, AgreementArea::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_agreement_area")
                .table(Agreement::Table)
                .col(Agreement::AreaId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_agreement_ends_on")
                .table(Agreement::Table)
                .col(Agreement::EndsOn)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AgreementSupplier::Table)
                .col(
                    ColumnDef::new(AgreementSupplier::AgreementId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(AgreementSupplier::SupplierId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(AgreementSupplier::Rank).integer().null())
                .primary_key(
                    Index::create()
                        .col(AgreementSupplier::AgreementId)
                        .col(AgreementSupplier::SupplierId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(AgreementSupplier::Table, AgreementSupplier::AgreementId)
                        .to(Agreement::Table, Agreement::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(AgreementSupplier::Table, AgreementSupplier::SupplierId)
                        .to(Supplier::Table, Supplier::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_agreement_supplier_supplier")
                .table(AgreementSupplier::Table)
                .col(AgreementSupplier::SupplierId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Turnover::Table)
                .col(
                    ColumnDef::new(Turnover::AgreementId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(Turnover::Year).integer().not_null())
                .col(ColumnDef::new(Turnover::Amount).big_integer().not_null())
                .primary_key(
                    Index::create()
                        .col(Turnover::AgreementId)
                        .col(Turnover::Year),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Turnover::Table, Turnover::AgreementId)
                        .to(Agreement::Table, Agreement::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_turnover_year")
                .table(Turnover::Table)
                .col(Turnover::Year)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(WatchlistEntry::Table)
                .col(id(WatchlistEntry::Id))
                .col(
                    ColumnDef::new(WatchlistEntry::SupplierId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(WatchlistEntry::Category)
                        .string_len(40)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(WatchlistEntry::Description)
                        .text()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(WatchlistEntry::ReportedBy)
                        .string_len(200)
                        .not_null(),
                )
                .col(ColumnDef::new(WatchlistEntry::ListedOn).date().not_null())
                .col(
                    ColumnDef::new(WatchlistEntry::ListedBy)
                        .string_len(200)
                        .not_null(),
                )
                .col(ColumnDef::new(WatchlistEntry::RemovedOn).date().null())
                .col(
                    ColumnDef::new(WatchlistEntry::RemovalDocumentation)
                        .text()
                        .null(),
                )
                .col(
                    ColumnDef::new(WatchlistEntry::RemovedBy)
                        .string_len(200)
                        .null(),
                )
                .col(created_at(WatchlistEntry::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(WatchlistEntry::Table, WatchlistEntry::SupplierId)
                        .to(Supplier::Table, Supplier::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_watchlist_supplier")
                .table(WatchlistEntry::Table)
                .col(WatchlistEntry::SupplierId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WatchlistEntry::Table.into_iden(),
            Turnover::Table.into_iden(),
            AgreementSupplier::Table.into_iden(),
            Agreement::Table.into_iden(),
            Supplier::Table.into_iden(),
            AgreementArea::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
