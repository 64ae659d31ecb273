//! The audit trail: one row per mutation, written in the mutation's own transaction.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Id,
    OccurredAt,
    Actor,
    Action,
    Entity,
    EntityId,
    Before,
    After,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEvent::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(AuditEvent::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AuditEvent::OccurredAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditEvent::Actor).string_len(200).not_null())
                    .col(
                        ColumnDef::new(AuditEvent::Action)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AuditEvent::Entity)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AuditEvent::EntityId)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditEvent::Before).json().null())
                    .col(ColumnDef::new(AuditEvent::After).json().null())
                    .to_owned(),
            )
            .await?;
        // Admins look up the history of one record, newest first.
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_event_entity")
                    .table(AuditEvent::Table)
                    .col(AuditEvent::Entity)
                    .col(AuditEvent::EntityId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditEvent::Table).to_owned())
            .await
    }
}
