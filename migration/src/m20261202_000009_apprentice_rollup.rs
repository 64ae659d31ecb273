//! The apprentices at quarter and year grain beside the month-grain ones: each worker once
//! per (period, agency text, supplier, contract, trade), so the distinct apprentices over
//! whole quarters and years count a third or a twelfth of the rows, and stay exact (a group
//! of whole periods holds a worker when one of its periods does).
//!
//! Like `hour_rollup` (migration 8): the application rewrites the rows of the contracts and
//! years an import touches in the import's transaction; this migration fills it from the
//! apprentices already stored.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::TransactionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApprenticeRollup {
    Table,
    Grain,
    Month,
    AgencyKey,
    OrgNumber,
    ContractKey,
    TradeKey,
    WorkerHash,
}

fn key(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string_len(200).not_null().to_owned()
}

/// The first month (`yyyymm`) of the period of `grain` months a fact's month falls in.
fn period(grain: i32) -> &'static str {
    match grain {
        3 => "(month / 100) * 100 + ((month % 100 - 1) / 3) * 3 + 1",
        _ => "(month / 100) * 100 + 1",
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ApprenticeRollup::Table)
                // 3 (a quarter) or 12 (a year).
                .col(ColumnDef::new(ApprenticeRollup::Grain).integer().not_null())
                // yyyymm of the period's first month.
                .col(ColumnDef::new(ApprenticeRollup::Month).integer().not_null())
                .col(key(ApprenticeRollup::AgencyKey))
                .col(
                    ColumnDef::new(ApprenticeRollup::OrgNumber)
                        .char_len(9)
                        .not_null(),
                )
                .col(key(ApprenticeRollup::ContractKey))
                .col(key(ApprenticeRollup::TradeKey))
                .col(
                    ColumnDef::new(ApprenticeRollup::WorkerHash)
                        .char_len(32)
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(ApprenticeRollup::Grain)
                        .col(ApprenticeRollup::Month)
                        .col(ApprenticeRollup::AgencyKey)
                        .col(ApprenticeRollup::OrgNumber)
                        .col(ApprenticeRollup::ContractKey)
                        .col(ApprenticeRollup::TradeKey)
                        .col(ApprenticeRollup::WorkerHash),
                )
                .to_owned(),
        )
        .await?;
        // The import's rewrite deletes by contract; the filters read agency and supplier.
        for (name, col) in [
            (
                "idx_apprentice_rollup_contract",
                ApprenticeRollup::ContractKey,
            ),
            ("idx_apprentice_rollup_agency", ApprenticeRollup::AgencyKey),
            ("idx_apprentice_rollup_org", ApprenticeRollup::OrgNumber),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(ApprenticeRollup::Table)
                    .col(ApprenticeRollup::Grain)
                    .col(col)
                    .col(ApprenticeRollup::Month)
                    .to_owned(),
            )
            .await?;
        }

        let conn = m.get_connection();
        let txn = conn.begin().await?;
        for grain in [3, 12] {
            let p = period(grain);
            txn.execute_unprepared(&format!(
                "INSERT INTO apprentice_rollup (grain, month, agency_key, org_number, \
                 contract_key, trade_key, worker_hash) \
                 SELECT DISTINCT {grain}, {p}, agency_key, org_number, contract_key, trade_key, \
                 worker_hash FROM apprentice_fact"
            ))
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ApprenticeRollup::Table).to_owned())
            .await
    }
}
