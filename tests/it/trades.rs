//! Relevant trades (docs/rules.md, Relevant trades): the trade catalogue, the two share
//! denominators, UNKNOWN_TRADE, hyphens and lærekandidat in categories; and the pair grouping
//! of the quarterly agency report (`workforceShares(thenBy)`). On SQLite and PostgreSQL, every
//! figure worked out by hand from the files below.

use serde_json::{Value, json};

use crate::common::{TestApp, apps, issue_codes};

const IMPORT: &str = "mutation($file: Upload!, $dry: Boolean) { importHmsreg(file: $file, dryRun: $dry) {
    status issues { severity code message sheet row column }
    total { relevantHours skilledBaseHours apprenticeBaseHours skilledShare apprenticeShare apprenticeCount } } }";

const SHARES: &str = "query($f: WorkforceFilter, $g: WorkforceGrouping!, $t: WorkforceGrouping) {
  workforceShares(filter: $f, groupBy: $g, thenBy: $t) {
    key subKey skilledHours apprenticeHours unskilledHours administrativeHours relevantHours
    skilledBaseHours apprenticeBaseHours skilledShare apprenticeShare averageContractSkilledShare
    apprenticeCount meetsSkilledTarget meetsApprenticeTarget } }";

async fn import(app: &TestApp, name: &str, csv: &str, dry: bool) -> Value {
    app.import(IMPORT, name, csv.as_bytes().to_vec(), dry).await
}

async fn shares(app: &TestApp, token: &str, group: &str, then: Value) -> Vec<Value> {
    let d = app
        .ok(token, SHARES, json!({ "f": null, "g": group, "t": then }))
        .await;
    d["workforceShares"].as_array().unwrap().clone()
}

fn close(actual: &Value, expected: f64) {
    let a = actual
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {actual}"));
    assert!((a - expected).abs() < 1e-9, "{a} != {expected}");
}

/// One contract, January 2026. Header row 1; G is the trade column.
///   row 2  Tømrerfaget   (craft)   skilled 60
///   row 3  Tømrer        (craft)   apprentice 10 (A2)
///   row 4  Elektro       (craft)   unskilled 30, written "ikke-faglært"
///   row 5  Prosjektleder (office)  skilled 40
///   row 6  Byggeleder    (office)  unskilled 10
///   row 7  Sjakkmester   (unknown) apprentice 5, written "Lærekandidat" (A6)
///   row 8  no trade                skilled 15
///   row 9  Prosjektleder (office)  administrative 20
///   row 10 sjakkmester   (unknown) skilled 5
/// Every category: skilled 60 + 40 + 15 + 5 = 120, apprentice 10 + 5 = 15, unskilled
/// 30 + 10 = 40, administrative 20; relevant 120 + 15 + 40 = 175.
/// Both bases (every craft trade is an apprentice trade; unknown and missing count in both):
/// Tømrer 70 + Elektro 30 + Sjakkmester 10 + none 15 = 125.
/// skilledShare = (60 + 5 + 15) / 125 = 64 %; apprenticeShare = (10 + 5) / 125 = 12 %.
/// Before the catalogue: 120 / 175 = 68.6 % and 15 / 175 = 8.6 % (below the 10 % target).
const MIXED: &str = "Periode;Orgnr;Oppdragsgiver;Kontrakt;HMS-kort;Kategori;Fag;Timer
2026-01;974760673;Oslobygg KF;K-1 Skole;A1;Faglært;Tømrerfaget;60
2026-01;974760673;Oslobygg KF;K-1 Skole;A2;Lærling;Tømrer;10
2026-01;974760673;Oslobygg KF;K-1 Skole;A3;ikke-faglært;Elektro;30
2026-01;974760673;Oslobygg KF;K-1 Skole;A4;Faglært;Prosjektleder;40
2026-01;974760673;Oslobygg KF;K-1 Skole;A5;Ufaglært;Byggeleder;10
2026-01;974760673;Oslobygg KF;K-1 Skole;A6;Lærekandidat;Sjakkmester;5
2026-01;974760673;Oslobygg KF;K-1 Skole;A7;Faglært;;15
2026-01;974760673;Oslobygg KF;K-1 Skole;A8;Administrativ;Prosjektleder;20
2026-01;974760673;Oslobygg KF;K-1 Skole;A9;Faglært;sjakkmester;5
";

#[tokio::test]
async fn office_roles_leave_the_denominators_and_unknown_trades_warn_with_their_hours() {
    for app in apps().await {
        let b = app.backend;
        // A dry run already warns, once for both spellings of the unknown trade, pointing at
        // its first cell (row 7, column G) and naming its 5 + 5 hours.
        for dry in [true, false] {
            let r = import(&app, "blandet.csv", MIXED, dry).await;
            assert_eq!(r["status"], "ACCEPTED", "[{b}] {r}");
            assert_eq!(issue_codes(&r["issues"]), ["UNKNOWN_TRADE"], "[{b}] {r}");
            let w = &r["issues"][0];
            assert_eq!(
                (&w["severity"], &w["sheet"], &w["row"], &w["column"]),
                (
                    &json!("WARNING"),
                    &json!("blandet.csv"),
                    &json!(7),
                    &json!("G")
                ),
                "[{b}]"
            );
            let message = w["message"].as_str().unwrap();
            assert!(
                message.contains("'Sjakkmester'") && message.contains("its 10 hours"),
                "[{b}] {message}"
            );
            let t = &r["total"];
            assert_eq!(
                (
                    &t["relevantHours"],
                    &t["skilledBaseHours"],
                    &t["apprenticeBaseHours"]
                ),
                (&json!("175.00"), &json!("125.00"), &json!("125.00")),
                "[{b}]"
            );
            close(&t["skilledShare"], 64.0);
            close(&t["apprenticeShare"], 12.0);
            // A2 and the lærekandidat A6.
            assert_eq!(t["apprenticeCount"], 2, "[{b}]");
        }

        let total = &shares(&app, &app.climate(), "TOTAL", json!(null)).await[0];
        assert_eq!(total["subKey"], Value::Null);
        assert_eq!(
            (
                &total["skilledHours"],
                &total["apprenticeHours"],
                &total["unskilledHours"],
                &total["administrativeHours"]
            ),
            (
                &json!("120.00"),
                &json!("15.00"),
                &json!("40.00"),
                &json!("20.00")
            ),
            "[{b}]"
        );
        close(&total["skilledShare"], 64.0);
        close(&total["averageContractSkilledShare"], 64.0);
        // 12 % >= 10 %: the office hours had held it at 8.6 %.
        assert_eq!(
            (
                &total["meetsSkilledTarget"],
                &total["meetsApprenticeTarget"]
            ),
            (&json!(true), &json!(true))
        );

        // Per trade: an office role has hours but no base, so no shares; an unknown trade
        // counts in both. Keys in byte order, each trade as first written.
        let trades = shares(&app, &app.climate(), "TRADE", json!(null)).await;
        let keys: Vec<&str> = trades.iter().map(|t| t["key"].as_str().unwrap()).collect();
        assert_eq!(
            keys,
            [
                "(none)",
                "Byggeleder",
                "Elektro",
                "Prosjektleder",
                "Sjakkmester",
                "Tømrer",
                "Tømrerfaget"
            ],
            "[{b}]"
        );
        let pl = &trades[3];
        assert_eq!(
            (
                &pl["relevantHours"],
                &pl["skilledBaseHours"],
                &pl["skilledShare"],
                &pl["meetsSkilledTarget"]
            ),
            (&json!("40.00"), &json!("0.00"), &Value::Null, &Value::Null),
            "[{b}]"
        );
        // Sjakkmester: skilled 5, apprentice 5 -> 50 % each.
        assert_eq!(trades[4]["skilledBaseHours"], "10.00");
        close(&trades[4]["skilledShare"], 50.0);
        close(&trades[4]["apprenticeShare"], 50.0);
    }
}

/// K-2025 in 2025: Tømrer skilled 40, unskilled 60; an Ingeniør registered as Faglært, 40.
/// Before the catalogue: 80 / 140 = 57.1 %, above the 50 % target. Now: the Tømrer hours
/// alone, 40 / 100 = 40 %, below. 2026: Tømrer skilled 60, unskilled 40: 60 % either way.
const FLIP: &str = "Periode;Orgnr;Oppdragsgiver;Kontrakt;Kategori;Fag;Timer
2025-03;974760673;Oslobygg KF;K-2025;Faglært;Tømrer;40
2025-03;974760673;Oslobygg KF;K-2025;Ufaglært;Tømrer;60
2025-03;974760673;Oslobygg KF;K-2025;Faglært;Ingeniør;40
2026-02;974760673;Oslobygg KF;K-2025;Faglært;Tømrer;60
2026-02;974760673;Oslobygg KF;K-2025;Ufaglært;Tømrer;40
";

#[tokio::test]
async fn the_year_office_roles_held_above_the_skilled_target_falls_below_it() {
    for app in apps().await {
        let b = app.backend;
        let r = import(&app, "flip.csv", FLIP, false).await;
        assert_eq!(r["status"], "ACCEPTED", "[{b}] {r}");
        let years = shares(&app, &app.adviser(), "YEAR", json!(null)).await;
        let y2025 = &years[0];
        assert_eq!(y2025["key"], "2025");
        assert_eq!(
            (&y2025["relevantHours"], &y2025["skilledBaseHours"]),
            (&json!("140.00"), &json!("100.00")),
            "[{b}]"
        );
        close(&y2025["skilledShare"], 40.0);
        assert_eq!(y2025["meetsSkilledTarget"], false, "[{b}]");
        close(&years[1]["skilledShare"], 60.0);
        assert_eq!(years[1]["meetsSkilledTarget"], true, "[{b}]");

        // The follow-up of a tender that requires skilled workers counts the same way: BELOW
        // in 2025 (it would have been MEETS with the engineer counted).
        let tender = crate::followup::tender(
            "Oslobygg KF",
            json!([{ "code": "SKILLED_WORKERS", "form": "MINIMUM_REQUIREMENT" }]),
            json!(["K-2025"]),
        );
        app.ok(
            &app.adviser(),
            "mutation($i: TenderInput!) { createTender(input: $i) { id } }",
            json!({ "i": tender }),
        )
        .await;
        let d = app
            .ok(
                &app.adviser(),
                "query($f: FollowUpFilter) { contractFollowUp(filter: $f) { contract skilledStatus workforce { relevantHours skilledBaseHours skilledShare } } }",
                json!({ "f": { "from": "2025-01-01", "to": "2025-12-31" } }),
            )
            .await;
        let row = &d["contractFollowUp"][0];
        assert_eq!(
            (
                &row["contract"],
                &row["skilledStatus"],
                &row["workforce"]["relevantHours"],
                &row["workforce"]["skilledBaseHours"]
            ),
            (
                &json!("K-2025"),
                &json!("BELOW"),
                &json!("140.00"),
                &json!("100.00")
            ),
            "[{b}] {d}"
        );
        close(&row["workforce"]["skilledShare"], 40.0);
    }
}

/// Oslobygg KF (also written "OBY", its alias), K-1 and K-2:
///   Q1: apprentice L1 10 (Jan) + 10 (Feb, as OBY), skilled 30 -> relevant 50, skilled 60 %,
///       apprentice 40 %, one apprentice (L1 twice);
///   Q2: apprentice L1 5 (Apr) and L2 5 (May), unskilled 40 -> relevant 50, skilled 0 %,
///       apprentice 20 %, two apprentices.
const OSLOBYGG: &str = "Periode;Orgnr;Oppdragsgiver;Kontrakt;HMS-kort;Kategori;Fag;Timer
2026-01;974760673;Oslobygg KF;K-1;L1;Lærling;Tømrer;10
2026-02;974760673;OBY;K-1;L1;Lærling;Tømrer;10
2026-02;974760673;Oslobygg KF;K-1;F1;Faglært;Tømrer;30
2026-04;974760673;Oslobygg KF;K-2;L1;Lærling;Maler;5
2026-05;974760673;Oslobygg KF;K-2;L2;Lærling;Maler;5
2026-05;974760673;Oslobygg KF;K-2;F2;Ufaglært;Maler;40
";

/// Bymiljøetaten (also "BYM"), B-1:
///   Q1: skilled 50, unskilled 50 -> 50 % (meets), apprentice 0 %;
///   Q3: apprentice L3 10 (Anleggsgartner), skilled 10 as Prosjektleder (an office role):
///       relevant 20, both bases 10: skilled 0 %, apprentice 100 %.
const BYM: &str = "Periode;Orgnr;Oppdragsgiver;Kontrakt;HMS-kort;Kategori;Fag;Timer
2026-03;315771889;Bymiljøetaten;B-1;F3;Faglært;Anleggsgartner;50
2026-03;315771889;Bymiljøetaten;B-1;F4;Ufaglært;Anleggsgartner;50
2026-07;315771889;BYM;B-1;L3;Lærling;Anleggsgartner;10
2026-07;315771889;Bymiljøetaten;B-1;F3;Faglært;Prosjektleder;10
";

/// (key, subKey, relevant hours, skilled share, apprentice share, apprentices) of each row.
fn matrix(rows: &[Value]) -> Vec<(String, String, String, f64, f64, i64)> {
    rows.iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap().to_string(),
                r["subKey"].as_str().unwrap().to_string(),
                r["relevantHours"].as_str().unwrap().to_string(),
                r["skilledShare"].as_f64().unwrap(),
                r["apprenticeShare"].as_f64().unwrap(),
                r["apprenticeCount"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn cell(
    key: &str,
    sub: &str,
    relevant: &str,
    skilled: f64,
    apprentice: f64,
    count: i64,
) -> (String, String, String, f64, f64, i64) {
    (
        key.into(),
        sub.into(),
        relevant.into(),
        skilled,
        apprentice,
        count,
    )
}

#[tokio::test]
async fn agency_then_quarter_is_the_quarterly_report_matrix() {
    for app in apps().await {
        let b = app.backend;
        let query = json!({ "f": null, "g": "AGENCY", "t": "QUARTER" });
        import(&app, "oby.csv", OSLOBYGG, false).await;
        app.reset_statements();
        let first = app.ok(&app.climate(), SHARES, query.clone()).await;
        let statements = app.statements();
        assert_eq!(
            matrix(first["workforceShares"].as_array().unwrap()),
            [
                cell("Oslobygg KF", "2026-Q1", "50.00", 60.0, 40.0, 1),
                cell("Oslobygg KF", "2026-Q2", "50.00", 0.0, 20.0, 2),
            ],
            "[{b}]"
        );

        import(&app, "bym.csv", BYM, false).await;
        app.reset_statements();
        let rows = shares(&app, &app.climate(), "AGENCY", json!("QUARTER")).await;
        // Twice the rows, the same statements: the pairs come from one grouped query.
        assert_eq!(
            app.statements(),
            statements,
            "[{b}] {:?}",
            app.statement_log()
        );
        assert_eq!(
            matrix(&rows),
            [
                cell("Bymiljøetaten", "2026-Q1", "100.00", 50.0, 0.0, 0),
                cell("Bymiljøetaten", "2026-Q3", "20.00", 0.0, 100.0, 1),
                cell("Oslobygg KF", "2026-Q1", "50.00", 60.0, 40.0, 1),
                cell("Oslobygg KF", "2026-Q2", "50.00", 0.0, 20.0, 2),
            ],
            "[{b}]"
        );
        assert_eq!(
            (&rows[0]["meetsSkilledTarget"], &rows[1]["skilledBaseHours"]),
            (&json!(true), &json!("10.00"))
        );

        // The other way round, sorted by quarter then agency.
        let by_quarter = shares(&app, &app.climate(), "QUARTER", json!("AGENCY")).await;
        let pairs: Vec<(&str, &str)> = by_quarter
            .iter()
            .map(|r| (r["key"].as_str().unwrap(), r["subKey"].as_str().unwrap()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("2026-Q1", "Bymiljøetaten"),
                ("2026-Q1", "Oslobygg KF"),
                ("2026-Q2", "Oslobygg KF"),
                ("2026-Q3", "Bymiljøetaten"),
            ],
            "[{b}]"
        );
        // Without thenBy, the agencies alone: L1 counts once over both quarters.
        let agencies = shares(&app, &app.climate(), "AGENCY", json!(null)).await;
        assert_eq!(agencies[1]["key"], "Oslobygg KF");
        assert_eq!(agencies[1]["subKey"], Value::Null);
        assert_eq!(agencies[1]["apprenticeCount"], 2, "[{b}]");

        // A buyer gets its own agency's rows only.
        let buyer = app.buyer("OBY");
        let own = shares(&app, &buyer, "AGENCY", json!("QUARTER")).await;
        assert_eq!(
            matrix(&own),
            [
                cell("Oslobygg KF", "2026-Q1", "50.00", 60.0, 40.0, 1),
                cell("Oslobygg KF", "2026-Q2", "50.00", 0.0, 20.0, 2),
            ],
            "[{b}]"
        );

        // thenBy equal to groupBy is refused, naming thenBy.
        let (code, body) = app
            .error_code(
                Some(&app.climate()),
                SHARES,
                json!({ "f": null, "g": "QUARTER", "t": "QUARTER" }),
            )
            .await;
        assert_eq!(
            (code.as_str(), &body["errors"][0]["extensions"]["field"]),
            ("BAD_USER_INPUT", &json!("thenBy")),
            "[{b}]"
        );
    }
}

#[tokio::test]
async fn every_signed_in_role_reads_the_trade_catalogue_by_name() {
    for app in apps().await {
        let query = "{ trades { name craft apprenticeTrade spellings } }";
        let (code, _) = app.error_code(None, query, json!({})).await;
        assert_eq!(code, "UNAUTHENTICATED");
        for token in [
            app.admin(),
            app.adviser(),
            app.climate(),
            app.buyer("Oslobygg KF"),
        ] {
            let d = app.ok(&token, query, json!({})).await;
            let trades = d["trades"].as_array().unwrap();
            let names: Vec<String> = trades
                .iter()
                .map(|t| t["name"].as_str().unwrap().to_lowercase())
                .collect();
            let mut sorted = names.clone();
            sorted.sort();
            assert_eq!(names, sorted);
            let find = |n: &str| trades.iter().find(|t| t["name"] == n).unwrap();
            let tomrer = find("Tømrer");
            assert_eq!(
                (&tomrer["craft"], &tomrer["apprenticeTrade"]),
                (&json!(true), &json!(true))
            );
            assert!(
                tomrer["spellings"]
                    .as_array()
                    .unwrap()
                    .contains(&json!("Tømrerfaget"))
            );
            let pl = find("Prosjektleder");
            assert_eq!(
                (&pl["craft"], &pl["apprenticeTrade"]),
                (&json!(false), &json!(false))
            );
        }
    }
}
