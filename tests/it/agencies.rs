//! The agency register: seeded agencies, aliases, unknown HMSREG agency texts re-attributed
//! by an alias with no re-import, buyer claims resolved through the register, tenders stored
//! as agencies (docs/rules.md, Agencies). Values worked out by hand from the file below.

use serde_json::{Value, json};

use crate::common::{TestApp, apps};

/// Header row 1. Rows 2-4: "Oslobygg" (an alias of Oslobygg KF), K-100, January: skilled 60,
/// apprentice 10 (A2), unskilled 30. Rows 5-6: "Oslobyg" (a typo the register does not know),
/// K-200, February: skilled 20, unskilled 80. Rows 7-8: "bydel st hanshaugen" (Bydel
/// St. Hanshaugen without its dot, lower case), K-300, March: skilled 40, apprentice 10 (C2).
pub const HOURS: &str = "Periode;Orgnr;Oppdragsgiver;Kontrakt;HMS-kort;Kategori;Fag;Timer
2026-01;315771889;Oslobygg;K-100 Skole;A1;Faglært;Tømrer;60
2026-01;315771889;Oslobygg;K-100 Skole;A2;Lærling;Tømrer;10
2026-01;315771889;Oslobygg;K-100 Skole;A3;Ufaglært;Tømrer;30
2026-02;315771889;Oslobyg;K-200 Bad;B1;Faglært;Maler;20
2026-02;315771889;Oslobyg;K-200 Bad;B2;Ufaglært;Maler;80
2026-03;315771889;bydel st hanshaugen;K-300 Barnehage;C1;Faglært;Tømrer;40
2026-03;315771889;bydel st hanshaugen;K-300 Barnehage;C2;Lærling;Tømrer;10
";

const IMPORT: &str = "mutation($file: Upload!, $dry: Boolean) { importHmsreg(file: $file, dryRun: $dry) { status issues { severity code message sheet row column } } }";
const SHARES: &str = "query($f: WorkforceFilter, $g: WorkforceGrouping!) { workforceShares(filter: $f, groupBy: $g) { key relevantHours skilledShare apprenticeShare apprenticeCount } }";
const UNKNOWN: &str = "{ unknownAgencyNames { text hours imports } }";
const ALIAS: &str = "mutation($id: ID!, $a: String!) { addAgencyAlias(agencyId: $id, alias: $a) { id name aliases } }";
const CREATE: &str =
    "mutation($i: CreateAgencyInput!) { createAgency(input: $i) { id name orgNumber aliases } }";

pub async fn import_hours(app: &TestApp) -> Value {
    app.import(IMPORT, "timer.csv", HOURS.as_bytes().to_vec(), false)
        .await
}

async fn shares(app: &TestApp, token: &str, filter: Value, group: &str) -> Vec<Value> {
    let d = app
        .ok(token, SHARES, json!({ "f": filter, "g": group }))
        .await;
    d["workforceShares"].as_array().unwrap().clone()
}

/// (key, relevant hours, skilled share) of each group.
fn groups(rows: &[Value]) -> Vec<(String, String, f64)> {
    rows.iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap().to_string(),
                r["relevantHours"].as_str().unwrap().to_string(),
                r["skilledShare"].as_f64().unwrap(),
            )
        })
        .collect()
}

async fn agency_id(app: &TestApp, name: &str) -> String {
    let d = app
        .ok(
            &app.adviser(),
            "{ agencies { id name aliases } }",
            json!({}),
        )
        .await;
    d["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("no agency {name}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_fresh_database_holds_the_municipalitys_agencies_with_their_short_forms() {
    for app in apps().await {
        let d = app
            .ok(
                &app.buyer("Bydel Frogner"),
                "{ agencies { name aliases } }",
                json!({}),
            )
            .await;
        let all = d["agencies"].as_array().unwrap();
        let names: Vec<&str> = all.iter().map(|a| a["name"].as_str().unwrap()).collect();
        assert_eq!(names.iter().filter(|n| n.starts_with("Bydel ")).count(), 15);
        for n in [
            "Bymiljøetaten",
            "Oslobygg KF",
            "Boligbygg Oslo KF",
            "Sykehjemsetaten",
            "Utdanningsetaten",
            "Vann- og avløpsetaten",
        ] {
            assert!(names.contains(&n), "[{}] {n} missing", app.backend);
        }
        // By name.
        let mut sorted = names.clone();
        sorted.sort_by_key(|n| n.to_lowercase());
        assert_eq!(names, sorted);
        let oby = all.iter().find(|a| a["name"] == "Oslobygg KF").unwrap();
        assert_eq!(oby["aliases"], json!(["OBY", "Oslobygg"]));
    }
}

#[tokio::test]
async fn advisers_add_agencies_and_aliases_and_no_text_matches_two_agencies() {
    for app in apps().await {
        let adviser = app.adviser();
        let d = app
            .ok(&adviser, CREATE, json!({ "i": { "name": "  Kommune revisjonen ", "orgNumber": "974 770 482", "aliases": ["KRV", "krv", "Kommune Revisjonen"] } }))
            .await;
        let created = &d["createAgency"];
        // Spaces collapsed; an alias given twice, or equal to the name, is kept once or not at all.
        assert_eq!(created["name"], "Kommune revisjonen");
        assert_eq!(created["orgNumber"], "974770482");
        assert_eq!(created["aliases"], json!(["KRV"]));

        // "Oslobygg" already answers to Oslobygg KF; "Bydel St Hanshaugen" (no dot) to Bydel
        // St. Hanshaugen: both are CONFLICT, and nothing is added.
        let (code, body) = app
            .error_code(
                Some(&adviser),
                CREATE,
                json!({ "i": { "name": "Nytt foretak", "aliases": ["oslobygg"] } }),
            )
            .await;
        assert_eq!(code, "CONFLICT", "[{}] {body}", app.backend);
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("Oslobygg KF")
        );
        let (code, _) = app
            .error_code(
                Some(&adviser),
                CREATE,
                json!({ "i": { "name": "BYDEL ST HANSHAUGEN" } }),
            )
            .await;
        assert_eq!(code, "CONFLICT");
        let d = app.ok(&adviser, "{ agencies { name } }", json!({})).await;
        assert!(
            !d["agencies"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["name"] == "Nytt foretak")
        );

        let (code, body) = app
            .error_code(
                Some(&adviser),
                CREATE,
                json!({ "i": { "name": "Feil nummer", "orgNumber": "123456789" } }),
            )
            .await;
        assert_eq!(
            (code.as_str(), &body["errors"][0]["extensions"]["field"]),
            ("BAD_USER_INPUT", &json!("orgNumber"))
        );
        let (code, _) = app
            .error_code(Some(&adviser), CREATE, json!({ "i": { "name": " ... " } }))
            .await;
        assert_eq!(code, "BAD_USER_INPUT");

        let bym = agency_id(&app, "Bymiljøetaten").await;
        let (code, _) = app
            .error_code(Some(&adviser), ALIAS, json!({ "id": bym, "a": "OBY" }))
            .await;
        assert_eq!(code, "CONFLICT");
        // Its own alias again changes nothing.
        let d = app
            .ok(&adviser, ALIAS, json!({ "id": bym, "a": "bym" }))
            .await;
        assert_eq!(
            d["addAgencyAlias"]["aliases"],
            json!(["BYM", "Bymiljoetaten"])
        );
        let (code, _) = app
            .error_code(Some(&adviser), ALIAS, json!({ "id": "999999", "a": "X" }))
            .await;
        assert_eq!(code, "NOT_FOUND");

        for token in [app.buyer("Bymiljøetaten"), app.climate()] {
            let (code, _) = app
                .error_code(
                    Some(&token),
                    ALIAS,
                    json!({ "id": bym, "a": "Miljøetaten" }),
                )
                .await;
            assert_eq!(code, "FORBIDDEN");
            let (code, _) = app
                .error_code(Some(&token), CREATE, json!({ "i": { "name": "X etat" } }))
                .await;
            assert_eq!(code, "FORBIDDEN");
        }
    }
}

#[tokio::test]
async fn an_alias_reattributes_unknown_hmsreg_agency_hours_at_once() {
    for app in apps().await {
        let r = import_hours(&app).await;
        assert_eq!(r["status"], "ACCEPTED", "[{}] {r}", app.backend);
        // Only the typo is unknown: the alias and the dotless district name match.
        let warnings: Vec<&Value> = r["issues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["code"] == "UNKNOWN_AGENCY")
            .collect();
        assert_eq!(warnings.len(), 1, "[{}] {r}", app.backend);
        let w = warnings[0];
        assert_eq!(
            (
                w["severity"].as_str(),
                w["row"].as_i64(),
                w["column"].as_str()
            ),
            (Some("WARNING"), Some(5), Some("C"))
        );
        let message = w["message"].as_str().unwrap();
        assert!(
            message.starts_with(
                "agency 'Oslobyg' matches no agency in the register (rows 5, 6 of sheet"
            ),
            "{message}"
        );

        let adviser = app.adviser();
        let d = app.ok(&adviser, UNKNOWN, json!({})).await;
        assert_eq!(
            d["unknownAgencyNames"],
            json!([{ "text": "Oslobyg", "hours": "100.00", "imports": 1 }])
        );

        // By agency: the register's names, the unknown text as written. Bydel St. Hanshaugen
        // 40/50 = 80 %; Oslobyg 20/100 = 20 %; Oslobygg KF 60/100 = 60 %.
        let by_agency = shares(&app, &adviser, json!(null), "AGENCY").await;
        assert_eq!(
            groups(&by_agency),
            [
                (
                    "Bydel St. Hanshaugen".to_string(),
                    "50.00".to_string(),
                    80.0
                ),
                ("Oslobyg".to_string(), "100.00".to_string(), 20.0),
                ("Oslobygg KF".to_string(), "100.00".to_string(), 60.0)
            ]
        );
        // A buyer whose claim is an alias is that agency.
        let buyer = app.buyer("OBY");
        let total = shares(&app, &buyer, json!(null), "TOTAL").await;
        assert_eq!(
            groups(&total),
            [("total".to_string(), "100.00".to_string(), 60.0)]
        );
        let status = "{ supplierStatus(orgNumber: \"315771889\") { workforce { relevantHours } } }";
        let d = app.ok(&buyer, status, json!({})).await;
        assert_eq!(d["supplierStatus"]["workforce"]["relevantHours"], "100.00");

        let oby = agency_id(&app, "Oslobygg KF").await;
        let d = app
            .ok(&adviser, ALIAS, json!({ "id": oby, "a": "Oslobyg" }))
            .await;
        assert_eq!(
            d["addAgencyAlias"]["aliases"],
            json!(["OBY", "Oslobyg", "Oslobygg"])
        );

        // At once, no re-import: skilled 80, apprentice 10, unskilled 110 -> 200 hours,
        // 40 % skilled, 5 % apprentices.
        let d = app.ok(&adviser, UNKNOWN, json!({})).await;
        assert_eq!(d["unknownAgencyNames"], json!([]));
        let by_agency = shares(&app, &adviser, json!(null), "AGENCY").await;
        assert_eq!(
            groups(&by_agency),
            [
                (
                    "Bydel St. Hanshaugen".to_string(),
                    "50.00".to_string(),
                    80.0
                ),
                ("Oslobygg KF".to_string(), "200.00".to_string(), 40.0)
            ]
        );
        assert_eq!(by_agency[1]["apprenticeShare"], 5.0);
        let total = shares(&app, &buyer, json!(null), "TOTAL").await;
        assert_eq!(
            groups(&total),
            [("total".to_string(), "200.00".to_string(), 40.0)]
        );
        // A filter by any of the agency's texts selects all of its hours.
        for text in ["oslobyg", "Oslobygg K.F.", "OBY"] {
            let t = shares(&app, &adviser, json!({ "agency": text }), "TOTAL").await;
            assert_eq!(t[0]["relevantHours"], "200.00", "{text}");
        }
        // A buyer cannot list unknown names: they are no agency's own.
        let (code, _) = app.error_code(Some(&buyer), UNKNOWN, json!({})).await;
        assert_eq!(code, "FORBIDDEN");
    }
}

#[tokio::test]
async fn a_buyer_whose_claim_matches_no_agency_sees_nothing_anywhere() {
    for app in apps().await {
        import_hours(&app).await;
        let buyer = app.buyer("Ukjent etat");
        for (query, variables) in [
            (SHARES, json!({ "g": "AGENCY" })),
            ("{ tenders { totalCount } }", json!({})),
            ("{ contractFollowUp { contract } }", json!({})),
            (
                "{ supplierStatus(orgNumber: \"315771889\") { workforce { relevantHours } } }",
                json!({}),
            ),
            (
                "mutation($i: TenderInput!) { createTender(input: $i) { id } }",
                json!({ "i": crate::followup::tender("Ukjent etat", json!([]), json!([])) }),
            ),
        ] {
            let (code, body) = app.error_code(Some(&buyer), query, variables).await;
            assert_eq!(code, "FORBIDDEN", "[{}] {query}: {body}", app.backend);
            let message = body["errors"][0]["message"].as_str().unwrap();
            assert!(message.contains("'Ukjent etat'"), "{message}");
            assert!(
                body["data"].is_null()
                    || body["data"]
                        .as_object()
                        .is_none_or(|d| d.values().all(Value::is_null)),
                "{body}"
            );
        }
        let path = "/exports/workforce-shares.xlsx?from=2026-01-01&to=2026-12-31&groupBy=AGENCY";
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .bearer_auth(&buyer)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
    }
}
