//! `samkjop bench-followup`: `contractFollowUp`, `goalScorecard` and `workforceShares` (every
//! grouping, and AGENCY then QUARTER) on a database
//! filled to the size the municipality has (2,000 contracts, 60 months, 25 agencies, 180,000
//! month-grain hour facts standing for about 10 million hour rows, 1,000 tenders naming the
//! contracts). Prints figures; asserts nothing (performance is measured, not tested).

use std::time::{Duration, Instant};

use anyhow::Context as _;
use chrono::{NaiveDate, Utc};
use entity::{apprentice_fact, hmsreg_import, hmsreg_label, hour_fact};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set, TransactionTrait,
};

use crate::{
    agencies::service as agencies,
    domain::{Scope, month},
    hmsreg::shares::ShareSettings,
    tenders::{
        catalogue::Catalogue,
        check::{RequirementCode, RequirementForm, RiskLevel},
        followup::{self, FollowUpQuery},
        service as tenders,
        valid::{self, TenderInput, TenderRequirementInput},
    },
};

const CONTRACTS: u32 = 2_000;
const MONTHS: u32 = 60;
const AGENCIES: usize = 25;
/// The benchmark's import, found again on a second run so the data is filled once.
const MARKER: &str = "bench-followup";

fn contract(c: u32) -> String {
    format!("BENCH-{c:04} Kontrakt {c}")
}

/// `yyyymm` of month `m` counted from January 2021.
fn month_of(m: u32) -> i32 {
    (2021 + m / 12) as i32 * 100 + (m % 12 + 1) as i32
}

pub async fn run(db: &DatabaseConnection, runs: usize) -> anyhow::Result<()> {
    let filled = hmsreg_import::Entity::find()
        .filter(hmsreg_import::Column::FileName.eq(MARKER))
        .count(db)
        .await?;
    if filled == 0 {
        let started = Instant::now();
        fill(db).await.context("cannot fill the benchmark data")?;
        super::bench_api_fill::settle(db).await?;
        println!("filled in {:.1} s", started.elapsed().as_secs_f64());
    }
    let facts = hour_fact::Entity::find().count(db).await?;
    let workers = apprentice_fact::Entity::find().count(db).await?;
    println!("{facts} hour facts, {workers} apprentice facts");

    let year = |y: i32| FollowUpQuery {
        from_month: Some(month::of(
            NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default(),
        )),
        to_month: Some(month::of(
            NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or_default(),
        )),
        ..Default::default()
    };
    let register = agencies::load(db).await?;
    let buyer = register
        .find("Oslobygg KF")
        .cloned()
        .map(Scope::Agency)
        .context("no Oslobygg KF in the register")?;
    for (label, query, scope) in [
        ("adviser, 2025, every contract", year(2025), Scope::All),
        ("adviser, all months", FollowUpQuery::default(), Scope::All),
        ("buyer (Oslobygg KF), 2025", year(2025), buyer),
    ] {
        let mut times = Vec::with_capacity(runs);
        let mut rows = 0;
        for _ in 0..runs {
            let started = Instant::now();
            rows = followup::follow_up(db, &query, &scope, &ShareSettings::default())
                .await?
                .len();
            times.push(started.elapsed());
        }
        report(&format!("contractFollowUp {label}: {rows} rows"), times);
    }
    // The goal table reads the same hours (three years of them) and the tenders.
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        crate::goals::service::scorecard(db, &ShareSettings::default(), 2025, None).await?;
        times.push(started.elapsed());
    }
    report("goalScorecard 2025 (2023-2025)", times);
    shares(db, runs).await
}

/// `workforceShares` over all 60 months for every grouping, and the quarterly agency report's
/// pair (AGENCY then QUARTER), as the GraphQL field asks for them (averages included).
async fn shares(db: &DatabaseConnection, runs: usize) -> anyhow::Result<()> {
    use crate::hmsreg::query::{self, Grouping, HourFilter};
    let settings = ShareSettings::default();
    let filter = HourFilter::default();
    let mut cases: Vec<(Grouping, Option<Grouping>)> = [
        Grouping::Total,
        Grouping::Agency,
        Grouping::Supplier,
        Grouping::Contract,
        Grouping::Trade,
        Grouping::Month,
        Grouping::Quarter,
        Grouping::Year,
    ]
    .into_iter()
    .map(|g| (g, None))
    .collect();
    cases.push((Grouping::Agency, Some(Grouping::Quarter)));
    for (by, then) in cases {
        let name = match then {
            None => format!("{by:?}"),
            Some(then) => format!("{by:?} then {then:?}"),
        };
        // Both ways a call can be counted: on PostgreSQL two or three statements at once on
        // as many connections (as the GraphQL field and the workbooks do), and the one
        // combined statement (SQLite always; the goal table, inside its transaction).
        for side_by_side in [true, false] {
            let mut times = Vec::with_capacity(runs);
            let mut groups = 0;
            for _ in 0..runs {
                let started = Instant::now();
                groups = match (side_by_side, then) {
                    (true, _) => query::shares_by(db, &filter, by, then, true, &settings).await?,
                    (false, None) => query::shares(db, &filter, by, &settings).await?,
                    (false, Some(then)) => {
                        query::share_pairs(db, &filter, by, then, &settings).await?
                    }
                }
                .len();
                times.push(started.elapsed());
            }
            let how = match side_by_side {
                true => "as the API counts",
                false => "one statement",
            };
            report(
                &format!("workforceShares {name}, 60 months, {how}: {groups} groups"),
                times,
            );
        }
    }
    Ok(())
}

/// Prints min, median and max of `times`.
fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    if let (Some(min), Some(max)) = (times.first(), times.last()) {
        println!(
            "{label}; min {:.1} ms, median {:.1} ms, max {:.1} ms over {} runs",
            ms(*min),
            ms(times[times.len() / 2]),
            ms(*max),
            times.len()
        );
    }
}

/// Apprentice number `n` (of 4,000) as the import stores a worker: 32 hex digits, the length
/// of `hmsreg::import::worker::worker_hash`, so the distinct counts hash keys of a real length.
fn worker_key(n: u32) -> String {
    // A fixed odd multiplier spreads the numbers over the digits; distinct n, distinct keys.
    format!(
        "{:032x}",
        u128::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835)
    )
}

/// The hours, their labels and the tenders, in one transaction.
async fn fill(db: &DatabaseConnection) -> anyhow::Result<()> {
    let register = agencies::load(db).await?;
    let names: Vec<String> = register
        .all()
        .iter()
        .take(AGENCIES)
        .map(|a| a.name.clone())
        .collect();
    let catalogue = Catalogue::parse(crate::tenders::catalogue::DEFAULT)?;
    let txn = db.begin().await?;
    let import = hmsreg_import::ActiveModel {
        file_name: Set(MARKER.into()),
        sha256: Set(MARKER.into()),
        imported_at: Set(Utc::now()),
        imported_by: Set(MARKER.into()),
        row_count: Set(10_000_000),
        warnings: Set("[]".into()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut facts = Vec::new();
    let mut workers = Vec::new();
    for c in 0..CONTRACTS {
        let agency = crate::domain::agency::key(&names[c as usize % names.len()]);
        let contract_key = crate::domain::text::search_key(&contract(c));
        // Every other contract has a second supplier: 1.5 facts per contract and month.
        let suppliers = if c % 2 == 0 { 2 } else { 1 };
        for m in 0..MONTHS {
            for s in 0..suppliers {
                let n = i64::from(c * 7 + m * 3 + s);
                facts.push(hour_fact::ActiveModel {
                    import_id: Set(import.id),
                    month: Set(month_of(m)),
                    agency_key: Set(agency.clone()),
                    org_number: Set(format!("9{:08}", c * 2 + s)),
                    contract_key: Set(contract_key.clone()),
                    trade_key: Set(["tømrer", "elektriker", "maler"][(c % 3) as usize].into()),
                    skilled: Set(40_000 + n % 20_000),
                    apprentice: Set(2_000 + n % 9_000),
                    unskilled: Set(20_000 + n % 15_000),
                    administrative: Set(3_000),
                    ..Default::default()
                });
                if (c + m + s) % 2 == 0 {
                    workers.push(apprentice_fact::ActiveModel {
                        import_id: Set(import.id),
                        month: Set(month_of(m)),
                        agency_key: Set(agency.clone()),
                        org_number: Set(format!("9{:08}", c * 2 + s)),
                        contract_key: Set(contract_key.clone()),
                        trade_key: Set("tømrer".into()),
                        worker_hash: Set(worker_key((c * 13 + m) % 4_000)),
                        ..Default::default()
                    });
                }
            }
        }
        if facts.len() >= 2_000 {
            hour_fact::Entity::insert_many(std::mem::take(&mut facts))
                .exec(&txn)
                .await?;
        }
        if workers.len() >= 2_000 {
            apprentice_fact::Entity::insert_many(std::mem::take(&mut workers))
                .exec(&txn)
                .await?;
        }
        hmsreg_label::ActiveModel {
            kind: Set("contract".into()),
            key: Set(contract_key),
            label: Set(contract(c)),
        }
        .insert(&txn)
        .await?;
    }
    if !facts.is_empty() {
        hour_fact::Entity::insert_many(facts).exec(&txn).await?;
    }
    if !workers.is_empty() {
        apprentice_fact::Entity::insert_many(workers)
            .exec(&txn)
            .await?;
    }
    for name in &names {
        let key = crate::domain::agency::key(name);
        if hmsreg_label::Entity::find_by_id(("agency".to_string(), key.clone()))
            .one(&txn)
            .await?
            .is_none()
        {
            hmsreg_label::ActiveModel {
                kind: Set("agency".into()),
                key: Set(key),
                label: Set(name.clone()),
            }
            .insert(&txn)
            .await?;
        }
    }
    // 1,000 tenders, two contracts each; half require apprentices, all skilled workers.
    for t in 0..CONTRACTS / 2 {
        let firm = |code| TenderRequirementInput {
            code,
            form: RequirementForm::MinimumRequirement,
            weight_percent: None,
            max_tiers: None,
            machine_types: None,
        };
        let mut requirements = vec![firm(RequirementCode::SkilledWorkers)];
        if t % 2 == 0 {
            requirements.push(firm(RequirementCode::Apprentices));
        }
        let input = TenderInput {
            reference: None,
            title: format!("Benchmark tender {t}"),
            agency: names[(t * 2) as usize % names.len()].clone(),
            category: crate::domain::kinds::ProcurementCategory::Construction,
            estimated_value: crate::graphql::scalars::Decimal("5000000".parse()?),
            duration_months: 36,
            // Spread over 2020-2025, so the goal table has tenders in each of its years.
            announced_on: crate::graphql::scalars::Date(
                NaiveDate::from_ymd_opt(2020 + (t % 6) as i32, t % 12 + 1, 1).context("date")?,
            ),
            includes_transport: false,
            building_site: true,
            apprentice_trades: true,
            labour_crime_risk: RiskLevel::Medium,
            requirements,
            exemptions: None,
            contract_numbers: Some(vec![contract(t * 2), contract(t * 2 + 1)]),
        };
        let valid = valid::validate(input)?;
        tenders::create(&txn, MARKER, &Scope::All, valid, &catalogue).await?;
    }
    // The facts were written directly, not through an import: their rollup too.
    crate::hmsreg::rollup::rebuild(&txn).await?;
    txn.commit().await?;
    Ok(())
}
