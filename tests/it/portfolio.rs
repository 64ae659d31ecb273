//! The agreement portfolio over HTTP, on SQLite and PostgreSQL, with values worked out by hand.

use crate::common::{TestApp, apps, day, strings};
use serde_json::{Value, json};

// Made-up valid organisation numbers (MOD11 worked by hand: 3,1,0.. weights 3,2 -> 11, r 0 -> 0; ...).
const A: &str = "310000000";
const B: &str = "310000019";
const C: &str = "310000027";

const AGREEMENT_FIELDS: &str = "id reference title status startsOn endsOn maxEndsOn estimatedAnnualValue version
    kind category area { name } suppliers { rank supplier { orgNumber name watchlisted } } turnover { year amount }";

/// Area "Renhold" (cleaning) and "Kontorrekvisita" (goods); suppliers A, B, C; five agreements:
///   R-1 ACTIVE    cleaning, today-100 .. today+30,  A rank 2, B rank 1
///   R-2 PLANNED   cleaning, today+10  .. today+400, C
///   R-3 EXPIRED   cleaning, today-800 .. today-1,   A
///   R-4 ACTIVE    goods,    today     .. today,     B (both edges on today)
///   R-5 ACTIVE    goods,    today-5   .. today+200, A, C; later terminated -> TERMINATED
async fn portfolio(app: &TestApp) -> (String, String, Vec<String>) {
    let cleaning = app.create_area("Renhold").await;
    let office = app.create_area("Kontorrekvisita").await;
    app.create_supplier(A, "Alfa Renhold AS").await;
    app.create_supplier(B, "Beta Bemanning AS").await;
    app.create_supplier(C, "Gamma Kontor AS").await;
    let agreement = |reference: &str,
                     title: &str,
                     area: &str,
                     category: &str,
                     from: i64,
                     to: i64,
                     suppliers: Value| {
        json!({
            "reference": reference, "title": title, "areaId": area, "kind": "FRAMEWORK_AGREEMENT",
            "category": category, "startsOn": day(from), "endsOn": day(to), "suppliers": suppliers
        })
    };
    let ids = vec![
        app.create_agreement(json!({
            "reference": "R-1", "title": "Renhold av formålsbygg", "areaId": cleaning, "kind": "FRAMEWORK_AGREEMENT",
            "category": "CLEANING", "startsOn": day(-100), "endsOn": day(30), "maxEndsOn": day(395),
            "estimatedAnnualValue": "1234567.50",
            "suppliers": [{ "orgNumber": "310 000 000", "rank": 2 }, { "orgNumber": B, "rank": 1 }]
        }))
        .await,
        app.create_agreement(agreement("R-2", "Renhold skoler", &cleaning, "CLEANING", 10, 400, json!([{ "orgNumber": C }]))).await,
        app.create_agreement(agreement("R-3", "Renhold 2020", &cleaning, "CLEANING", -800, -1, json!([{ "orgNumber": A }]))).await,
        app.create_agreement(agreement("R-4", "Kontorrekvisita dagsavtale", &office, "GOODS", 0, 0, json!([{ "orgNumber": B }]))).await,
        app.create_agreement(agreement("R-5", "Papir", &office, "GOODS", -5, 200, json!([{ "orgNumber": A }, { "orgNumber": C }]))).await,
    ];
    let data = app
        .ok(
            &app.adviser(),
            "mutation($id: ID!) { updateAgreement(id: $id, expectedVersion: 1, input: { terminated: true }) { status version } }",
            json!({ "id": ids[4] }),
        )
        .await;
    assert_eq!(
        data["updateAgreement"],
        json!({ "status": "TERMINATED", "version": 2 })
    );
    (cleaning, office, ids)
}

async fn references(app: &TestApp, filter: Value) -> (i64, Vec<String>) {
    let data = app
        .ok(
            &app.buyer("Oslobygg KF"),
            "query($f: AgreementFilter) { agreements(filter: $f, first: 100) { totalCount edges { node { reference } } } }",
            json!({ "f": filter }),
        )
        .await;
    (
        data["agreements"]["totalCount"].as_i64().unwrap(),
        strings(&data["agreements"]["edges"], "reference"),
    )
}

#[tokio::test]
async fn agreements_carry_status_dates_money_and_ranked_suppliers() {
    for app in apps().await {
        let (_, _, ids) = portfolio(&app).await;
        let data = app
            .ok(
                &app.buyer("Oslobygg KF"),
                &format!("query($id: ID!) {{ agreement(id: $id) {{ {AGREEMENT_FIELDS} }} }}"),
                json!({ "id": ids[0] }),
            )
            .await;
        let a = &data["agreement"];
        assert_eq!(a["status"], "ACTIVE", "[{}]", app.backend);
        assert_eq!(a["startsOn"], day(-100));
        assert_eq!(a["maxEndsOn"], day(395));
        assert_eq!(a["estimatedAnnualValue"], "1234567.50");
        assert_eq!(a["version"], 1);
        assert_eq!(a["kind"], "FRAMEWORK_AGREEMENT");
        assert_eq!(a["area"]["name"], "Renhold");
        // Rank 1 (B) before rank 2 (A); the org number typed with spaces is stored without.
        let orgs: Vec<&str> = a["suppliers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["supplier"]["orgNumber"].as_str().unwrap())
            .collect();
        assert_eq!(orgs, [B, A]);
        assert_eq!(a["suppliers"][0]["rank"], 1);

        let status_of = |i: usize| {
            let app = &app;
            let id = ids[i].clone();
            async move {
                let d = app
                    .ok(
                        &app.climate(),
                        "query($id: ID!) { agreement(id: $id) { status maxEndsOn endsOn } }",
                        json!({ "id": id }),
                    )
                    .await;
                d["agreement"].clone()
            }
        };
        assert_eq!(status_of(1).await["status"], "PLANNED");
        assert_eq!(status_of(2).await["status"], "EXPIRED");
        let edge = status_of(3).await;
        assert_eq!(edge["status"], "ACTIVE");
        // maxEndsOn defaults to endsOn.
        assert_eq!(edge["maxEndsOn"], edge["endsOn"]);
        assert_eq!(status_of(4).await["status"], "TERMINATED");
        // An id that names nothing is null, not an error.
        let d = app
            .ok(
                &app.adviser(),
                "{ agreement(id: \"999999\") { id } a: agreement(id: \"x\") { id } }",
                json!({}),
            )
            .await;
        assert_eq!(d, json!({ "agreement": null, "a": null }));
    }
}

#[tokio::test]
async fn every_agreement_filter_narrows_as_the_rules_say() {
    for app in apps().await {
        let (cleaning, office, _) = portfolio(&app).await;
        assert_eq!(
            references(&app, json!(null)).await,
            (
                5,
                vec!["R-1", "R-2", "R-3", "R-4", "R-5"]
                    .into_iter()
                    .map(String::from)
                    .collect()
            )
        );
        let refs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            references(&app, json!({ "status": "ACTIVE" })).await,
            (2, refs(&["R-1", "R-4"])),
            "[{}]",
            app.backend
        );
        assert_eq!(
            references(&app, json!({ "status": "PLANNED" })).await.1,
            refs(&["R-2"])
        );
        assert_eq!(
            references(&app, json!({ "status": "EXPIRED" })).await.1,
            refs(&["R-3"])
        );
        assert_eq!(
            references(&app, json!({ "status": "TERMINATED" })).await.1,
            refs(&["R-5"])
        );
        assert_eq!(
            references(&app, json!({ "areaId": office })).await.1,
            refs(&["R-4", "R-5"])
        );
        assert_eq!(
            references(&app, json!({ "areaId": cleaning, "status": "ACTIVE" }))
                .await
                .1,
            refs(&["R-1"])
        );
        assert_eq!(
            references(&app, json!({ "category": "GOODS" })).await.1,
            refs(&["R-4", "R-5"])
        );
        // A is on; typed with spaces.
        assert_eq!(
            references(&app, json!({ "supplierOrgNumber": "310 000 000" }))
                .await
                .1,
            refs(&["R-1", "R-3", "R-5"])
        );
        // endsOn strictly before today+1: R-3 (today-1) and R-4 (today).
        assert_eq!(
            references(&app, json!({ "endsBefore": day(1) })).await.1,
            refs(&["R-3", "R-4"])
        );
        // Case-insensitive in title ("Renhold ...") and reference ("r-5").
        assert_eq!(
            references(&app, json!({ "search": "RENHOLD" })).await.1,
            refs(&["R-1", "R-2", "R-3"])
        );
        assert_eq!(
            references(&app, json!({ "search": "r-5" })).await.1,
            refs(&["R-5"])
        );
        // "%" is a literal, not a wildcard.
        assert_eq!(references(&app, json!({ "search": "%" })).await.0, 0);
        // A valid org number not in the register matches nothing; an invalid one is an error.
        assert_eq!(
            references(&app, json!({ "supplierOrgNumber": C })).await.1,
            refs(&["R-2", "R-5"])
        );
        assert_eq!(
            references(&app, json!({ "supplierOrgNumber": "310000035" }))
                .await
                .0,
            0
        );
        let (code, body) = app
            .error_code(
                Some(&app.adviser()),
                "{ agreements(filter: { supplierOrgNumber: \"310000036\" }) { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(code, "BAD_USER_INPUT");
        assert_eq!(
            body["errors"][0]["extensions"]["field"],
            "supplierOrgNumber"
        );
    }
}

#[tokio::test]
async fn agreements_page_with_cursors() {
    for app in apps().await {
        portfolio(&app).await;
        let q = "query($after: String) { agreements(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { reference } } } }";
        let mut seen = Vec::new();
        let mut after = Value::Null;
        loop {
            let d = app.ok(&app.adviser(), q, json!({ "after": after })).await;
            let conn = &d["agreements"];
            assert_eq!(conn["totalCount"], 5);
            seen.extend(strings(&conn["edges"], "reference"));
            if conn["pageInfo"]["hasNextPage"] == false {
                break;
            }
            after = conn["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(
            seen,
            ["R-1", "R-2", "R-3", "R-4", "R-5"],
            "[{}]",
            app.backend
        );
    }
}

#[tokio::test]
async fn summary_counts_active_agreements_turnover_and_expiries() {
    for app in apps().await {
        let (_, _, ids) = portfolio(&app).await;
        let set = "mutation($id: ID!, $y: Int!, $a: Decimal!) { setTurnover(agreementId: $id, year: $y, amount: $a) { turnover { year amount } } }";
        app.ok(
            &app.adviser(),
            set,
            json!({ "id": ids[0], "y": 2025, "a": "1000000.25" }),
        )
        .await;
        app.ok(
            &app.adviser(),
            set,
            json!({ "id": ids[2], "y": 2025, "a": "250000" }),
        )
        .await;
        app.ok(
            &app.adviser(),
            set,
            json!({ "id": ids[2], "y": 2024, "a": "99.99" }),
        )
        .await;
        // Setting 2025 again replaces it: 1,000,000.25 -> 2,000,000.50.
        let d = app
            .ok(
                &app.adviser(),
                set,
                json!({ "id": ids[0], "y": 2025, "a": "2000000.50" }),
            )
            .await;
        assert_eq!(
            d["setTurnover"]["turnover"],
            json!([{ "year": 2025, "amount": "2000000.50" }])
        );
        let d = app
            .ok(
                &app.adviser(),
                "query($id: ID!) { agreement(id: $id) { turnover { year amount } } }",
                json!({ "id": ids[2] }),
            )
            .await;
        assert_eq!(
            d["agreement"]["turnover"],
            json!([{ "year": 2024, "amount": "99.99" }, { "year": 2025, "amount": "250000.00" }])
        );

        // Mark B as watchlisted today (B is on the active ).
        app.ok(
            &app.adviser(),
            "mutation($i: AddToWatchlistInput!) { addToWatchlist(input: $i) { id } }",
            json!({ "i": { "orgNumber": B, "category": "POOR_WORK", "description": "Avvik", "reportedBy": "Oslobygg KF", "listedOn": day(-3) } }),
        )
        .await;
        let d = app
            .ok(
                &app.buyer("Bydel Frogner"),
                "{ portfolioSummary { areaCount activeAgreementCount supplierCount t25: turnover(year: 2025) t24: turnover(year: 2024) t19: turnover(year: 2019)
                   soon: expiringWithinDays(days: 30) { reference } none: expiringWithinDays(days: 0) { reference }
                   watchlistedSuppliersOnActiveAgreements { orgNumber } } }",
                json!({}),
            )
            .await;
        let s = &d["portfolioSummary"];
        assert_eq!(s["areaCount"], 2, "[{}]", app.backend);
        // Active: R-1 (A, B) and R-4 (B): two agreements, two distinct suppliers.
        assert_eq!(s["activeAgreementCount"], 2);
        assert_eq!(s["supplierCount"], 2);
        // 2,000,000.50 + 250,000.00; 99.99; nothing in 2019.
        assert_eq!(s["t25"], "2250000.50");
        assert_eq!(s["t24"], "99.99");
        assert_eq!(s["t19"], "0.00");
        // R-4 ends today, R-1 in 30 days: soonest first; with 0 days only R-4.
        assert_eq!(strings(&s["soon"], "reference"), ["R-4", "R-1"]);
        assert_eq!(strings(&s["none"], "reference"), ["R-4"]);
        assert_eq!(
            strings(&s["watchlistedSuppliersOnActiveAgreements"], "orgNumber"),
            [B]
        );
        let (code, _) = app
            .error_code(
                Some(&app.adviser()),
                "{ portfolioSummary { expiringWithinDays(days: -1) { id } } }",
                json!({}),
            )
            .await;
        assert_eq!(code, "BAD_USER_INPUT");
    }
}

const CREATE: &str = "mutation($i: CreateAgreementInput!) { createAgreement(input: $i) { id } }";

#[tokio::test]
async fn bad_agreement_input_names_the_field_and_writes_nothing() {
    for app in apps().await {
        let (cleaning, _, ids) = portfolio(&app).await;
        let events = app.count_audit_events().await;
        let base = json!({
            "reference": "NEW-1", "title": "Ny avtale", "areaId": cleaning, "kind": "FRAMEWORK_AGREEMENT",
            "category": "CLEANING", "startsOn": day(0), "endsOn": day(100), "suppliers": [{ "orgNumber": A }]
        });
        let with = |patch: Value| {
            let mut input = base.clone();
            for (k, v) in patch.as_object().unwrap() {
                input[k] = v.clone();
            }
            input
        };
        let cases = [
            (
                with(json!({ "suppliers": [{ "orgNumber": A }, { "orgNumber": "310000043" }] })),
                "suppliers[1].orgNumber",
            ),
            (
                with(json!({ "suppliers": [{ "orgNumber": "310000001" }] })),
                "suppliers[0].orgNumber",
            ),
            (
                with(json!({ "suppliers": [{ "orgNumber": A }, { "orgNumber": A }] })),
                "suppliers[1].orgNumber",
            ),
            (
                with(json!({ "suppliers": [{ "orgNumber": A, "rank": 0 }] })),
                "suppliers[0].rank",
            ),
            (with(json!({ "title": "   " })), "title"),
            (with(json!({ "reference": "" })), "reference"),
            (with(json!({ "reference": "R-1" })), "reference"),
            (with(json!({ "endsOn": day(-1) })), "endsOn"),
            (with(json!({ "maxEndsOn": day(99) })), "maxEndsOn"),
            (with(json!({ "areaId": "424242" })), "areaId"),
            (
                with(json!({ "estimatedAnnualValue": "-1" })),
                "estimatedAnnualValue",
            ),
            (
                with(json!({ "estimatedAnnualValue": "10.005" })),
                "estimatedAnnualValue",
            ),
            (with(json!({ "startsOn": "2026-02-30" })), "startsOn"),
            (with(json!({ "title": "x".repeat(301) })), "title"),
        ];
        for (input, field) in cases {
            let (code, body) = app
                .error_code(Some(&app.adviser()), CREATE, json!({ "i": input }))
                .await;
            assert_eq!(code, "BAD_USER_INPUT", "[{}] {field}: {body}", app.backend);
            assert_eq!(
                body["errors"][0]["extensions"]["field"], field,
                "[{}] {body}",
                app.backend
            );
        }
        assert_eq!(
            references(&app, json!(null)).await.0,
            5,
            "nothing was written"
        );
        assert_eq!(
            app.count_audit_events().await,
            events,
            "no audit event either"
        );

        // Stale version: CONFLICT, nothing changed.
        let update = "mutation($id: ID!, $v: Int!, $i: UpdateAgreementInput!) { updateAgreement(id: $id, expectedVersion: $v, input: $i) { title version endsOn maxEndsOn } }";
        let d = app
            .ok(
                &app.adviser(),
                update,
                json!({ "id": ids[0], "v": 1, "i": { "title": "Nytt navn" } }),
            )
            .await;
        assert_eq!(d["updateAgreement"]["version"], 2);
        let (code, _) = app
            .error_code(
                Some(&app.adviser()),
                update,
                json!({ "id": ids[0], "v": 1, "i": { "title": "Overskrevet" } }),
            )
            .await;
        assert_eq!(code, "CONFLICT", "[{}]", app.backend);
        let d = app
            .ok(
                &app.adviser(),
                "query($id: ID!) { agreement(id: $id) { title version } }",
                json!({ "id": ids[0] }),
            )
            .await;
        assert_eq!(
            d["agreement"],
            json!({ "title": "Nytt navn", "version": 2 })
        );
        // endsOn before startsOn on update; an unknown supplier in the new list.
        let (code, body) = app
            .error_code(
                Some(&app.adviser()),
                update,
                json!({ "id": ids[0], "v": 2, "i": { "endsOn": day(-101) } }),
            )
            .await;
        assert_eq!(
            (code.as_str(), &body["errors"][0]["extensions"]["field"]),
            ("BAD_USER_INPUT", &json!("endsOn"))
        );
        let (code, body) = app
            .error_code(Some(&app.adviser()), update, json!({ "id": ids[0], "v": 2, "i": { "suppliers": [{ "orgNumber": "310000051" }] } }))
            .await;
        assert_eq!(
            (code.as_str(), &body["errors"][0]["extensions"]["field"]),
            ("BAD_USER_INPUT", &json!("suppliers[0].orgNumber"))
        );
        let (code, _) = app
            .error_code(
                Some(&app.adviser()),
                update,
                json!({ "id": "777777", "v": 1, "i": {} }),
            )
            .await;
        assert_eq!(code, "NOT_FOUND");
        // Moving endsOn past maxEndsOn (today+395) carries maxEndsOn along.
        let d = app
            .ok(
                &app.adviser(),
                update,
                json!({ "id": ids[0], "v": 2, "i": { "endsOn": day(500) } }),
            )
            .await;
        assert_eq!(d["updateAgreement"]["maxEndsOn"], day(500));
        assert_eq!(d["updateAgreement"]["version"], 3);

        let set = "mutation($id: ID!, $y: Int!, $a: Decimal!) { setTurnover(agreementId: $id, year: $y, amount: $a) { id } }";
        let (code, body) = app
            .error_code(
                Some(&app.adviser()),
                set,
                json!({ "id": ids[0], "y": 2025, "a": "-5" }),
            )
            .await;
        assert_eq!(
            (code.as_str(), &body["errors"][0]["extensions"]["field"]),
            ("BAD_USER_INPUT", &json!("amount"))
        );
        let (code, body) = app
            .error_code(
                Some(&app.adviser()),
                set,
                json!({ "id": ids[0], "y": 1800, "a": "5" }),
            )
            .await;
        assert_eq!(
            (code.as_str(), &body["errors"][0]["extensions"]["field"]),
            ("BAD_USER_INPUT", &json!("year"))
        );
        // A JSON float could have lost digits already: refused.
        let (code, _) = app
            .error_code(
                Some(&app.adviser()),
                set,
                json!({ "id": ids[0], "y": 2025, "a": 10.5 }),
            )
            .await;
        assert_eq!(code, "BAD_USER_INPUT");

        let dup_area = "mutation { createAgreementArea(name: \" renhold \") { id } }";
        let (code, body) = app
            .error_code(Some(&app.adviser()), dup_area, json!({}))
            .await;
        assert_eq!(
            (code.as_str(), &body["errors"][0]["extensions"]["field"]),
            ("BAD_USER_INPUT", &json!("name"))
        );
        let (code, body) = app
            .error_code(Some(&app.adviser()), "mutation { createSupplier(input: { orgNumber: \"310000001\", name: \"X\" }) { id } }", json!({}))
            .await;
        assert_eq!(
            (code.as_str(), &body["errors"][0]["extensions"]["field"]),
            ("BAD_USER_INPUT", &json!("orgNumber"))
        );
        let (code, body) = app
            .error_code(Some(&app.adviser()), "mutation { createSupplier(input: { orgNumber: \"310 000 000\", name: \"Dup\" }) { id } }", json!({}))
            .await;
        assert_eq!(
            (code.as_str(), &body["errors"][0]["extensions"]["field"]),
            ("BAD_USER_INPUT", &json!("orgNumber"))
        );
    }
}

#[tokio::test]
async fn only_admin_and_adviser_write_and_every_write_is_audited() {
    for app in apps().await {
        let area = app.create_area("Catering").await;
        for token in [app.buyer("Oslobygg KF"), app.climate()] {
            let (code, _) = app
                .error_code(
                    Some(&token),
                    "mutation { createAgreementArea(name: \"X\") { id } }",
                    json!({}),
                )
                .await;
            assert_eq!(code, "FORBIDDEN", "[{}]", app.backend);
            let (code, _) = app.error_code(Some(&token), "mutation { createSupplier(input: { orgNumber: \"310000078\", name: \"X\" }) { id } }", json!({})).await;
            assert_eq!(code, "FORBIDDEN");
        }
        let (code, _) = app
            .error_code(None, "{ agreementAreas { id } }", json!({}))
            .await;
        assert_eq!(code, "UNAUTHENTICATED");
        // Every role reads the portfolio.
        for token in [app.buyer("Oslobygg KF"), app.climate(), app.admin()] {
            let d = app
                .ok(
                    &token,
                    "{ agreementAreas { name agreements { id } } }",
                    json!({}),
                )
                .await;
            assert_eq!(
                d["agreementAreas"],
                json!([{ "name": "Catering", "agreements": [] }])
            );
        }
        app.create_supplier(A, "Alfa AS").await;
        let id = app
            .create_agreement(json!({
                "reference": "C-1", "title": "Catering", "areaId": area, "kind": "RESERVED_CONTRACT",
                "category": "SERVICES", "startsOn": day(0), "endsOn": day(10), "suppliers": [{ "orgNumber": A }]
            }))
            .await;
        let d = app
            .ok(&app.admin(), "query($id: String!) { auditEvents(entity: \"agreement\", entityId: $id) { edges { node { actor action after } } } }", json!({ "id": id }))
            .await;
        let event = &d["auditEvents"]["edges"][0]["node"];
        assert_eq!(event["actor"], "tester", "[{}]", app.backend);
        assert_eq!(event["action"], "create");
        assert_eq!(event["after"]["agreement"]["reference"], "C-1");
        // area, supplier, agreement: three events.
        assert_eq!(app.count_audit_events().await, 3);
    }
}
