//! Hours added up at quarter and year grain beside the month-grain facts, so the statistics
//! over whole quarters and years read a twelfth of the rows; and indexes on the apprentice
//! facts for the filters the statistics use.
//!
//! A rollup row keeps every key of the facts but the import and the month (the first month
//! of its quarter or year stands for the period), so every filter but one import's hours can
//! read it. The application rewrites the rollup of the contracts and years an import touches
//! in the import's transaction; this migration fills it from the facts already stored.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::TransactionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HourRollup {
    Table,
    Grain,
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
    Month,
    AgencyKey,
    OrgNumber,
}

fn key(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string_len(200).not_null().to_owned()
}

fn hours(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().to_owned()
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
                .table(HourRollup::Table)
                // 3 (a quarter) or 12 (a year).
                .col(ColumnDef::new(HourRollup::Grain).integer().not_null())
                // yyyymm of the period's first month.
                .col(ColumnDef::new(HourRollup::Month).integer().not_null())
                .col(key(HourRollup::AgencyKey))
                .col(ColumnDef::new(HourRollup::OrgNumber).char_len(9).not_null())
                .col(key(HourRollup::ContractKey))
                .col(key(HourRollup::TradeKey))
                .col(hours(HourRollup::Skilled))
                .col(hours(HourRollup::Apprentice))
                .col(hours(HourRollup::Unskilled))
                .col(hours(HourRollup::Administrative))
                .primary_key(
                    Index::create()
                        .col(HourRollup::Grain)
                        .col(HourRollup::Month)
                        .col(HourRollup::AgencyKey)
                        .col(HourRollup::OrgNumber)
                        .col(HourRollup::ContractKey)
                        .col(HourRollup::TradeKey),
                )
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_hour_rollup_contract", HourRollup::ContractKey),
            ("idx_hour_rollup_agency", HourRollup::AgencyKey),
            ("idx_hour_rollup_org", HourRollup::OrgNumber),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(HourRollup::Table)
                    .col(HourRollup::Grain)
                    .col(col)
                    .col(HourRollup::Month)
                    .to_owned(),
            )
            .await?;
        }
        for (name, cols) in [
            ("idx_apprentice_fact_month", vec![ApprenticeFact::Month]),
            (
                "idx_apprentice_fact_agency",
                vec![ApprenticeFact::AgencyKey, ApprenticeFact::Month],
            ),
            (
                "idx_apprentice_fact_org",
                vec![ApprenticeFact::OrgNumber, ApprenticeFact::Month],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(ApprenticeFact::Table);
            for c in cols {
                index.col(c);
            }
            m.create_index(index.to_owned()).await?;
        }

        // The same statement on both databases: integer division, and PostgreSQL casts the
        // sums (numeric) back to bigint on assignment.
        let conn = m.get_connection();
        let txn = conn.begin().await?;
        for grain in [3, 12] {
            let p = period(grain);
            txn.execute_unprepared(&format!(
                "INSERT INTO hour_rollup (grain, month, agency_key, org_number, contract_key, \
                 trade_key, skilled, apprentice, unskilled, administrative) \
                 SELECT {grain}, {p}, agency_key, org_number, contract_key, trade_key, \
                 SUM(skilled), SUM(apprentice), SUM(unskilled), SUM(administrative) \
                 FROM hour_fact GROUP BY {p}, agency_key, org_number, contract_key, trade_key"
            ))
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "idx_apprentice_fact_month",
            "idx_apprentice_fact_agency",
            "idx_apprentice_fact_org",
        ] {
            m.drop_index(
                Index::drop()
                    .name(name)
                    .table(ApprenticeFact::Table)
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(Table::drop().table(HourRollup::Table).to_owned())
            .await
    }
}
