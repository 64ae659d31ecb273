//! Workforce shares over whole quarters and years read the quarter and year rollup; over other
//! months, and by month, the month-grain facts. Both give the figures worked out by hand from
//! the file below, also after a second import replaces a month, and distinct apprentices stay
//! exact: a worker counts once per group, whatever months, contracts or texts of one agency
//! the worker's hours are under.

use serde_json::{Value, json};

use crate::common::{TestApp, apps};

/// One supplier. K-1 Skole (Oslobygg KF, once written as its alias "Oslobygg"):
///   2025-11 skilled 40 (A1); 2025-12 apprentice 10 (L1), unskilled 50 (A2);
///   2026-01 apprentice 20 (L1), skilled 80 (A1).
/// K-2 Park (Bydel St. Hanshaugen, written without its dot), 2026-02: Tømrer skilled 45 (B1),
///   apprentice 5 (L1); Prosjektleder (an office role, in neither share) skilled 50 (P1).
const FIRST: &str = "Periode;Orgnr;Oppdragsgiver;Kontrakt;HMS-kort;Kategori;Fag;Timer
2025-11;315771889;Oslobygg KF;K-1 Skole;A1;Faglært;Tømrer;40
2025-12;315771889;Oslobygg;K-1 Skole;L1;Lærling;Tømrer;10
2025-12;315771889;Oslobygg;K-1 Skole;A2;Ufaglært;Tømrer;50
2026-01;315771889;Oslobygg KF;K-1 Skole;L1;Lærling;Tømrer;20
2026-01;315771889;Oslobygg KF;K-1 Skole;A1;Faglært;Tømrer;80
2026-02;315771889;bydel st hanshaugen;K-2 Park;B1;Faglært;Tømrer;45
2026-02;315771889;bydel st hanshaugen;K-2 Park;L1;Lærling;Tømrer;5
2026-02;315771889;bydel st hanshaugen;K-2 Park;P1;Faglært;Prosjektleder;50
";

/// Replaces K-1 Skole 2026-01: skilled 30 (A1), apprentice 10 (L2, a new apprentice),
/// unskilled 60 (A2).
const SECOND: &str = "Periode;Orgnr;Oppdragsgiver;Kontrakt;HMS-kort;Kategori;Fag;Timer
2026-01;315771889;Oslobygg KF;K-1 Skole;A1;Faglært;Tømrer;30
2026-01;315771889;Oslobygg KF;K-1 Skole;L2;Lærling;Tømrer;10
2026-01;315771889;Oslobygg KF;K-1 Skole;A2;Ufaglært;Tømrer;60
";

const IMPORT: &str = "mutation($file: Upload!, $dry: Boolean) { importHmsreg(file: $file, dryRun: $dry) { status } }";
const SHARES: &str = "query($f: WorkforceFilter, $g: WorkforceGrouping!, $t: WorkforceGrouping) { workforceShares(filter: $f, groupBy: $g, thenBy: $t) { key subKey relevantHours skilledShare apprenticeShare averageContractSkilledShare averageContractApprenticeShare apprenticeCount } }";

/// (key, sub-key, relevant hours, skilled %, apprentice %, mean contract skilled %, mean
/// contract apprentice %, apprentices), the shares rounded to 1/1000 %.
type Row = (String, Option<String>, String, f64, f64, f64, f64, i64);

fn round(v: &Value) -> f64 {
    (v.as_f64().unwrap_or(f64::NAN) * 1000.0).round() / 1000.0
}

/// The figures every selection below asks for: (key, sub-key, relevant hours, skilled %,
/// apprentice %, apprentices).
type Plain = (String, Option<String>, String, f64, f64, i64);

fn plain(r: &Value) -> Plain {
    (
        r["key"].as_str().unwrap().to_string(),
        r["subKey"].as_str().map(str::to_string),
        r["relevantHours"].as_str().unwrap().to_string(),
        round(&r["skilledShare"]),
        round(&r["apprenticeShare"]),
        r["apprenticeCount"].as_i64().unwrap(),
    )
}

/// The groups `query` gives for the filter and groupings.
async fn groups(
    app: &TestApp,
    query: &str,
    filter: Value,
    by: &str,
    then: Option<&str>,
) -> Vec<Value> {
    let d = app
        .ok(
            &app.adviser(),
            query,
            json!({ "f": filter, "g": by, "t": then }),
        )
        .await;
    d["workforceShares"].as_array().unwrap().clone()
}

async fn shares(app: &TestApp, filter: Value, by: &str, then: Option<&str>) -> Vec<Row> {
    groups(app, SHARES, filter, by, then)
        .await
        .iter()
        .map(|r| {
            let (key, sub, hours, skilled, apprentice, apprentices) = plain(r);
            (
                key,
                sub,
                hours,
                skilled,
                apprentice,
                round(&r["averageContractSkilledShare"]),
                round(&r["averageContractApprenticeShare"]),
                apprentices,
            )
        })
        .collect()
}

fn row(key: &str, sub: Option<&str>, hours: &str, shares: [f64; 4], apprentices: i64) -> Row {
    (
        key.to_string(),
        sub.map(str::to_string),
        hours.to_string(),
        shares[0],
        shares[1],
        shares[2],
        shares[3],
        apprentices,
    )
}

/// FIRST by AGENCY then QUARTER: K-2's quarter as its agency's (90 %, 10 %), K-1's two
/// quarters as Oslobygg KF's (40 / 10 of 100 in 2025-Q4, 80 / 20 of 100 in 2026-Q1), one
/// apprentice (L1) in each.
fn agency_then_quarter_of_first() -> Vec<Row> {
    vec![
        row(
            "Bydel St. Hanshaugen",
            Some("2026-Q1"),
            "100.00",
            [90.0, 10.0, 90.0, 10.0],
            1,
        ),
        row(
            "Oslobygg KF",
            Some("2025-Q4"),
            "100.00",
            [40.0, 10.0, 40.0, 10.0],
            1,
        ),
        row(
            "Oslobygg KF",
            Some("2026-Q1"),
            "100.00",
            [80.0, 20.0, 80.0, 20.0],
            1,
        ),
    ]
}

#[tokio::test]
async fn shares_by_quarter_and_year_from_the_rollup_match_the_facts_and_follow_a_replacement() {
    for app in apps().await {
        let r = app
            .import(IMPORT, "a.csv", FIRST.as_bytes().to_vec(), false)
            .await;
        assert_eq!(r["status"], "ACCEPTED", "[{}] {r}", app.backend);

        // 2025: K-1 alone, 40 + 10 + 50 = 100 hours: 40 % skilled, 10 % apprentices, L1.
        // 2026: K-1 80 / 20 of 100 (80 %, 20 %); K-2 45 / 5 of a base of 50 (90 %, 10 %), its
        // 50 office hours relevant but in neither base: 200 hours, 125 / 150 = 83.333 %,
        // 25 / 150 = 16.667 %; contract means 85 % and 15 %; L1 in both contracts counts once.
        let y2025 = row("2025", None, "100.00", [40.0, 10.0, 40.0, 10.0], 1);
        let y2026 = row("2026", None, "200.00", [83.333, 16.667, 85.0, 15.0], 1);
        assert_eq!(
            shares(&app, json!(null), "YEAR", None).await,
            [y2025.clone(), y2026.clone()],
            "[{}]",
            app.backend
        );
        // The same hours by quarter: one quarter of each year has them.
        let (mut q4, mut q1) = (y2025.clone(), y2026.clone());
        (q4.0, q1.0) = ("2025-Q4".to_string(), "2026-Q1".to_string());
        assert_eq!(shares(&app, json!(null), "QUARTER", None).await, [q4, q1]);
        // Every month: 300 hours, 165 / 250 = 66 %, 35 / 250 = 14 %; K-1 120 / 200 = 60 % and
        // 30 / 200 = 15 %, K-2 90 % and 10 %: means 75 % and 12.5 %; one apprentice.
        let total = row("total", None, "300.00", [66.0, 14.0, 75.0, 12.5], 1);
        assert_eq!(shares(&app, json!(null), "TOTAL", None).await, [total]);
        // By month (the facts): December 10 / 60, February 45 / 50 and 5 / 50.
        assert_eq!(
            shares(&app, json!(null), "MONTH", None).await,
            [
                row("2025-11", None, "40.00", [100.0, 0.0, 100.0, 0.0], 0),
                row("2025-12", None, "60.00", [0.0, 16.667, 0.0, 16.667], 1),
                row("2026-01", None, "100.00", [80.0, 20.0, 80.0, 20.0], 1),
                row("2026-02", None, "100.00", [90.0, 10.0, 90.0, 10.0], 1),
            ]
        );
        // By agency: the alias and the dotless name are the register's agencies.
        let oby = row("Oslobygg KF", None, "200.00", [60.0, 15.0, 60.0, 15.0], 1);
        let bsh = row(
            "Bydel St. Hanshaugen",
            None,
            "100.00",
            [90.0, 10.0, 90.0, 10.0],
            1,
        );
        assert_eq!(
            shares(&app, json!(null), "AGENCY", None).await,
            [bsh.clone(), oby]
        );
        assert_eq!(
            shares(&app, json!(null), "AGENCY", Some("QUARTER")).await,
            agency_then_quarter_of_first()
        );
        // Months that are no whole quarter (the facts): December and January, 160 hours,
        // 80 / 160 = 50 %, 30 / 160 = 18.75 %. A whole quarter (the quarter rollup): 2025-Q4.
        let from_facts = shares(
            &app,
            json!({ "from": "2025-12-01", "to": "2026-01-31" }),
            "TOTAL",
            None,
        )
        .await;
        assert_eq!(
            from_facts,
            [row("total", None, "160.00", [50.0, 18.75, 50.0, 18.75], 1)]
        );
        let quarter = shares(
            &app,
            json!({ "from": "2025-10-01", "to": "2025-12-31" }),
            "TOTAL",
            None,
        )
        .await;
        assert_eq!(
            quarter,
            [row("total", None, "100.00", [40.0, 10.0, 40.0, 10.0], 1)]
        );

        // The second file replaces K-1's January: 2026 is now K-1 30 / 10 of 100 and K-2 as
        // before: 75 / 150 = 50 %, 15 / 150 = 10 %, means (30 + 90) / 2 = 60 % and 10 %;
        // apprentices L2 and L1. 2025 is untouched.
        let r = app
            .import(IMPORT, "b.csv", SECOND.as_bytes().to_vec(), false)
            .await;
        assert_eq!(r["status"], "ACCEPTED", "[{}] {r}", app.backend);
        assert_eq!(
            shares(&app, json!(null), "YEAR", None).await,
            [
                y2025,
                row("2026", None, "200.00", [50.0, 10.0, 60.0, 10.0], 2)
            ],
            "[{}]",
            app.backend
        );
        let by_agency = shares(&app, json!({ "agency": "Oslobygg" }), "CONTRACT", None).await;
        // K-1 over every month: skilled 70, apprentice 20, unskilled 110 of 200.
        assert_eq!(
            by_agency,
            [row(
                "K-1 Skole",
                None,
                "200.00",
                [35.0, 10.0, 35.0, 10.0],
                2
            )]
        );
        assert_eq!(
            shares(&app, json!(null), "AGENCY", None).await[0],
            bsh,
            "the other agency's hours stay"
        );
    }
}

/// The statistics group up to 120,000 sums in one statement; the server's PostgreSQL
/// connections ask for the work memory that keeps them off the disk (`db::connect`).
#[tokio::test]
async fn postgres_connections_have_the_work_memory_the_statistics_need() {
    use sea_orm::{ConnectionTrait, Statement};
    for app in crate::common::apps().await {
        if app.db.get_database_backend() != sea_orm::DbBackend::Postgres {
            continue;
        }
        let row = app
            .db
            .query_one_raw(Statement::from_string(
                sea_orm::DbBackend::Postgres,
                "SELECT current_setting('work_mem') AS w",
            ))
            .await
            .unwrap()
            .unwrap();
        let setting: String = row.try_get("", "w").unwrap();
        assert_eq!(setting, "32MB");
    }
}

/// `workforceShares` without the per-contract averages in its selection adds the hours up per
/// group at once; every other figure is the one worked out above.
#[tokio::test]
async fn shares_without_the_contract_averages_are_the_same_figures() {
    const PLAIN: &str = "query($f: WorkforceFilter, $g: WorkforceGrouping!, $t: WorkforceGrouping) { workforceShares(filter: $f, groupBy: $g, thenBy: $t) { key subKey relevantHours skilledShare apprenticeShare apprenticeCount } }";
    for app in apps().await {
        let r = app
            .import(IMPORT, "a.csv", FIRST.as_bytes().to_vec(), false)
            .await;
        assert_eq!(r["status"], "ACCEPTED", "[{}] {r}", app.backend);
        let plain_groups = |f: Value, g: &'static str, t: Option<&'static str>| {
            let app = &app;
            async move {
                let groups = groups(app, PLAIN, f, g, t).await;
                groups.iter().map(plain).collect::<Vec<Plain>>()
            }
        };
        // As worked out in the test above: 300 hours, 165 / 250 = 66 %, 35 / 250 = 14 %.
        assert_eq!(
            plain_groups(json!(null), "TOTAL", None).await,
            [("total".into(), None, "300.00".into(), 66.0, 14.0, 1)],
            "[{}]",
            app.backend
        );
        // No hours in the months asked: TOTAL still has its one group, empty.
        let empty = plain_groups(json!({ "from": "2030-01-01" }), "TOTAL", None).await;
        assert_eq!(empty.len(), 1);
        assert_eq!(empty[0].2, "0.00", "[{}]", app.backend);
        for (g, t) in [
            ("MONTH", None),
            ("QUARTER", None),
            ("YEAR", None),
            ("AGENCY", None),
            ("CONTRACT", None),
            ("AGENCY", Some("QUARTER")),
        ] {
            let without = plain_groups(json!(null), g, t).await;
            let with: Vec<Plain> = shares(&app, json!(null), g, t)
                .await
                .into_iter()
                .map(|r| (r.0, r.1, r.2, r.3, r.4, r.7))
                .collect();
            assert_eq!(without, with, "[{}] {g} then {t:?}", app.backend);
            assert!(!without.is_empty());
        }
    }
}

/// PostgreSQL adds the hours up as DOUBLE PRECISION (`rollup::sum_sql`): exact while every
/// partial sum stays under 2^53 hundredths, which no stored hours come near. Two facts of one
/// contract-month, 2^50 + 1 and 3 hundredths of skilled hours, must add up to the last
/// hundredth: 2^50 + 4 = 1,125,899,906,842,628 hundredths (a 32-bit sum overflows, a 32-bit
/// float drops the odd hundredths). The statement reads the facts as they are stored.
#[tokio::test]
async fn hours_past_32_bits_add_up_to_the_last_hundredth() {
    use sea_orm::ConnectionTrait;
    for app in apps().await {
        for sql in [
            "INSERT INTO hmsreg_import (file_name, sha256, imported_at, imported_by, row_count, period_from, period_to, warnings) VALUES ('big.csv', 'big', '2026-01-05T00:00:00+00:00', 'x', 2, '2025-03-01', '2025-03-31', '[]')",
            "INSERT INTO hour_fact (import_id, month, agency_key, org_number, contract_key, trade_key, skilled, apprentice, unskilled, administrative) VALUES
             (1, 202503, 'oslobygg kf', '315771889', 'k-1', 'tømrer', 1125899906842625, 0, 0, 0),
             (1, 202503, 'oslobygg kf', '315771889', 'k-1', 'murer', 3, 0, 0, 0)",
        ] {
            app.db.execute_unprepared(sql).await.unwrap();
        }
        let got = shares(&app, json!(null), "MONTH", None).await;
        // All of it skilled: 100 % of the base, and of the one contract's.
        assert_eq!(
            got,
            [row(
                "2025-03",
                None,
                "11258999068426.28",
                [100.0, 0.0, 100.0, 0.0],
                0
            )],
            "[{}]",
            app.backend
        );
    }
}

/// On PostgreSQL a call counts the hours and the apprentices at once on two or three
/// connections; four calls run so at a time and the others wait their turn, holding none.
/// Forty calls at once, more than the pool's 20 connections, all answer, with the figures
/// worked out by hand above for AGENCY then QUARTER.
#[tokio::test]
async fn simultaneous_calls_all_answer_with_the_same_exact_figures() {
    use futures_util::future::join_all;
    for app in apps().await {
        let r = app
            .import(IMPORT, "a.csv", FIRST.as_bytes().to_vec(), false)
            .await;
        assert_eq!(r["status"], "ACCEPTED", "[{}] {r}", app.backend);
        let expected = agency_then_quarter_of_first();
        let answers =
            join_all((0..40).map(|_| shares(&app, json!(null), "AGENCY", Some("QUARTER")))).await;
        for (i, got) in answers.into_iter().enumerate() {
            assert_eq!(got, expected, "[{}] call {i}", app.backend);
        }
    }
}
