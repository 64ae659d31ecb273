//! Agencies as identities: the register with its names and aliases, who may buy under an
//! agreement, agreement options, and the contracts a tender led to.
//!
//! Existing tenders are linked to the register: a text that matches a seeded agency becomes
//! that agency, any other text becomes a new agency of its own, so no tender loses its agency.
//! HMSREG hours keep their text; the application resolves it through the register on read.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::TransactionTrait;

mod seed;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub(crate) enum Agency {
    Table,
    Id,
    Name,
    OrgNumber,
    CreatedAt,
}

/// Every text that matches an agency (its name and its aliases), by match key. One table, so
/// the primary key alone keeps two agencies from claiming the same text, even under races.
#[derive(DeriveIden)]
pub(crate) enum AgencyName {
    Table,
    Key,
    AgencyId,
    Text,
    IsName,
}

#[derive(DeriveIden)]
pub(crate) enum Tender {
    Table,
    Id,
    Agency,
    AgencyKey,
    AgencyId,
}

#[derive(DeriveIden)]
enum TenderContract {
    Table,
    ContractKey,
    TenderId,
    Contract,
    Position,
}

#[derive(DeriveIden)]
enum Agreement {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AgreementParticipant {
    Table,
    AgreementId,
    AgencyId,
}

#[derive(DeriveIden)]
enum AgreementOption {
    Table,
    AgreementId,
    Position,
    Months,
    ExercisedOn,
    EndsOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Agency::Table)
                .col(
                    ColumnDef::new(Agency::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Agency::Name).string_len(200).not_null())
                .col(
                    ColumnDef::new(Agency::OrgNumber)
                        .string_len(9)
                        .null()
                        .unique_key(),
                )
                .col(
                    ColumnDef::new(Agency::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AgencyName::Table)
                .col(
                    ColumnDef::new(AgencyName::Key)
                        .string_len(200)
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(AgencyName::AgencyId)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(AgencyName::Text).string_len(200).not_null())
                .col(ColumnDef::new(AgencyName::IsName).boolean().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .from(AgencyName::Table, AgencyName::AgencyId)
                        .to(Agency::Table, Agency::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_agency_name_agency")
                .table(AgencyName::Table)
                .col(AgencyName::AgencyId)
                .to_owned(),
        )
        .await?;
        let conn = m.get_connection();
        let txn = conn.begin().await?;
        seed::agencies(&txn).await?;
        txn.commit().await?;

        // SQLite cannot add a foreign key to an existing table; the application always writes
        // a registered agency's id here.
        m.alter_table(
            Table::alter()
                .table(Tender::Table)
                .add_column(ColumnDef::new(Tender::AgencyId).big_integer().null())
                .to_owned(),
        )
        .await?;
        let txn = conn.begin().await?;
        seed::link_tenders(&txn).await?;
        txn.commit().await?;
        m.create_index(
            Index::create()
                .name("idx_tender_agency_id")
                .table(Tender::Table)
                .col(Tender::AgencyId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(TenderContract::Table)
                // A contract comes from one tender: the key is unique across tenders.
                .col(
                    ColumnDef::new(TenderContract::ContractKey)
                        .string_len(1000)
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(TenderContract::TenderId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TenderContract::Contract)
                        .string_len(1000)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(TenderContract::Position)
                        .integer()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(TenderContract::Table, TenderContract::TenderId)
                        .to(Tender::Table, Tender::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_tender_contract_tender")
                .table(TenderContract::Table)
                .col(TenderContract::TenderId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AgreementParticipant::Table)
                .col(
                    ColumnDef::new(AgreementParticipant::AgreementId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(AgreementParticipant::AgencyId)
                        .big_integer()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(AgreementParticipant::AgreementId)
                        .col(AgreementParticipant::AgencyId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            AgreementParticipant::Table,
                            AgreementParticipant::AgreementId,
                        )
                        .to(Agreement::Table, Agreement::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(AgreementParticipant::Table, AgreementParticipant::AgencyId)
                        .to(Agency::Table, Agency::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_agreement_participant_agency")
                .table(AgreementParticipant::Table)
                .col(AgreementParticipant::AgencyId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AgreementOption::Table)
                .col(
                    ColumnDef::new(AgreementOption::AgreementId)
                        .big_integer()
                        .not_null(),
                )
                // 0, 1, ...: options are used in this order.
                .col(
                    ColumnDef::new(AgreementOption::Position)
                        .integer()
                        .not_null(),
                )
                .col(ColumnDef::new(AgreementOption::Months).integer().not_null())
                .col(ColumnDef::new(AgreementOption::ExercisedOn).date().null())
                .col(ColumnDef::new(AgreementOption::EndsOn).date().null())
                .primary_key(
                    Index::create()
                        .col(AgreementOption::AgreementId)
                        .col(AgreementOption::Position),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(AgreementOption::Table, AgreementOption::AgreementId)
                        .to(Agreement::Table, Agreement::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AgreementOption::Table.into_iden(),
            AgreementParticipant::Table.into_iden(),
            TenderContract::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.drop_index(
            Index::drop()
                .name("idx_tender_agency_id")
                .table(Tender::Table)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Tender::Table)
                .drop_column(Tender::AgencyId)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(AgencyName::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Agency::Table).to_owned())
            .await?;
        Ok(())
    }
}
