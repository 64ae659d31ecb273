//! Recorded checks: each tender's verdict as it was checked when it was last created, updated
//! or rechecked, with the catalogue version then, so that statistics do not move when the rule
//! file changes.
//!
//! The migration only creates the table. The checker and the catalogue live in the
//! application, so the application records a check for every tender that has none right after
//! migrating (`tenders::recorded::record_missing`, run by `serve`, `migrate` and `seed`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tender {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TenderCheck {
    Table,
    TenderId,
    RulesVersion,
    Verdict,
    Findings,
    Counted,
    CheckedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(TenderCheck::Table)
                // One recorded check per tender: the latest replaces the one before.
                .col(
                    ColumnDef::new(TenderCheck::TenderId)
                        .big_integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(TenderCheck::RulesVersion).text().not_null())
                .col(ColumnDef::new(TenderCheck::Verdict).text().not_null())
                // JSON: [{ruleId, status, message, title, source}], in catalogue order.
                .col(ColumnDef::new(TenderCheck::Findings).text().not_null())
                // JSON: what the statistics count of the tender, recorded with the check:
                // {statuses: {ruleId: status}, firm: [code], machineTypes: [name]}. The
                // findings with their messages are some 1.5 kB a tender, too much to move for
                // thousands of tenders per figure; with this a figure reads one row a tender.
                .col(ColumnDef::new(TenderCheck::Counted).text().not_null())
                .col(
                    ColumnDef::new(TenderCheck::CheckedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(TenderCheck::Table, TenderCheck::TenderId)
                        .to(Tender::Table, Tender::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(TenderCheck::Table).to_owned())
            .await
    }
}
