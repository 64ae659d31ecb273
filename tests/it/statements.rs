//! A page of agreements with area, suppliers and watchlist flags costs the same number of SQL
//! statements for 5 agreements as for 50: nested fields go through per-request DataLoaders.

use crate::common::apps;
use api::{
    domain::kinds::{AgreementKind, ProcurementCategory},
    portfolio::service::{self, NewAgreement, SupplierLink},
    suppliers,
    watchlist::service::{self as watchlist, NewEntry, WatchlistCategory},
    wiring,
};
use sea_orm::TransactionTrait;
use serde_json::json;

const PAGE: &str = "query($n: Int!) { agreements(first: $n) { totalCount edges { node {
    reference status area { name agreements { reference } }
    suppliers { rank supplier { orgNumber name watchlisted agreements { reference } } }
    turnover { year amount } } } } }";

/// A made-up valid org number: 3, then `n` as seven digits, then the MOD11 digit.
fn org(n: u32) -> Option<String> {
    let digits: Vec<u32> = format!("3{n:07}")
        .bytes()
        .map(|b| u32::from(b - b'0'))
        .collect();
    let check = api::domain::orgnr::check_digit(&digits)?;
    Some(format!("3{n:07}{check}"))
}

#[tokio::test]
async fn a_page_of_fifty_costs_what_a_page_of_five_costs() {
    for app in apps().await {
        let txn = app.db.begin().await.unwrap();
        let area = service::create_area(&txn, "t", "Renhold").await.unwrap();
        let orgs: Vec<String> = (1..).filter_map(org).take(60).collect();
        for (i, o) in orgs.iter().enumerate() {
            suppliers::service::create(&txn, "t", o, &format!("Leverandør {i:02}"))
                .await
                .unwrap();
        }
        for i in 0..60 {
            let agreement = service::create(
                &txn,
                "t",
                NewAgreement {
                    reference: format!("P-{i:03}"),
                    title: "Renhold".into(),
                    area_id: area.id,
                    kind: AgreementKind::FrameworkAgreement,
                    category: ProcurementCategory::Cleaning,
                    starts_on: "2024-01-01".parse().unwrap(),
                    ends_on: "2030-12-31".parse().unwrap(),
                    max_ends_on: None,
                    estimated_annual_value: Some(100_000),
                    suppliers: (0..3)
                        .map(|k| SupplierLink {
                            org_number: orgs[(i + k) % 60].clone(),
                            rank: Some(k as i32 + 1),
                        })
                        .collect(),
                },
            )
            .await
            .unwrap();
            service::set_turnover(&txn, "t", agreement.id, 2025, 100_000)
                .await
                .unwrap();
        }
        for o in orgs.iter().step_by(7) {
            let entry = NewEntry {
                org_number: o.clone(),
                supplier_name: None,
                category: WatchlistCategory::PoorWork,
                description: "Avvik".into(),
                reported_by: "Oslobygg KF".into(),
                listed_on: "2025-01-01".parse().unwrap(),
            };
            watchlist::add(&txn, "t", api::clock::today(), entry)
                .await
                .unwrap();
        }
        txn.commit().await.unwrap();

        let token = app.buyer("Oslobygg KF");
        app.reset_statements();
        let small = app.ok(&token, PAGE, json!({ "n": 5 })).await;
        let for_five = app.statements();
        let log_five = app.statement_log();
        app.reset_statements();
        let large = app.ok(&token, PAGE, json!({ "n": 50 })).await;
        let for_fifty = app.statements();
        let log_fifty = app.statement_log();

        assert_eq!(small["agreements"]["edges"].as_array().unwrap().len(), 5);
        assert_eq!(large["agreements"]["edges"].as_array().unwrap().len(), 50);
        // 150 supplier rows on the page, 9 of the 60 suppliers watchlisted (every 7th).
        let flags = large["agreements"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|e| e["node"]["suppliers"].as_array().unwrap().clone());
        assert_eq!(flags.clone().count(), 150);
        assert!(flags.clone().any(|s| s["supplier"]["watchlisted"] == true));
        assert_eq!(
            for_five, for_fifty,
            "[{}] 5 -> {for_five} statements, 50 -> {for_fifty}\n{log_five:#?}\n{log_fifty:#?}",
            app.backend
        );
        // count + page, area, area's agreements, suppliers (links + rows), watchlist flags,
        // supplier's agreements (links + rows), turnover.
        assert!(for_fifty <= 10, "[{}] {for_fifty} statements", app.backend);
        println!(
            "[{}] statements for a page of 5: {for_five}, of 50: {for_fifty}",
            app.backend
        );
    }
}

#[tokio::test]
async fn the_demo_portfolio_loads_once_and_looks_like_the_real_one() {
    for app in apps().await {
        let context = crate::common::fixture_context();
        let first = wiring::load_all(&app.db, &context).await.unwrap();
        // 90 areas + 180 suppliers + 240 agreements + 45 listings, as fixtures/portfolio.json
        // holds; and the two HMSREG exports.
        assert_eq!(first.sets[0].1, 90 + 180 + 240 + 45, "[{}]", app.backend);
        assert_eq!(first.sets[1].1, 2, "[{}]", app.backend);
        assert_eq!(
            first.sets[2].1, 80,
            "[{}] the tenders of fixtures/tenders.json",
            app.backend
        );
        let again = wiring::load_all(&app.db, &context).await.unwrap();
        let added: Vec<usize> = again.sets.iter().map(|s| s.1).collect();
        assert_eq!(
            added,
            [0, 0, 0],
            "[{}] loading twice adds nothing",
            app.backend
        );
        let d = app
            .ok(
                &app.adviser(),
                "{ portfolioSummary { areaCount t: turnover(year: 2025) watchlistedSuppliersOnActiveAgreements { orgNumber } }
                   suppliers(first: 500) { totalCount edges { node { orgNumber } } }
                   agreements { totalCount }
                   all: watchlist(includeRemoved: true) { status } }",
                json!({}),
            )
            .await;
        assert_eq!(d["portfolioSummary"]["areaCount"], 90);
        assert_eq!(d["suppliers"]["totalCount"], 180);
        assert_eq!(d["agreements"]["totalCount"], 240);
        let entries = d["all"].as_array().unwrap();
        assert_eq!(entries.len(), 45);
        assert_eq!(
            entries.iter().filter(|e| e["status"] == "REMOVED").count(),
            11
        );
        // No real company on the demo watchlist: every number starts with 3.
        assert!(
            d["suppliers"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e["node"]["orgNumber"].as_str().unwrap().starts_with('3'))
        );
        // About NOK 3 billion a year.
        let turnover: f64 = d["portfolioSummary"]["t"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((2.7e9..3.3e9).contains(&turnover), "{turnover}");
        assert!(
            !d["portfolioSummary"]["watchlistedSuppliersOnActiveAgreements"]
                .as_array()
                .unwrap()
                .is_empty()
        );
    }
}
