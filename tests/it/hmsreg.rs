//! HMSREG import and workforce shares over HTTP (multipart uploads), on SQLite and PostgreSQL.
//! Expected figures are worked out by hand from the fixture files (see the comments).

use crate::common::{TestApp, apps};
use rust_xlsxwriter::Workbook;
use serde_json::{Value, json};

const OSLOBYGG: &[u8] = include_bytes!("../../fixtures/hmsreg/oslobygg-2026-mars-april.xlsx");
const BYMILJO: &[u8] = include_bytes!("../../fixtures/hmsreg/bymiljoetaten-2026-q1.csv");
const PASSWORD: &[u8] = include_bytes!("../../fixtures/hmsreg/bad/passordbeskyttet.xlsx");

const IMPORT: &str = "mutation($file: Upload!, $dry: Boolean) { importHmsreg(file: $file, dryRun: $dry) {
    status issues { severity code message sheet row column }
    import { id fileName sha256 rowCount periodFrom periodTo importedBy warnings { code } total { relevantHours } }
    total { key skilledHours apprenticeHours unskilledHours administrativeHours relevantHours skilledShare apprenticeShare
            averageContractSkilledShare averageContractApprenticeShare apprenticeCount meetsSkilledTarget meetsApprenticeTarget } } }";

const SHARES: &str = "query($f: WorkforceFilter, $g: WorkforceGrouping!) { workforceShares(filter: $f, groupBy: $g) {
    key skilledHours apprenticeHours unskilledHours administrativeHours relevantHours skilledShare apprenticeShare
    averageContractSkilledShare averageContractApprenticeShare apprenticeCount meetsSkilledTarget meetsApprenticeTarget } }";

async fn import(app: &TestApp, name: &str, bytes: &[u8], dry: bool) -> Value {
    app.import(IMPORT, name, bytes.to_vec(), dry).await
}

async fn shares(app: &TestApp, token: &str, filter: Value, group: &str) -> Vec<Value> {
    let d = app
        .ok(token, SHARES, json!({ "f": filter, "g": group }))
        .await;
    d["workforceShares"].as_array().unwrap().clone()
}

fn close(actual: &Value, expected: f64) {
    let a = actual
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {actual}"));
    assert!((a - expected).abs() < 1e-9, "{a} != {expected}");
}

use crate::common::issue_codes as codes;

// The Oslobygg workbook by hand (hours):
//   OBY-2026-001 (Holmen 303817808), March: skilled 7.5 + 8 = 15.5, apprentice 7.5 (HMS 1002),
//     unskilled 7.5 (Betong), administrative 4 (no trade); April: skilled 7.5, apprentice 7.5 + 7.5 = 15
//     (HMS 1002, HMS 1005). Contract: skilled 23, apprentice 22.5, unskilled 7.5 -> relevant 53.
//   OBY-2026-002 (Haugerud 355974758), March: skilled 7.5, unskilled 15, apprentice 6 (HMS 2004) -> relevant 28.5.
//   File: skilled 30.5, apprentice 28.5, unskilled 22.5, administrative 4, relevant 81.5; 3 apprentices.
// The Bymiljøetaten CSV (Majorstua 315771889, BYM-2025-17): Jan skilled 120.5, unskilled 80;
//   Feb apprentice 20, skilled 100 -> skilled 220.5, apprentice 20, unskilled 80, relevant 320.5; no worker column.

#[tokio::test]
async fn the_oslobygg_workbook_imports_with_hand_computed_shares() {
    for app in apps().await {
        let r = import(&app, "oslobygg-2026-mars-april.xlsx", OSLOBYGG, false).await;
        assert_eq!(r["status"], "ACCEPTED", "[{}] {r}", app.backend);
        // Both totals rows are skipped with a warning naming their row.
        assert_eq!(
            r["issues"],
            json!([
                { "severity": "WARNING", "code": "TOTALS_ROW", "message": "a totals row: skipped, never counted", "sheet": "Timer mars", "row": 14, "column": null },
                { "severity": "WARNING", "code": "TOTALS_ROW", "message": "a totals row: skipped, never counted", "sheet": "Timer april", "row": 5, "column": null }
            ])
        );
        let i = &r["import"];
        assert_eq!(i["rowCount"], 12, "9 March rows + 3 April rows");
        assert_eq!(i["periodFrom"], "2026-03-02");
        assert_eq!(i["periodTo"], "2026-04-02");
        assert_eq!(i["importedBy"], "tester");
        assert_eq!(i["fileName"], "oslobygg-2026-mars-april.xlsx");
        assert_eq!(i["sha256"].as_str().unwrap().len(), 64);
        assert_eq!(codes(&i["warnings"]), ["TOTALS_ROW", "TOTALS_ROW"]);
        assert_eq!(i["total"]["relevantHours"], "81.50");
        let t = &r["total"];
        assert_eq!(t["key"], "total");
        assert_eq!(
            (
                &t["skilledHours"],
                &t["apprenticeHours"],
                &t["unskilledHours"],
                &t["administrativeHours"],
                &t["relevantHours"]
            ),
            (
                &json!("30.50"),
                &json!("28.50"),
                &json!("22.50"),
                &json!("4.00"),
                &json!("81.50")
            )
        );
        close(&t["skilledShare"], 30.5 / 81.5 * 100.0);
        close(&t["apprenticeShare"], 28.5 / 81.5 * 100.0);
        close(
            &t["averageContractSkilledShare"],
            (23.0 / 53.0 + 7.5 / 28.5) / 2.0 * 100.0,
        );
        close(
            &t["averageContractApprenticeShare"],
            (22.5 / 53.0 + 6.0 / 28.5) / 2.0 * 100.0,
        );
        assert_eq!(t["apprenticeCount"], 3);
        // 37.4 % < 50 %; 35.0 % >= 10 %.
        assert_eq!(
            (&t["meetsSkilledTarget"], &t["meetsApprenticeTarget"]),
            (&json!(false), &json!(true))
        );

        let d = app
            .ok(
                &app.admin(),
                "{ hmsregImports { totalCount edges { node { fileName rowCount } } } }",
                json!({}),
            )
            .await;
        assert_eq!(d["hmsregImports"]["totalCount"], 1);

        // The same file again: DUPLICATE_FILE, nothing written.
        let again = import(&app, "kopi.xlsx", OSLOBYGG, false).await;
        assert_eq!(again["status"], "REJECTED");
        assert!(codes(&again["issues"]).contains(&"DUPLICATE_FILE".to_string()));
        assert_eq!(again["import"], Value::Null);
        assert_eq!(again["total"], Value::Null);
        assert_eq!(app.count_hmsreg_imports().await, 1);
    }
}

#[tokio::test]
async fn shares_by_every_grouping_and_filter() {
    for app in apps().await {
        import(&app, "oslobygg-2026-mars-april.xlsx", OSLOBYGG, false).await;
        let csv = import(&app, "bymiljoetaten-2026-q1.csv", BYMILJO, false).await;
        assert_eq!(csv["status"], "ACCEPTED", "[{}] {csv}", app.backend);
        assert_eq!(codes(&csv["issues"]), ["NO_WORKER_COLUMN", "TOTALS_ROW"]);
        assert_eq!(
            csv["issues"][1]["row"], 8,
            "the Sum line is line 8 of the CSV"
        );
        let climate = app.climate();

        // Everything: skilled 30.5 + 220.5 = 251, apprentice 28.5 + 20 = 48.5, unskilled 22.5 + 80 = 102.5.
        let total = shares(&app, &climate, json!(null), "TOTAL").await;
        assert_eq!(total.len(), 1);
        let t = &total[0];
        assert_eq!(
            (
                &t["skilledHours"],
                &t["apprenticeHours"],
                &t["unskilledHours"],
                &t["relevantHours"]
            ),
            (
                &json!("251.00"),
                &json!("48.50"),
                &json!("102.50"),
                &json!("402.00")
            ),
            "[{}]",
            app.backend
        );
        close(&t["skilledShare"], 251.0 / 402.0 * 100.0);
        close(
            &t["averageContractSkilledShare"],
            (23.0 / 53.0 + 7.5 / 28.5 + 220.5 / 320.5) / 3.0 * 100.0,
        );
        close(
            &t["averageContractApprenticeShare"],
            (22.5 / 53.0 + 6.0 / 28.5 + 20.0 / 320.5) / 3.0 * 100.0,
        );
        assert_eq!(t["apprenticeCount"], 3);

        let keys = |groups: &[Value]| {
            groups
                .iter()
                .map(|g| g["key"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        // "BYMILJØETATEN" on one CSV line is the same agency, shown as first written.
        let agency = shares(&app, &climate, json!(null), "AGENCY").await;
        assert_eq!(keys(&agency), ["Bymiljøetaten", "Oslobygg KF"]);
        assert_eq!(agency[0]["relevantHours"], "320.50");
        close(&agency[0]["skilledShare"], 220.5 / 320.5 * 100.0);
        assert_eq!(agency[0]["apprenticeCount"], 0);
        assert_eq!(agency[1]["relevantHours"], "81.50");

        let suppliers = shares(&app, &climate, json!(null), "SUPPLIER").await;
        assert_eq!(keys(&suppliers), ["303817808", "315771889", "355974758"]);
        assert_eq!(
            (
                &suppliers[0]["relevantHours"],
                &suppliers[0]["administrativeHours"]
            ),
            (&json!("53.00"), &json!("4.00"))
        );
        assert_eq!(suppliers[0]["apprenticeCount"], 2);

        let contracts = shares(&app, &climate, json!(null), "CONTRACT").await;
        assert_eq!(
            keys(&contracts),
            [
                "BYM-2025-17 Drift av grøntarealer",
                "OBY-2026-001 Tøyen skole",
                "OBY-2026-002 Furuset bad"
            ]
        );
        close(&contracts[2]["apprenticeShare"], 6.0 / 28.5 * 100.0);

        // Trades: the admin hours had none; Tømrer = skilled 23, apprentice 22.5; Betong = unskilled 7.5.
        let trades = shares(&app, &climate, json!(null), "TRADE").await;
        assert_eq!(
            keys(&trades),
            ["(none)", "Anleggsgartner", "Betong", "Rørlegger", "Tømrer"]
        );
        assert_eq!(
            (
                &trades[0]["relevantHours"],
                &trades[0]["skilledShare"],
                &trades[0]["meetsSkilledTarget"]
            ),
            (&json!("0.00"), &Value::Null, &Value::Null)
        );
        assert_eq!(
            (&trades[2]["skilledShare"], &trades[2]["meetsSkilledTarget"]),
            (&json!(0.0), &json!(false))
        );
        close(&trades[4]["skilledShare"], 23.0 / 45.5 * 100.0);
        assert_eq!(trades[4]["apprenticeCount"], 2);

        let months = shares(&app, &climate, json!(null), "MONTH").await;
        assert_eq!(keys(&months), ["2026-01", "2026-02", "2026-03", "2026-04"]);
        // March: skilled 15.5 + 7.5, apprentice 7.5 + 6, unskilled 7.5 + 15.
        assert_eq!(
            (
                &months[2]["skilledHours"],
                &months[2]["apprenticeHours"],
                &months[2]["unskilledHours"]
            ),
            (&json!("23.00"), &json!("13.50"), &json!("22.50"))
        );
        assert_eq!(months[2]["apprenticeCount"], 2);
        let quarters = shares(&app, &climate, json!(null), "QUARTER").await;
        assert_eq!(keys(&quarters), ["2026-Q1", "2026-Q2"]);
        assert_eq!(
            (
                &quarters[0]["skilledHours"],
                &quarters[0]["apprenticeHours"]
            ),
            (&json!("243.50"), &json!("33.50"))
        );
        // Q2 is April: HMS 1002 and HMS 1005.
        assert_eq!(
            (
                &quarters[1]["relevantHours"],
                &quarters[1]["apprenticeCount"]
            ),
            (&json!("22.50"), &json!(2))
        );
        let years = shares(&app, &climate, json!(null), "YEAR").await;
        assert_eq!(keys(&years), ["2026"]);
        assert_eq!(years[0]["relevantHours"], "402.00");

        // Filters: months, agency and contract as typed by a person, supplier with spaces, import.
        // March: OBY-2026-001 15.5 + 7.5 + 7.5 = 30.5, OBY-2026-002 28.5.
        let march = shares(
            &app,
            &climate,
            json!({ "from": "2026-03-15", "to": "2026-03-20" }),
            "TOTAL",
        )
        .await;
        assert_eq!(march[0]["relevantHours"], "59.00");
        let q1 = shares(
            &app,
            &climate,
            json!({ "from": "2026-01-31", "to": "2026-03-01" }),
            "TOTAL",
        )
        .await;
        assert_eq!(q1[0]["skilledHours"], "243.50");
        let oslo = shares(
            &app,
            &climate,
            json!({ "agency": "  oslobygg   kf " }),
            "TOTAL",
        )
        .await;
        assert_eq!(oslo[0]["relevantHours"], "81.50");
        let furuset = shares(
            &app,
            &climate,
            json!({ "contract": "oby-2026-002 FURUSET bad" }),
            "TOTAL",
        )
        .await;
        assert_eq!(furuset[0]["relevantHours"], "28.50");
        let holmen = shares(
            &app,
            &climate,
            json!({ "supplierOrgNumber": "303 817 808" }),
            "MONTH",
        )
        .await;
        assert_eq!(keys(&holmen), ["2026-03", "2026-04"]);
        let by_import = shares(
            &app,
            &climate,
            json!({ "importId": csv["import"]["id"] }),
            "TOTAL",
        )
        .await;
        assert_eq!(by_import[0]["relevantHours"], "320.50");
        let none = shares(&app, &climate, json!({ "agency": "Ukjent etat" }), "TOTAL").await;
        assert_eq!(
            (&none[0]["relevantHours"], &none[0]["skilledShare"]),
            (&json!("0.00"), &Value::Null)
        );
        assert!(
            shares(&app, &climate, json!({ "agency": "Ukjent etat" }), "AGENCY")
                .await
                .is_empty()
        );
        let (code, body) = app
            .error_code(
                Some(&climate),
                SHARES,
                json!({ "f": { "supplierOrgNumber": "303817809" }, "g": "TOTAL" }),
            )
            .await;
        assert_eq!(
            (code.as_str(), &body["errors"][0]["extensions"]["field"]),
            ("BAD_USER_INPUT", &json!("supplierOrgNumber"))
        );
    }
}

#[tokio::test]
async fn a_buyer_sees_only_its_agency_and_status_shows_the_workforce() {
    for app in apps().await {
        import(&app, "oslobygg-2026-mars-april.xlsx", OSLOBYGG, false).await;
        import(&app, "bymiljoetaten-2026-q1.csv", BYMILJO, false).await;
        let buyer = app.buyer("Bymiljøetaten");
        let groups = shares(&app, &buyer, json!(null), "AGENCY").await;
        assert_eq!(groups.len(), 1, "[{}]", app.backend);
        assert_eq!(groups[0]["key"], "Bymiljøetaten");
        // Asking for another agency's hours gives nothing, not an error.
        let other = shares(&app, &buyer, json!({ "agency": "Oslobygg KF" }), "TOTAL").await;
        assert_eq!(other[0]["relevantHours"], "0.00");

        let status = "query($o: String!) { supplierStatus(orgNumber: $o) { workforce { key relevantHours apprenticeCount } } }";
        let d = app
            .ok(&app.adviser(), status, json!({ "o": "303817808" }))
            .await;
        assert_eq!(
            d["supplierStatus"]["workforce"],
            json!({ "key": "total", "relevantHours": "53.00", "apprenticeCount": 2 })
        );
        // Holmen worked only for Oslobygg: a Bymiljøetaten buyer sees no hours.
        let d = app.ok(&buyer, status, json!({ "o": "303817808" })).await;
        assert_eq!(d["supplierStatus"]["workforce"], Value::Null);
        let d = app
            .ok(
                &app.buyer("oslobygg kf"),
                status,
                json!({ "o": "303817808" }),
            )
            .await;
        assert_eq!(d["supplierStatus"]["workforce"]["relevantHours"], "53.00");

        for token in [app.buyer("Oslobygg KF"), app.climate()] {
            let (status, body) = app
                .upload(Some(&token), IMPORT, json!({}), "x.csv", b"a;b".to_vec())
                .await;
            // Refused before the file is read.
            assert_eq!(status, 403);
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "FORBIDDEN",
                "[{}]",
                app.backend
            );
            let (code, _) = app
                .error_code(Some(&token), "{ hmsregImports { totalCount } }", json!({}))
                .await;
            assert_eq!(code, "FORBIDDEN");
        }
        let (_, body) = app
            .upload(None, IMPORT, json!({}), "x.csv", b"a;b".to_vec())
            .await;
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
        let (code, _) = app.error_code(None, SHARES, json!({ "g": "TOTAL" })).await;
        assert_eq!(code, "UNAUTHENTICATED");
    }
}

/// A bad file: name, bytes, the error code, and where (row, column) when a cell is to blame.
type BadFile = (
    &'static str,
    Vec<u8>,
    &'static str,
    Option<(i64, &'static str)>,
);

/// A workbook with the standard header in row 1 and `rows` below it (text cells).
fn workbook(rows: &[[&str; 7]]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Timer").unwrap();
    for (c, h) in [
        "Dato",
        "Orgnr",
        "Oppdragsgiver",
        "Prosjekt",
        "HMS-kort",
        "Kategori",
        "Timer",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_re_export_replaces_exactly_the_overlapping_contract_months() {
    for app in apps().await {
        let first = import(&app, "oslobygg-2026-mars-april.xlsx", OSLOBYGG, false).await;
        let first_id = first["import"]["id"].as_str().unwrap().to_string();
        // Corrected March for OBY-2026-001 only: 10 skilled hours instead of the March rows.
        let fix = workbook(&[[
            "02.03.2026",
            "303817808",
            "Oslobygg KF",
            "oby-2026-001 tøyen skole",
            "HMS 1001",
            "Faglært",
            "10",
        ]]);
        let dry = import(&app, "korrigert.xlsx", &fix, true).await;
        assert_eq!(
            (&dry["status"], &dry["import"]),
            (&json!("ACCEPTED"), &Value::Null),
            "[{}] {dry}",
            app.backend
        );
        assert_eq!(dry["total"]["skilledHours"], "10.00");
        let totals = shares(&app, &app.adviser(), json!(null), "TOTAL").await;
        assert_eq!(
            totals[0]["relevantHours"], "81.50",
            "a dry run writes nothing"
        );

        let r = import(&app, "korrigert.xlsx", &fix, false).await;
        assert_eq!(r["status"], "ACCEPTED");
        let replaced: Vec<&Value> = r["issues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["code"] == "REPLACED")
            .collect();
        assert_eq!(replaced.len(), 1);
        let message = replaced[0]["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("import {first_id}")) && message.contains("2026-03"),
            "{message}"
        );
        // Before: 81.5 relevant. OBY-2026-001 March had 15.5 + 7.5 + 7.5 = 30.5 relevant (+ 4 admin);
        // now 10. April and OBY-2026-002 stay: 81.5 - 30.5 + 10 = 61.
        let t = &shares(&app, &app.adviser(), json!(null), "TOTAL").await[0];
        assert_eq!(
            (
                &t["relevantHours"],
                &t["administrativeHours"],
                &t["skilledHours"]
            ),
            (&json!("61.00"), &json!("0.00"), &json!("25.00")),
            "[{}]",
            app.backend
        );
        // HMS 1002 lost its March hours but keeps April's: 1002, 1005 and 2004 remain.
        assert_eq!(t["apprenticeCount"], 3);
        let months = shares(
            &app,
            &app.adviser(),
            json!({ "contract": "OBY-2026-001 Tøyen skole" }),
            "MONTH",
        )
        .await;
        assert_eq!(
            months
                .iter()
                .map(|m| m["relevantHours"].clone())
                .collect::<Vec<_>>(),
            [json!("10.00"), json!("22.50")]
        );
    }
}

#[tokio::test]
async fn bad_files_are_rejected_with_the_cell_and_nothing_is_written() {
    for app in apps().await {
        let bad = workbook(&[
            [
                "02.03.2026",
                "974760673",
                "Oslobygg KF",
                "P-1",
                "1",
                "Sjef",
                "7",
            ],
            [
                "02.03.2026",
                "974760674",
                "Oslobygg KF",
                "P-1",
                "1",
                "Faglært",
                "7",
            ],
            [
                "02.03.2026",
                "974760673",
                "Oslobygg KF",
                "P-1",
                "1",
                "Faglært",
                "-2",
            ],
            [
                "02.03.2026",
                "974760673",
                "Oslobygg KF",
                "P-1",
                "1",
                "Faglært",
                "30",
            ],
            [
                "i går",
                "974760673",
                "Oslobygg KF",
                "P-1",
                "1",
                "Faglært",
                "7",
            ],
            [
                "02.03.2026",
                "974760673",
                "Oslobygg KF",
                "P-1",
                "1",
                "Faglært",
                "7,5",
            ],
        ]);
        let r = import(&app, "feil.xlsx", &bad, false).await;
        assert_eq!(r["status"], "REJECTED", "[{}] {r}", app.backend);
        let found: Vec<(String, i64, String)> = r["issues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["severity"] == "ERROR")
            .map(|i| {
                (
                    i["code"].as_str().unwrap().into(),
                    i["row"].as_i64().unwrap(),
                    i["column"].as_str().unwrap().into(),
                )
            })
            .collect();
        let expected = [
            ("UNKNOWN_CATEGORY", 2, "F"),
            ("INVALID_ORG_NUMBER", 3, "B"),
            ("NEGATIVE_HOURS", 4, "G"),
            ("TOO_MANY_HOURS", 5, "G"),
            ("INVALID_DATE", 6, "A"),
        ];
        assert_eq!(
            found,
            expected.map(|(c, r, l)| (c.to_string(), r, l.to_string())),
            "[{}]",
            app.backend
        );
        assert_eq!((&r["import"], &r["total"]), (&Value::Null, &Value::Null));

        // A sheet declaring a million columns: a value in the last column (XFD) of row 3.
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in ["Dato", "Orgnr", "Prosjekt", "Kategori", "Timer"]
            .iter()
            .enumerate()
        {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (c, v) in ["02.03.2026", "974760673", "P-1", "Faglært", "7"]
            .iter()
            .enumerate()
        {
            ws.write_string(1, c as u16, *v).unwrap();
        }
        ws.write_string(2, 16_383, "x").unwrap();
        let wide = wb.save_to_buffer().unwrap();

        let mut truncated = OSLOBYGG.to_vec();
        truncated.truncate(OSLOBYGG.len() / 2);
        let headerless = b"Navn;Adresse\nKari;Oslo\n".to_vec();
        let header_only = b"Dato;Orgnr;Prosjekt;Kategori;Timer\n;;;;\nSum;;;;0\n".to_vec();
        let cases: Vec<BadFile> = vec![
            (
                "rapport.pdf",
                b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n".to_vec(),
                "UNREADABLE_FILE",
                None,
            ),
            ("timer.xlsx", truncated, "UNREADABLE_FILE", None),
            ("tom.csv", Vec::new(), "UNREADABLE_FILE", None),
            (
                "passordbeskyttet.xlsx",
                PASSWORD.to_vec(),
                "PASSWORD_PROTECTED",
                None,
            ),
            ("bred.xlsx", wide, "TOO_MANY_COLUMNS", Some((3, "XFD"))),
            ("ingen-header.csv", headerless, "NO_HEADER", None),
            ("bare-header.csv", header_only, "NO_ROWS", None),
        ];
        for (name, bytes, code, place) in cases {
            let r = import(&app, name, &bytes, false).await;
            assert_eq!(r["status"], "REJECTED", "[{}] {name}: {r}", app.backend);
            let error = r["issues"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["severity"] == "ERROR")
                .unwrap_or_else(|| panic!("{name}: {r}"));
            assert_eq!(error["code"], code, "[{}] {name}: {r}", app.backend);
            assert!(!error["message"].as_str().unwrap().is_empty());
            if let Some((row, column)) = place {
                assert_eq!(
                    (&error["row"], &error["column"]),
                    (&json!(row), &json!(column)),
                    "{name}"
                );
            }
        }
        assert_eq!(
            app.count_hmsreg_imports().await,
            0,
            "[{}] nothing written",
            app.backend
        );
        let t = &shares(&app, &app.admin(), json!(null), "TOTAL").await[0];
        assert_eq!(t["relevantHours"], "0.00");
        // The server is still up.
        assert_eq!(app.get("/health").await.status(), 200);
    }
}

#[tokio::test]
async fn older_formats_read_the_same_and_never_count_twice() {
    // Both files: a title row, the header on row 3 with hours in the first column; then
    // 7.5 skilled hours (A1, 2 March) and 2.5 apprentice hours (A2, 3 March) on P-1.
    let xls = include_bytes!("../../fixtures/hmsreg/formats/timer.xls");
    let ods = include_bytes!("../../fixtures/hmsreg/formats/timer.ods");
    for app in apps().await {
        let first = import(&app, "timer.xls", xls, false).await;
        assert_eq!(first["status"], "ACCEPTED", "[{}] {first}", app.backend);
        let t = &first["total"];
        assert_eq!(
            (
                &t["skilledHours"],
                &t["apprenticeHours"],
                &t["relevantHours"]
            ),
            (&json!("7.50"), &json!("2.50"), &json!("10.00"))
        );
        assert_eq!(
            (
                &t["skilledShare"],
                &t["apprenticeShare"],
                &t["apprenticeCount"]
            ),
            (&json!(75.0), &json!(25.0), &json!(1))
        );
        assert_eq!(
            (&first["import"]["periodFrom"], &first["import"]["periodTo"]),
            (&json!("2026-03-02"), &json!("2026-03-03"))
        );

        // The same hours as .ods: a different file, so it replaces P-1 in March.
        let second = import(&app, "timer.ods", ods, false).await;
        assert_eq!(second["status"], "ACCEPTED", "[{}] {second}", app.backend);
        assert_eq!(second["total"], first["total"]);
        assert!(codes(&second["issues"]).contains(&"REPLACED".to_string()));
        let all = &shares(&app, &app.adviser(), json!(null), "TOTAL").await[0];
        assert_eq!(
            all["relevantHours"], "10.00",
            "[{}] never counted twice",
            app.backend
        );
        assert_eq!(all["apprenticeCount"], 1);
    }
}
