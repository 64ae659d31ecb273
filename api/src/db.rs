//! Connecting to storage (embedded SQLite by default, PostgreSQL by URL) and migrating it.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait, Value,
    sea_query::{Expr, ExprTrait, Func, Query},
};

/// Opens a pool on `url` and brings its schema up to date.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = connect(url).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_string());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        // sqlx pings a pooled connection on every checkout by default: a round trip before
        // each statement (two per portfolio page), for the rare connection the server or a
        // firewall dropped. Only one idle long enough for that to have happened is pinged.
        .test_before_acquire_if_idle_for(Duration::from_secs(30));
    if url.starts_with("sqlite:") {
        // One writer at a time is SQLite's nature; WAL lets readers go on meanwhile, and the busy
        // timeout makes a second writer wait instead of failing at once.
        options.max_connections(8).map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    } else {
        // The statistics group up to 120,000 (month, contract) sums in one statement; at
        // PostgreSQL's default 4 MB of work memory they spill to disk (20 MB a call for
        // workforceShares by MONTH). 32 MB keeps them in memory: by MONTH 686 -> 416 ms,
        // AGENCY then QUARTER 487 -> 238 ms over 10 million hour rows (bench-followup). It is
        // per sort or hash of a statement, so 20 connections stay well under a gigabyte.
        options
            .max_connections(20)
            .map_sqlx_postgres_opts(|o| o.options([("work_mem", "32MB")]));
    }
    Database::connect(options).await
}

/// `column IN keys` for a batched look-up. PostgreSQL gets one array parameter,
/// `column IN (SELECT unnest($1))`: the statement's text, and with it the prepared statement
/// sqlx keeps per connection, is the same for every batch size (an IN list is a new statement
/// to parse and plan for each number of keys), and the planner, which cannot see into the
/// array, looks the keys up by index instead of scanning the table (`= ANY($1)` it answered
/// with a hash join over the whole supplier table: 1.1 ms against 0.4-0.7 ms for a page's
/// 150 links, measured with EXPLAIN ANALYZE). SQLite has no arrays; it plans in-process.
pub fn key_in<V>(backend: DbBackend, column: impl ColumnTrait, keys: Vec<V>) -> Expr
where
    V: Into<Value>,
    Vec<V>: Into<Value>,
{
    match backend {
        DbBackend::Postgres => Expr::col(column.as_column_ref()).in_subquery(
            Query::select()
                .expr(Func::cust("unnest").arg(Expr::val(keys)))
                .to_owned(),
        ),
        _ => column.is_in(keys),
    }
}

/// Whether the database answers: `/ready` uses it.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}

/// Begins the transaction of a change. On SQLite it is `BEGIN IMMEDIATE`: the write lock is
/// taken at once, so a second writer waits its turn (the busy timeout) instead of failing with
/// "database is locked" when its read turns into a write. Inside a transaction, a savepoint.
pub async fn begin_write<C: TransactionTrait>(conn: &C) -> Result<C::Transaction, DbErr> {
    conn.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Any constant would do; it only has to be the same for every import.
const IMPORT_LOCK: i64 = 0x005A_4D52_4547;

/// Makes imports take turns until `txn` ends, so the second sees the first's hours and
/// replaces them rather than adding to them. SQLite's IMMEDIATE transaction already does this;
/// PostgreSQL's READ COMMITTED does not, so it takes a transaction-scoped advisory lock.
pub async fn lock_imports(txn: &impl ConnectionTrait) -> Result<(), DbErr> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [IMPORT_LOCK.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Most values one statement binds in an `IN (...)` list: SQLite allows 32,766 and PostgreSQL
/// 65,535 in a whole statement, and lists grown from a file or a period must stay under both.
pub const IN_CHUNK: usize = 5_000;
