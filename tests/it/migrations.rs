//! The agency migration keeps what was there: every tender gets a registered agency (the one
//! its text matches, or a new one named by the text), and HMSREG hours keep their text, to be
//! resolved through the register on read.

use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::common::spawn;

/// The database as the first wave left it: three tenders with agency text, and hours under
/// an alias ("Oslobygg", 10 skilled hours) and a typo ("Oslobyg", 5 unskilled hours).
const BEFORE: &[&str] = &[
    "INSERT INTO tender (reference, title, agency, agency_key, category, estimated_value, duration_months, announced_on, includes_transport, building_site, apprentice_trades, labour_crime_risk, version, created_by, created_at, updated_at) VALUES
     ('2025-1', 'Skolebygg', 'Oslobygg', 'oslobygg', 'CONSTRUCTION', 100000000, 12, '2025-03-01', false, true, true, 'LOW', 1, 'x', '2025-03-01T00:00:00+00:00', '2025-03-01T00:00:00+00:00'),
     ('2025-2', 'Renhold', 'Ukjent etat AS', 'ukjent etat as', 'CLEANING', 100000000, 12, '2025-04-01', false, false, false, 'LOW', 1, 'x', '2025-04-01T00:00:00+00:00', '2025-04-01T00:00:00+00:00'),
     ('2025-3', 'Park', ' bydel st  hanshaugen', 'bydel st hanshaugen', 'SERVICES', 100000000, 12, '2025-05-01', false, false, false, 'LOW', 1, 'x', '2025-05-01T00:00:00+00:00', '2025-05-01T00:00:00+00:00')",
    "INSERT INTO hmsreg_import (file_name, sha256, imported_at, imported_by, row_count, period_from, period_to, warnings) VALUES ('a.csv', 'aa', '2026-01-05T00:00:00+00:00', 'x', 2, '2026-01-01', '2026-01-31', '[]')",
    "INSERT INTO hour_fact (import_id, month, agency_key, org_number, contract_key, trade_key, skilled, apprentice, unskilled, administrative) VALUES
     (1, 202601, 'oslobygg', '315771889', 'k-1', '(none)', 1000, 0, 0, 0),
     (1, 202601, 'oslobyg', '315771889', 'k-2', '(none)', 0, 0, 500, 0)",
    "INSERT INTO hmsreg_label (kind, key, label) VALUES ('agency', 'oslobygg', 'Oslobygg'), ('agency', 'oslobyg', 'Oslobyg'), ('contract', 'k-1', 'K-1'), ('contract', 'k-2', 'K-2')",
];

#[tokio::test]
async fn existing_tenders_and_hours_keep_their_agencies() {
    let dir = tempfile::tempdir().unwrap();
    // Up to the last migration of the first wave, then the first wave's data.
    for (backend, url, db) in crate::common::databases_at_step(&dir, 4).await {
        for sql in BEFORE {
            db.execute_unprepared(sql).await.unwrap();
        }
        drop(db);
        let app = spawn(backend, &url, Default::default(), None).await;

        let d = app
            .ok(
                &app.admin(),
                "{ tenders { edges { node { reference agency } } } }",
                json!({}),
            )
            .await;
        let agencies: Vec<(String, String)> = d["tenders"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let n = &e["node"];
                (
                    n["reference"].as_str().unwrap().into(),
                    n["agency"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert_eq!(
            agencies,
            [
                ("2025-3".to_string(), "Bydel St. Hanshaugen".to_string()),
                ("2025-2".to_string(), "Ukjent etat AS".to_string()),
                ("2025-1".to_string(), "Oslobygg KF".to_string()),
            ],
            "[{backend}]"
        );
        // The text no agency matched became an agency, and its buyer sees its tender.
        let d = app
            .ok(&app.admin(), "{ agencies { name } }", json!({}))
            .await;
        assert!(
            d["agencies"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["name"] == "Ukjent etat AS")
        );
        let d = app
            .ok(
                &app.buyer("ukjent etat as"),
                "{ tenders { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(d["tenders"]["totalCount"], 1);

        // Hours: the alias counts for Oslobygg KF, the typo stays an unknown name.
        let d = app
            .ok(
                &app.admin(),
                "{ workforceShares(groupBy: AGENCY) { key relevantHours } }",
                json!({}),
            )
            .await;
        assert_eq!(
            d["workforceShares"],
            json!([{ "key": "Oslobyg", "relevantHours": "5.00" }, { "key": "Oslobygg KF", "relevantHours": "10.00" }]),
            "[{backend}]"
        );
        let d = app
            .ok(
                &app.admin(),
                "{ unknownAgencyNames { text hours imports } }",
                json!({}),
            )
            .await;
        assert_eq!(
            d["unknownAgencyNames"],
            json!([{ "text": "Oslobyg", "hours": "5.00", "imports": 1 }])
        );
    }
}

/// Hours stored before the quarter and year rollup: K-1 2025-11 skilled 40, unskilled 60;
/// 2025-12 apprentice 10; 2026-01 skilled 50, unskilled 50; 2026-04 skilled 30.
const BEFORE_ROLLUP: &[&str] = &[
    "INSERT INTO hmsreg_import (file_name, sha256, imported_at, imported_by, row_count, period_from, period_to, warnings) VALUES ('a.csv', 'aa', '2026-05-05T00:00:00+00:00', 'x', 4, '2025-11-01', '2026-04-30', '[]')",
    "INSERT INTO hour_fact (import_id, month, agency_key, org_number, contract_key, trade_key, skilled, apprentice, unskilled, administrative) VALUES
     (1, 202511, 'oslobygg kf', '315771889', 'k-1', '(none)', 4000, 0, 6000, 0),
     (1, 202512, 'oslobygg kf', '315771889', 'k-1', '(none)', 0, 1000, 0, 0),
     (1, 202601, 'oslobygg kf', '315771889', 'k-1', '(none)', 5000, 0, 5000, 0),
     (1, 202604, 'oslobygg kf', '315771889', 'k-1', '(none)', 3000, 0, 0, 0)",
];

#[tokio::test]
async fn the_rollup_migration_adds_up_the_hours_already_stored() {
    let dir = tempfile::tempdir().unwrap();
    for (backend, url, db) in crate::common::databases_at_step(&dir, 7).await {
        for sql in BEFORE_ROLLUP {
            db.execute_unprepared(sql).await.unwrap();
        }
        drop(db);
        let app = spawn(backend, &url, Default::default(), None).await;
        let shares = |group: &'static str| {
            let app = &app;
            async move {
                let d = app
                    .ok(
                        &app.admin(),
                        "query($g: WorkforceGrouping!) { workforceShares(groupBy: $g) { key relevantHours skilledShare } }",
                        json!({ "g": group }),
                    )
                    .await;
                d["workforceShares"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| {
                        (
                            r["key"].as_str().unwrap().to_string(),
                            r["relevantHours"].as_str().unwrap().to_string(),
                            (r["skilledShare"].as_f64().unwrap() * 1000.0).round() / 1000.0,
                        )
                    })
                    .collect::<Vec<_>>()
            }
        };
        let s = |k: &str, h: &str, p: f64| (k.to_string(), h.to_string(), p);
        // 2025: 40 of 110 = 36.364 %; 2026: 80 of 130 = 61.538 %.
        assert_eq!(
            shares("YEAR").await,
            [s("2025", "110.00", 36.364), s("2026", "130.00", 61.538)],
            "[{backend}]"
        );
        assert_eq!(
            shares("QUARTER").await,
            [
                s("2025-Q4", "110.00", 36.364),
                s("2026-Q1", "100.00", 50.0),
                s("2026-Q2", "30.00", 100.0)
            ],
            "[{backend}]"
        );
        // 120 of 240.
        assert_eq!(shares("TOTAL").await, [s("total", "240.00", 50.0)]);
    }
}
