//! A page of agreements with area, suppliers and watchlist flags costs the same number of SQL
//! statements for 5 agreements as for 50: nested fields go through per-request DataLoaders.
//! Participants and options add a fixed number on top.

use crate::common::{TestApp, apps};
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

/// PAGE with each agreement's participants and options as well.
const PAGE_WITH_TERMS: &str = "query($n: Int!) { agreements(first: $n) { totalCount edges { node {
    reference status area { name agreements { reference } }
    suppliers { rank supplier { orgNumber name watchlisted agreements { reference } } }
    turnover { year amount }
    participants { name aliases } options { months exercisedOn endsOn } } } } }";

/// A made-up valid org number: 3, then `n` as seven digits, then the MOD11 digit.
fn org(n: u32) -> Option<String> {
    let digits: Vec<u32> = format!("3{n:07}")
        .bytes()
        .map(|b| u32::from(b - b'0'))
        .collect();
    let check = api::domain::orgnr::check_digit(&digits)?;
    Some(format!("3{n:07}{check}"))
}

/// 60 agreements P-000..P-059 with three ranked suppliers and a turnover each; every third
/// (i % 3 == 0) lists Oslobygg KF and BYM as participants, i % 3 == 1 lists Bydel Frogner, the
/// rest are open; the even ones have two options (12 and 24 months). Every 7th supplier is
/// watchlisted.
async fn seed(app: &TestApp) {
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
                participants: match i % 3 {
                    0 => vec!["Oslobygg KF".into(), "BYM".into()],
                    1 => vec!["Bydel Frogner".into()],
                    _ => Vec::new(),
                },
                options: if i % 2 == 0 { vec![12, 24] } else { Vec::new() },
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
}

#[tokio::test]
async fn a_page_of_fifty_costs_what_a_page_of_five_costs() {
    for app in apps().await {
        seed(&app).await;
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
        // count, the page with its areas joined, suppliers with their watchlist flags (one
        // joined statement), area's agreements, supplier's agreements (one joined statement),
        // turnover.
        assert_eq!(for_fifty, 6, "[{}]\n{log_fifty:#?}", app.backend);
        println!(
            "[{}] statements for a page of 5: {for_five}, of 50: {for_fifty}",
            app.backend
        );
    }
}

/// The benchmark's page (`samkjop bench-api`): agreements with area and ranked suppliers with
/// their watchlist flags, without totalCount.
const BENCH_PAGE: &str = "query($n: Int!, $after: String) { agreements(first: $n, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { reference area { name }
    suppliers { rank supplier { orgNumber watchlisted } } } } } }";

#[tokio::test]
async fn the_benchmark_page_is_two_statements_and_counts_only_when_asked() {
    for app in apps().await {
        seed(&app).await;
        let token = app.adviser();
        app.reset_statements();
        let d = app.ok(&token, BENCH_PAGE, json!({ "n": 50 })).await;
        let log = app.statement_log();
        // The page with its areas joined (one row beyond it says a next page exists), and the
        // suppliers joined to their links with the watchlist asked inside: no COUNT, no
        // separate areas or flags.
        assert_eq!(app.statements(), 2, "[{}]\n{log:#?}", app.backend);
        assert!(
            log.iter().all(|s| !s.to_uppercase().contains("COUNT(")),
            "[{}] {log:#?}",
            app.backend
        );
        let page = &d["agreements"];
        assert_eq!(
            page["pageInfo"]["hasNextPage"], true,
            "60 agreements, 50 shown"
        );
        let edges = page["edges"].as_array().unwrap();
        assert_eq!(edges.len(), 50);
        // Agreement i lists suppliers i, i+1, i+2 (ranks 1-3), and every 7th supplier is
        // watchlisted. On P-000..P-049 supplier j is listed min(j+1, 3, 52-j) times for j in
        // 0..=51: j = 0 once, j = 7, 14, ..., 49 three times each, so 1 + 7 * 3 = 22 flags.
        let suppliers: Vec<&serde_json::Value> = edges
            .iter()
            .flat_map(|e| e["node"]["suppliers"].as_array().unwrap())
            .collect();
        assert_eq!(suppliers.len(), 150);
        let flagged = suppliers
            .iter()
            .filter(|s| s["supplier"]["watchlisted"] == true)
            .count();
        assert_eq!(flagged, 22, "[{}]", app.backend);
        let ranks: Vec<i64> = edges[0]["node"]["suppliers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["rank"].as_i64().unwrap())
            .collect();
        assert_eq!(ranks, [1, 2, 3]);
        assert_eq!(
            edges[0]["node"]["suppliers"][0]["supplier"]["watchlisted"],
            true
        );
        assert_eq!(
            edges[1]["node"]["suppliers"][0]["supplier"]["watchlisted"],
            false
        );

        // The last page: 10 left, no next page, still without counting.
        let after = page["pageInfo"]["endCursor"].as_str().unwrap();
        app.reset_statements();
        let d = app
            .ok(&token, BENCH_PAGE, json!({ "n": 50, "after": after }))
            .await;
        assert_eq!(app.statements(), 2, "[{}]", app.backend);
        assert_eq!(d["agreements"]["edges"].as_array().unwrap().len(), 10);
        assert_eq!(d["agreements"]["pageInfo"]["hasNextPage"], false);
        assert_eq!(
            d["agreements"]["edges"][0]["node"]["reference"], "P-050",
            "[{}]",
            app.backend
        );

        // Asking for the total adds the count, and only then.
        app.reset_statements();
        let d = app
            .ok(
                &token,
                "{ agreements(first: 50) { totalCount pageInfo { hasNextPage } } }",
                json!({}),
            )
            .await;
        assert_eq!(d["agreements"]["totalCount"], 60);
        assert_eq!(d["agreements"]["pageInfo"]["hasNextPage"], true);
        assert_eq!(app.statements(), 2, "[{}] count + page", app.backend);
        // Exactly a page's worth left: no next page, though one more row was asked for.
        let d = app
            .ok(
                &token,
                "{ agreements(first: 60) { totalCount pageInfo { hasNextPage } edges { cursor } } }",
                json!({}),
            )
            .await;
        assert_eq!(d["agreements"]["edges"].as_array().unwrap().len(), 60);
        assert_eq!(d["agreements"]["pageInfo"]["hasNextPage"], false);
    }
}

/// (statements for 5, for 50) of `query`, asked by a buyer.
async fn cost(app: &TestApp, query: &str) -> (usize, usize) {
    let token = app.buyer("Oslobygg KF");
    let mut counts = Vec::new();
    for n in [5, 50] {
        app.reset_statements();
        let d = app.ok(&token, query, json!({ "n": n })).await;
        assert_eq!(d["agreements"]["edges"].as_array().unwrap().len(), n);
        counts.push(app.statements());
    }
    (counts[0], counts[1])
}

#[tokio::test]
async fn participants_and_options_add_a_fixed_number_of_statements() {
    for app in apps().await {
        seed(&app).await;
        let (plain_five, plain_fifty) = cost(&app, PAGE).await;
        let (five, fifty) = cost(&app, PAGE_WITH_TERMS).await;
        assert_eq!(plain_five, plain_fifty, "[{}]", app.backend);
        assert_eq!(
            five, fifty,
            "[{}] with participants and options: 5 -> {five}, 50 -> {fifty}",
            app.backend
        );
        // Participant links + the agency register (agencies, names), and the options: 4.
        assert!(
            fifty <= plain_fifty + 4,
            "[{}] {plain_fifty} statements without, {fifty} with",
            app.backend
        );

        let d = app
            .ok(&app.adviser(), PAGE_WITH_TERMS, json!({ "n": 3 }))
            .await;
        let nodes: Vec<&serde_json::Value> = d["agreements"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["node"])
            .collect();
        // P-000: BYM is Bymiljøetaten, listed by name before Oslobygg KF; 2030-12-31 + 12 and
        // + 24 months are still to come.
        assert_eq!(nodes[0]["reference"], "P-000");
        assert_eq!(nodes[0]["participants"][0]["name"], "Bymiljøetaten");
        assert_eq!(nodes[0]["participants"][1]["name"], "Oslobygg KF");
        assert_eq!(
            nodes[0]["options"],
            json!([
                { "months": 12, "exercisedOn": null, "endsOn": null },
                { "months": 24, "exercisedOn": null, "endsOn": null }
            ])
        );
        assert_eq!(nodes[1]["participants"][0]["name"], "Bydel Frogner");
        assert_eq!(nodes[1]["options"], json!([]));
        assert_eq!(nodes[2]["participants"], json!([]));
    }
}

#[tokio::test]
async fn the_demo_portfolio_loads_once_and_looks_like_the_real_one() {
    for app in apps().await {
        let context = crate::common::fixture_context();
        let first = wiring::load_all(&app.db, &context).await.unwrap();
        let added = |name: &str| {
            first
                .sets
                .iter()
                .find(|s| s.0.starts_with(name))
                .map(|s| s.1)
        };
        // 90 areas + 180 suppliers + 240 agreements + 45 listings, as fixtures/portfolio.json
        // holds; the register entries of all but one supplier (fixtures/brreg); the three
        // HMSREG exports.
        assert_eq!(
            added("portfolio"),
            Some(90 + 180 + 240 + 45),
            "[{}]",
            app.backend
        );
        assert_eq!(added("registry"), Some(179), "[{}]", app.backend);
        assert_eq!(added("HMSREG"), Some(3), "[{}]", app.backend);
        assert_eq!(
            added("tenders"),
            Some(80),
            "[{}] the tenders of fixtures/tenders.json",
            app.backend
        );
        let again = wiring::load_all(&app.db, &context).await.unwrap();
        assert!(
            again.sets.iter().all(|s| s.1 == 0),
            "[{}] loading twice adds nothing: {:?}",
            app.backend,
            again.sets
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

        // Participants and options as fixtures/portfolio.json has them (after both loads):
        // 139 of the 240 agreements list agencies and 157 have options, none used yet; Bydel
        // Frogner may use the 101 open ones and the 17 listing it.
        let d = app
            .ok(
                &app.adviser(),
                "{ all: agreements(first: 500) { edges { node { participants { name } options { months exercisedOn } } } }
                   frogner: agreements(filter: { participant: \"Frogner\" }) { totalCount } }",
                json!({}),
            )
            .await;
        let nodes: Vec<&serde_json::Value> = d["all"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["node"])
            .collect();
        let listing = nodes
            .iter()
            .filter(|n| !n["participants"].as_array().unwrap().is_empty())
            .count();
        let with_options: Vec<&serde_json::Value> = nodes
            .iter()
            .filter_map(|n| n["options"].as_array())
            .filter(|o| !o.is_empty())
            .flatten()
            .collect();
        assert_eq!(listing, 139, "[{}]", app.backend);
        assert_eq!(
            nodes
                .iter()
                .filter(|n| !n["options"].as_array().unwrap().is_empty())
                .count(),
            157
        );
        // 71 agreements with one 12-month option, 58 with two, 28 with one of 24 months.
        assert_eq!(with_options.len(), 71 + 2 * 58 + 28);
        assert!(with_options.iter().all(|o| o["exercisedOn"].is_null()));
        assert_eq!(d["frogner"]["totalCount"], 101 + 17);
    }
}
