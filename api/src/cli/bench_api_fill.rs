//! The portfolio `samkjop bench-api` serves: 2,000 agreements in 20 areas, 5,000 suppliers, three
//! ranked suppliers on each agreement and 500 suppliers on the watchlist. Written once, through
//! the services, in one transaction; a second run finds it and leaves it.

use anyhow::Context as _;
use entity::agreement;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, TransactionTrait,
};

use crate::{
    domain::{
        kinds::{AgreementKind, ProcurementCategory},
        orgnr,
    },
    portfolio::service::{self as portfolio, NewAgreement, SupplierLink},
    suppliers::service as suppliers,
    watchlist::service::{self as watchlist, NewEntry, WatchlistCategory},
};

pub const AGREEMENTS: usize = 2_000;
pub const SUPPLIERS: usize = 5_000;
const AREAS: usize = 20;
const RANKED: usize = 3;
/// Every tenth supplier is on the watchlist.
const WATCHLIST_EVERY: usize = 10;
/// The benchmark's agreements, found again on a second run.
const PREFIX: &str = "BENCHAPI-";

/// A made-up valid org number: 5, `n` in seven digits, the MOD11 digit (skipping those with none).
fn org_numbers(count: usize) -> Vec<String> {
    (0u32..)
        .filter_map(|n| {
            let digits: Vec<u32> = format!("5{n:07}")
                .bytes()
                .map(|b| u32::from(b - b'0'))
                .collect();
            orgnr::check_digit(&digits).map(|check| format!("5{n:07}{check}"))
        })
        .take(count)
        .collect()
}

/// Fills the portfolio unless an earlier run did; says how many agreements carry the prefix.
pub async fn ensure(db: &DatabaseConnection) -> anyhow::Result<u64> {
    let present = agreement::Entity::find()
        .filter(agreement::Column::Reference.starts_with(PREFIX))
        .count(db)
        .await?;
    if present > 0 {
        return Ok(present);
    }
    let txn = db.begin().await?;
    let mut areas = Vec::with_capacity(AREAS);
    for a in 0..AREAS {
        let area = portfolio::create_area(&txn, "bench", &format!("Benchområde {a:02}")).await?;
        areas.push(area.id);
    }
    let orgs = org_numbers(SUPPLIERS);
    for (i, org) in orgs.iter().enumerate() {
        suppliers::create(&txn, "bench", org, &format!("Benchleverandør {i:04} AS"))
            .await
            .with_context(|| format!("supplier {org}"))?;
    }
    for i in 0..AGREEMENTS {
        let input = NewAgreement {
            reference: format!("{PREFIX}{i:04}"),
            title: format!("Rammeavtale {i}"),
            area_id: areas[i % AREAS],
            kind: AgreementKind::FrameworkAgreement,
            category: ProcurementCategory::Goods,
            starts_on: chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(),
            ends_on: chrono::NaiveDate::from_ymd_opt(2028, 12, 31).unwrap_or_default(),
            max_ends_on: None,
            estimated_annual_value: Some(1_000_000),
            participants: Vec::new(),
            options: Vec::new(),
            suppliers: (0..RANKED)
                .map(|k| SupplierLink {
                    org_number: orgs[(i * RANKED + k * 7) % SUPPLIERS].clone(),
                    rank: Some(k as i32 + 1),
                })
                .collect(),
        };
        portfolio::create(&txn, "bench", input)
            .await
            .with_context(|| format!("agreement {i}"))?;
    }
    let today = crate::clock::today();
    for org in orgs.iter().step_by(WATCHLIST_EVERY) {
        let entry = NewEntry {
            org_number: org.clone(),
            supplier_name: None,
            category: WatchlistCategory::PoorWork,
            description: "Avvik i benchmark".into(),
            reported_by: "Oslobygg KF".into(),
            listed_on: today,
        };
        watchlist::add(&txn, "bench", today, entry).await?;
    }
    txn.commit().await?;
    settle(db).await?;
    Ok(AGREEMENTS as u64)
}

/// What autovacuum does soon after a bulk fill, done at once so that the first runs measure
/// the database as it will be: fresh statistics (plans are otherwise made for empty tables)
/// and the visibility map (without it no index-only scan skips the table; the statistics
/// statements took up to three times as long on a just-filled database).
pub(super) async fn settle(db: &DatabaseConnection) -> anyhow::Result<()> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("VACUUM ANALYZE").await?;
    }
    Ok(())
}
