//! The watchlist and supplier status over HTTP, on SQLite and PostgreSQL.

use crate::common::{TestApp, apps, day, strings};
use serde_json::{Value, json};

const X: &str = "310000035";
const Y: &str = "310000043";

const ADD: &str = "mutation($i: AddToWatchlistInput!) { addToWatchlist(input: $i) { id status listedOn supplier { orgNumber name } } }";
const REMOVE: &str = "mutation($id: ID!, $on: Date!, $doc: String!) { removeFromWatchlist(id: $id, removedOn: $on, documentation: $doc) { status removedOn removalDocumentation removedBy } }";
const STATUS: &str = "query($o: String!, $d: Date) { supplierStatus(orgNumber: $o, asOf: $d) { orgNumber known watchlisted watchlistCategories supplier { name } activeAgreements { reference } workforce { key } } }";

fn entry(org: &str, category: &str, listed_on: &str) -> Value {
    json!({ "orgNumber": org, "category": category, "description": "Brudd på lønns- og arbeidsvilkår", "reportedBy": "Bymiljøetaten", "listedOn": listed_on })
}

async fn add(app: &TestApp, input: Value) -> String {
    let d = app.ok(&app.adviser(), ADD, json!({ "i": input })).await;
    d["addToWatchlist"]["id"].as_str().unwrap().to_string()
}

async fn status(app: &TestApp, token: &str, org: &str, as_of: Option<&str>) -> Value {
    app.ok(token, STATUS, json!({ "o": org, "d": as_of })).await["supplierStatus"].clone()
}

#[tokio::test]
async fn listed_in_march_removed_in_september_answers_as_of_any_day() {
    for app in apps().await {
        app.create_supplier(X, "Xylo Bygg AS").await;
        let id = add(&app, entry(X, "WAGES_AND_WORKING_CONDITIONS", "2025-03-01")).await;
        let d = app.ok(&app.adviser(), REMOVE, json!({ "id": id, "on": "2025-09-15", "doc": "Revisorbekreftelse av etterbetalt lønn" })).await;
        assert_eq!(
            d["removeFromWatchlist"],
            json!({ "status": "REMOVED", "removedOn": "2025-09-15", "removalDocumentation": "Revisorbekreftelse av etterbetalt lønn", "removedBy": "tester" })
        );
        let buyer = app.buyer("Oslobygg KF");
        // Listed on 2025-03-01 and struck off 2025-09-15: listed on the 14th, not on the 15th.
        for (as_of, listed) in [
            ("2025-02-28", false),
            ("2025-03-01", true),
            ("2025-09-14", true),
            ("2025-09-15", false),
        ] {
            let s = status(&app, &buyer, X, Some(as_of)).await;
            assert_eq!(s["watchlisted"], listed, "[{}] on {as_of}", app.backend);
            let categories = if listed {
                json!(["WAGES_AND_WORKING_CONDITIONS"])
            } else {
                json!([])
            };
            assert_eq!(
                s["watchlistCategories"], categories,
                "[{}] on {as_of}",
                app.backend
            );
        }
        // Default date: today, when it is struck off.
        assert_eq!(status(&app, &buyer, X, None).await["watchlisted"], false);

        let list = "query($r: Boolean, $d: Date) { watchlist(includeRemoved: $r, asOf: $d) { id status } }";
        let d = app
            .ok(&app.adviser(), list, json!({ "d": "2025-09-14" }))
            .await;
        assert_eq!(
            d["watchlist"],
            json!([{ "id": id, "status": "REMOVED" }]),
            "[{}]",
            app.backend
        );
        let d = app.ok(&app.adviser(), list, json!({})).await;
        assert_eq!(d["watchlist"], json!([]));
        let d = app.ok(&app.adviser(), list, json!({ "r": true })).await;
        assert_eq!(d["watchlist"], json!([{ "id": id, "status": "REMOVED" }]));

        // Entries are never deleted: striking it off again is a CONFLICT.
        let (code, _) = app
            .error_code(
                Some(&app.adviser()),
                REMOVE,
                json!({ "id": id, "on": "2025-10-01", "doc": "Ny dokumentasjon her" }),
            )
            .await;
        assert_eq!(code, "CONFLICT", "[{}]", app.backend);
    }
}

#[tokio::test]
async fn watchlist_lists_newest_first_and_supplier_status_shows_active_agreements() {
    for app in apps().await {
        app.create_supplier(X, "Xylo Bygg AS").await;
        let area = app.create_area("Tømrertjenester").await;
        app.create_agreement(json!({
            "reference": "T-1", "title": "Tømrer", "areaId": area, "kind": "FRAMEWORK_AGREEMENT", "category": "CONSTRUCTION",
            "startsOn": "2024-01-01", "endsOn": "2025-06-30", "suppliers": [{ "orgNumber": X }]
        }))
        .await;
        app.create_agreement(json!({
            "reference": "T-2", "title": "Tømrer ny", "areaId": area, "kind": "FRAMEWORK_AGREEMENT", "category": "CONSTRUCTION",
            "startsOn": "2025-07-01", "endsOn": day(365), "suppliers": [{ "orgNumber": X }]
        }))
        .await;
        let first = add(&app, entry(X, "POOR_WORK", "2024-05-01")).await;
        // Not in the register: added with the listing.
        let second = add(&app, json!({ "orgNumber": "310 000 043", "supplierName": "Ypsilon Vakt AS", "category": "TAXES_AND_DUTIES",
            "description": "Skatterestanse", "reportedBy": "Oslobygg KF", "listedOn": day(-2) })).await;
        let third = add(&app, entry(X, "HEALTH_AND_SAFETY", "2025-01-10")).await;
        let d = app
            .ok(
                &app.admin(),
                "{ watchlist { id supplier { orgNumber watchlisted } } }",
                json!({}),
            )
            .await;
        let ids: Vec<&str> = d["watchlist"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            [second.as_str(), third.as_str(), first.as_str()],
            "[{}] newest listedOn first",
            app.backend
        );
        assert_eq!(
            d["watchlist"][0]["supplier"],
            json!({ "orgNumber": Y, "watchlisted": true })
        );

        let d = app
            .ok(
                &app.climate(),
                "query($o: String!) { supplier(orgNumber: $o) { name watchlisted } }",
                json!({ "o": Y }),
            )
            .await;
        assert_eq!(
            d["supplier"],
            json!({ "name": "Ypsilon Vakt AS", "watchlisted": true })
        );

        let climate = app.climate();
        // On 2025-03-01: T-1 active, two entries (POOR_WORK 2024-05-01, HEALTH_AND_SAFETY 2025-01-10).
        let s = status(&app, &climate, X, Some("2025-03-01")).await;
        assert_eq!(
            s,
            json!({ "orgNumber": X, "known": true, "watchlisted": true, "watchlistCategories": ["POOR_WORK", "HEALTH_AND_SAFETY"],
                    "supplier": { "name": "Xylo Bygg AS" }, "activeAgreements": [{ "reference": "T-1" }], "workforce": null }),
            "[{}]",
            app.backend
        );
        let s = status(&app, &climate, X, Some("2025-07-01")).await;
        assert_eq!(strings(&s["activeAgreements"], "reference"), ["T-2"]);
        // Before any listing.
        let s = status(&app, &climate, X, Some("2024-04-30")).await;
        assert_eq!(s["watchlisted"], false);
        // Valid but unknown: known false, nothing else.
        let s = status(&app, &climate, "310000078", None).await;
        assert_eq!(
            s,
            json!({ "orgNumber": "310000078", "known": false, "watchlisted": false, "watchlistCategories": [], "supplier": null, "activeAgreements": [], "workforce": null })
        );

        // Supplier filters: watchlisted today: X and Y both listed.
        let q = "query($f: SupplierFilter) { suppliers(filter: $f) { totalCount edges { node { orgNumber } } } }";
        app.create_supplier("310000078", "Zeta Renhold AS").await;
        let d = app
            .ok(&climate, q, json!({ "f": { "watchlisted": true } }))
            .await;
        assert_eq!(strings(&d["suppliers"]["edges"], "orgNumber"), [X, Y]);
        let d = app
            .ok(&climate, q, json!({ "f": { "watchlisted": false } }))
            .await;
        assert_eq!(
            strings(&d["suppliers"]["edges"], "orgNumber"),
            ["310000078"]
        );
        let d = app
            .ok(&climate, q, json!({ "f": { "search": "RENHOLD" } }))
            .await;
        assert_eq!(
            strings(&d["suppliers"]["edges"], "orgNumber"),
            ["310000078"]
        );
        let d = app
            .ok(&climate, q, json!({ "f": { "search": "310000 04" } }))
            .await;
        assert_eq!(strings(&d["suppliers"]["edges"], "orgNumber"), [Y]);
        let d = app.ok(&climate, q, json!({})).await;
        // By name: Xylo, Ypsilon, Zeta.
        assert_eq!(
            strings(&d["suppliers"]["edges"], "orgNumber"),
            [X, Y, "310000078"]
        );
    }
}

#[tokio::test]
async fn bad_watchlist_input_names_the_field_and_writes_nothing() {
    for app in apps().await {
        app.create_supplier(X, "Xylo Bygg AS").await;
        let events = app.count_audit_events().await;
        let adviser = app.adviser();
        let mut cases = vec![
            (json!({ "orgNumber": "310000036" }), "orgNumber"),
            (json!({ "orgNumber": "31000003" }), "orgNumber"),
            (json!({ "orgNumber": Y }), "supplierName"),
            (
                json!({ "orgNumber": Y, "supplierName": "  " }),
                "supplierName",
            ),
            (json!({ "description": " " }), "description"),
            (json!({ "reportedBy": "" }), "reportedBy"),
            (json!({ "listedOn": day(1) }), "listedOn"),
        ];
        for (patch, field) in cases.drain(..) {
            let mut input = entry(X, "OTHER", "2025-01-01");
            for (k, v) in patch.as_object().unwrap() {
                input[k] = v.clone();
            }
            let (code, body) = app
                .error_code(Some(&adviser), ADD, json!({ "i": input }))
                .await;
            assert_eq!(code, "BAD_USER_INPUT", "[{}] {field}: {body}", app.backend);
            assert_eq!(
                body["errors"][0]["extensions"]["field"], field,
                "[{}] {body}",
                app.backend
            );
        }
        // Y was never added to the register by the failed attempts.
        let d = app
            .ok(
                &adviser,
                "query($o: String!) { supplier(orgNumber: $o) { id } }",
                json!({ "o": Y }),
            )
            .await;
        assert_eq!(d["supplier"], Value::Null);
        assert_eq!(
            app.count_audit_events().await,
            events,
            "[{}] nothing written",
            app.backend
        );

        let id = add(&app, entry(X, "OTHER", "2025-01-01")).await;
        let remove_cases = [
            (
                json!({ "id": id, "on": "2025-02-01", "doc": "for kort" }),
                "documentation",
            ),
            // Nine characters besides spaces.
            (
                json!({ "id": id, "on": "2025-02-01", "doc": " a b c d e f g h i " }),
                "documentation",
            ),
            (
                json!({ "id": id, "on": "2024-12-31", "doc": "Dokumentert retting" }),
                "removedOn",
            ),
            (
                json!({ "id": id, "on": day(1), "doc": "Dokumentert retting" }),
                "removedOn",
            ),
            (
                json!({ "id": id, "on": "2025-13-01", "doc": "Dokumentert retting" }),
                "on",
            ),
        ];
        for (vars, field) in remove_cases {
            let (code, body) = app.error_code(Some(&adviser), REMOVE, vars).await;
            assert_eq!(code, "BAD_USER_INPUT", "[{}] {field}: {body}", app.backend);
            assert_eq!(
                body["errors"][0]["extensions"]["field"], field,
                "[{}] {body}",
                app.backend
            );
        }
        let d = app
            .ok(&adviser, "{ watchlist { status removedOn } }", json!({}))
            .await;
        assert_eq!(
            d["watchlist"],
            json!([{ "status": "ACTIVE", "removedOn": null }]),
            "still listed"
        );
        // Exactly ten characters besides spaces is enough; removing on the listing day is allowed.
        app.ok(
            &adviser,
            REMOVE,
            json!({ "id": id, "on": "2025-01-01", "doc": "abcde fghij" }),
        )
        .await;
        let (code, _) = app
            .error_code(
                Some(&adviser),
                REMOVE,
                json!({ "id": "987654", "on": "2025-01-01", "doc": "abcde fghij" }),
            )
            .await;
        assert_eq!(code, "NOT_FOUND");
        let (code, body) = app
            .error_code(Some(&adviser), STATUS, json!({ "o": "12345" }))
            .await;
        assert_eq!(
            (code.as_str(), &body["errors"][0]["extensions"]["field"]),
            ("BAD_USER_INPUT", &json!("orgNumber"))
        );
    }
}

#[tokio::test]
async fn only_advisers_and_admins_see_entries_but_everyone_sees_status() {
    for app in apps().await {
        app.create_supplier(X, "Xylo Bygg AS").await;
        add(&app, entry(X, "POOR_WORK", "2025-01-01")).await;
        for token in [app.buyer("Oslobygg KF"), app.climate()] {
            let (code, _) = app
                .error_code(Some(&token), "{ watchlist { id description } }", json!({}))
                .await;
            assert_eq!(code, "FORBIDDEN", "[{}]", app.backend);
            let (code, _) = app
                .error_code(
                    Some(&token),
                    ADD,
                    json!({ "i": entry(X, "OTHER", "2025-01-01") }),
                )
                .await;
            assert_eq!(code, "FORBIDDEN");
            // The listing and the kind of reason, without the description.
            let s = status(&app, &token, X, None).await;
            assert_eq!(s["watchlisted"], true);
            assert_eq!(s["watchlistCategories"], json!(["POOR_WORK"]));
        }
        let (code, _) = app.error_code(None, STATUS, json!({ "o": X })).await;
        assert_eq!(code, "UNAUTHENTICATED");
        let d = app
            .ok(
                &app.admin(),
                "{ watchlist { description reportedBy listedBy } }",
                json!({}),
            )
            .await;
        assert_eq!(
            d["watchlist"],
            json!([{ "description": "Brudd på lønns- og arbeidsvilkår", "reportedBy": "Bymiljøetaten", "listedBy": "tester" }])
        );
    }
}
