//! The annual goal table and the quarterly agency report, from hours and tenders built so
//! that every figure can be worked out by hand (docs/rules.md, The annual goal table,
//! Quarterly agency report).

use serde_json::{Value, json};

use crate::common::{TestApp, apps};

/// No trade column, so every hour counts in both shares.
/// 2024 (Oslobygg, March): skilled 45, unskilled 55 -> skilled 45 %, apprentices 0 %.
/// 2025 (Oslobygg, June): skilled 89, apprentice 20, unskilled 91 -> 200 hours: skilled
///   44.5 % (rounded half up: 45), apprentices 10 %.
/// 2026: Bymiljøetaten, February: skilled 60, apprentice 5, unskilled 35; Oslobygg, May:
///   skilled 30, apprentice 15, unskilled 55. Municipality: skilled 90/200 = 45 %,
///   apprentices 20/200 = 10 %; Oslobygg alone 30 % and 15 %.
const HOURS: &str = "Periode;Orgnr;Oppdragsgiver;Kontrakt;HMS-kort;Kategori;Timer
2024-03;315771889;Oslobygg;K-1;A;Faglært;45
2024-03;315771889;Oslobygg;K-1;B;Ufaglært;55
2025-06;315771889;Oslobygg;K-1;A;Faglært;89
2025-06;315771889;Oslobygg;K-1;C;Lærling;20
2025-06;315771889;Oslobygg;K-1;B;Ufaglært;91
2026-02;315771889;Bymiljøetaten;K-2;D;Faglært;60
2026-02;315771889;Bymiljøetaten;K-2;E;Lærling;5
2026-02;315771889;Bymiljøetaten;K-2;F;Ufaglært;35
2026-05;315771889;Oslobygg;K-1;A;Faglært;30
2026-05;315771889;Oslobygg;K-1;C;Lærling;15
2026-05;315771889;Oslobygg;K-1;B;Ufaglært;55
";

const IMPORT: &str = "mutation($file: Upload!, $dry: Boolean) { importHmsreg(file: $file, dryRun: $dry) { status } }";
const CREATE: &str = "mutation($i: TenderInput!) { createTender(input: $i) { id } }";
const SCORECARD: &str = "query($y: Int!, $a: String) { goalScorecard(year: $y, agency: $a) { id title target year actual rounded deviation history { year actual rounded deviation } } }";

fn transport(agency: &str, day: &str, value: &str, requirement: Option<(&str, &str)>) -> Value {
    let requirements = match requirement {
        Some((code, form)) => json!([{ "code": code, "form": form }]),
        None => json!([]),
    };
    json!({
        "title": "Transport", "agency": agency, "category": "GOODS", "estimatedValue": value,
        "durationMonths": 12, "announcedOn": day, "includesTransport": true, "buildingSite": false,
        "apprenticeTrades": false, "labourCrimeRisk": "LOW", "requirements": requirements
    })
}

/// Transport rule (value >= 500,000 with transport): 2024, Oslobygg satisfied by an award
/// criterion (enough before 2025), Bymiljøetaten missing -> 1 of 2. 2025, Oslobygg: an award
/// criterion no longer enough (missing), biogas as a minimum requirement (satisfied), one
/// without transport (does not apply) -> 1 of 2. 2026, Bymiljøetaten: firm (satisfied), and
/// one under the threshold (does not apply) -> 1 of 1.
async fn setup(app: &TestApp) {
    let r = app
        .import(IMPORT, "aar.csv", HOURS.as_bytes().to_vec(), false)
        .await;
    assert_eq!(r["status"], "ACCEPTED", "[{}] {r}", app.backend);
    let mut no_transport = transport("Oslobygg KF", "2025-05-01", "1000000", None);
    no_transport["includesTransport"] = json!(false);
    for t in [
        transport(
            "Oslobygg",
            "2024-04-01",
            "1000000",
            Some(("ZERO_EMISSION_TRANSPORT", "AWARD_CRITERION")),
        ),
        transport("Bymiljøetaten", "2024-09-01", "1000000", None),
        transport(
            "Oslobygg",
            "2025-03-01",
            "1000000",
            Some(("ZERO_EMISSION_TRANSPORT", "AWARD_CRITERION")),
        ),
        transport(
            "Oslobygg",
            "2025-04-01",
            "1000000",
            Some(("BIOGAS_TRANSPORT", "MINIMUM_REQUIREMENT")),
        ),
        no_transport,
        transport(
            "Bymiljøetaten",
            "2026-02-01",
            "1000000",
            Some(("ZERO_EMISSION_TRANSPORT", "CONTRACT_CLAUSE")),
        ),
        transport("Bymiljøetaten", "2026-03-01", "400000", None),
    ] {
        app.ok(&app.adviser(), CREATE, json!({ "i": t })).await;
    }
}

/// (year, actual, rounded, deviation).
type Figure = (i64, Option<f64>, Option<i64>, Option<i64>);

/// Per indicator, each history year, then the asked year.
fn figures(d: &Value) -> Vec<Vec<Figure>> {
    d["goalScorecard"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let one = |v: &Value| {
                (
                    v["year"].as_i64().unwrap(),
                    v["actual"].as_f64(),
                    v["rounded"].as_i64(),
                    v["deviation"].as_i64(),
                )
            };
            let mut all: Vec<_> = i["history"].as_array().unwrap().iter().map(one).collect();
            all.push(one(i));
            all
        })
        .collect()
}

#[tokio::test]
async fn the_goal_table_has_three_years_of_each_indicator_rounded_as_the_report_prints() {
    for app in apps().await {
        setup(&app).await;
        let climate = app.climate();
        let d = app.ok(&climate, SCORECARD, json!({ "y": 2026 })).await;
        let ids: Vec<&str> = d["goalScorecard"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            ["skilled-share", "apprentice-share", "climate-transport"]
        );
        let targets: Vec<f64> = d["goalScorecard"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["target"].as_f64().unwrap())
            .collect();
        assert_eq!(targets, [50.0, 10.0, 100.0]);
        assert_eq!(
            d["goalScorecard"][1]["title"],
            "Andel timer i relevante fag utført av lærlinger iht. HMSREG"
        );
        assert_eq!(
            figures(&d),
            [
                vec![
                    (2024, Some(45.0), Some(45), Some(-5)),
                    (2025, Some(44.5), Some(45), Some(-5)),
                    (2026, Some(45.0), Some(45), Some(-5))
                ],
                vec![
                    (2024, Some(0.0), Some(0), Some(-10)),
                    (2025, Some(10.0), Some(10), Some(0)),
                    (2026, Some(10.0), Some(10), Some(0))
                ],
                vec![
                    (2024, Some(50.0), Some(50), Some(-50)),
                    (2025, Some(50.0), Some(50), Some(-50)),
                    (2026, Some(100.0), Some(100), Some(0))
                ],
            ],
            "[{}]",
            app.backend
        );
        // One agency, named by an alias: Oslobygg had no transport tender in 2026.
        let d = app
            .ok(&climate, SCORECARD, json!({ "y": 2026, "a": "OBY" }))
            .await;
        assert_eq!(
            figures(&d),
            [
                vec![
                    (2024, Some(45.0), Some(45), Some(-5)),
                    (2025, Some(44.5), Some(45), Some(-5)),
                    (2026, Some(30.0), Some(30), Some(-20))
                ],
                vec![
                    (2024, Some(0.0), Some(0), Some(-10)),
                    (2025, Some(10.0), Some(10), Some(0)),
                    (2026, Some(15.0), Some(15), Some(5))
                ],
                vec![
                    (2024, Some(100.0), Some(100), Some(0)),
                    (2025, Some(50.0), Some(50), Some(-50)),
                    (2026, None, None, None)
                ],
            ],
            "[{}]",
            app.backend
        );
        // Years without data (2027-2029) have no figures.
        let d = app.ok(&climate, SCORECARD, json!({ "y": 2029 })).await;
        assert!(
            figures(&d)
                .iter()
                .flatten()
                .all(|f| f.1.is_none() && f.2.is_none() && f.3.is_none())
        );

        for (variables, field) in [
            (json!({ "y": 1999 }), "year"),
            (json!({ "y": 2101 }), "year"),
            (json!({ "y": 2026, "a": "Oslobyg" }), "agency"),
        ] {
            let (code, body) = app.error_code(Some(&climate), SCORECARD, variables).await;
            assert_eq!(
                (code.as_str(), &body["errors"][0]["extensions"]["field"]),
                ("BAD_USER_INPUT", &json!(field))
            );
        }
        let (code, _) = app
            .error_code(
                Some(&app.buyer("Oslobygg KF")),
                SCORECARD,
                json!({ "y": 2026 }),
            )
            .await;
        assert_eq!(code, "FORBIDDEN");
    }
}

#[tokio::test]
async fn the_quarterly_report_has_agencies_by_quarter_the_total_and_a_chart_per_indicator() {
    use calamine::{Data, Reader, Xlsx};
    for app in apps().await {
        setup(&app).await;
        let get = |token: Option<String>, year: &str| {
            let mut r = app.client.get(format!(
                "{}/exports/quarterly-report.xlsx?year={year}",
                app.address
            ));
            if let Some(t) = token {
                r = r.bearer_auth(t);
            }
            r.send()
        };
        let response = get(Some(app.adviser()), "2026").await.unwrap();
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("kvartalsrapport-2026.xlsx")
        );
        let bytes = response.bytes().await.unwrap().to_vec();
        // A native chart for each sheet (zip entry names are stored uncompressed).
        for part in ["xl/charts/chart1.xml", "xl/charts/chart2.xml"] {
            assert!(
                bytes.windows(part.len()).any(|w| w == part.as_bytes()),
                "{part}"
            );
        }
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(wb.sheet_names(), ["Fagarbeidere", "Lærlinger"]);
        let dash = || Data::String("–".into());
        for (sheet, bym, oby, total) in [
            // Bymiljøetaten in Q1 only (60 %, 5 %), Oslobygg in Q2 only (30 %, 15 %); the year
            // of the municipality 90/200 = 45 % and 20/200 = 10 %.
            ("Fagarbeidere", 60.0, 30.0, 45.0),
            ("Lærlinger", 5.0, 15.0, 10.0),
        ] {
            let s = wb.worksheet_range(sheet).unwrap();
            let row = |r: u32| -> Vec<Data> {
                (0..6)
                    .map(|c| s.get_value((r, c)).cloned().unwrap_or(Data::Empty))
                    .collect()
            };
            assert_eq!(
                row(3),
                [
                    "Virksomhet",
                    "1. kvartal",
                    "2. kvartal",
                    "3. kvartal",
                    "4. kvartal",
                    "Hele året"
                ]
                .map(|h| Data::String(h.into()))
            );
            assert_eq!(
                row(4),
                [
                    Data::String("Bymiljøetaten".into()),
                    Data::Float(bym),
                    dash(),
                    dash(),
                    dash(),
                    Data::Float(bym)
                ],
                "{sheet}"
            );
            assert_eq!(
                row(5),
                [
                    Data::String("Oslobygg KF".into()),
                    dash(),
                    Data::Float(oby),
                    dash(),
                    dash(),
                    Data::Float(oby)
                ],
                "{sheet}"
            );
            assert_eq!(
                row(6),
                [
                    Data::String("Oslo kommune totalt".into()),
                    Data::Float(bym),
                    Data::Float(oby),
                    dash(),
                    dash(),
                    Data::Float(total)
                ],
                "{sheet}"
            );
        }
        assert_eq!(
            get(Some(app.buyer("Oslobygg KF")), "2026")
                .await
                .unwrap()
                .status(),
            403
        );
        assert_eq!(get(None, "2026").await.unwrap().status(), 401);
        assert_eq!(get(Some(app.climate()), "26").await.unwrap().status(), 400);
    }
}

#[tokio::test]
async fn the_demo_shows_a_full_goal_table_and_four_quarters_for_several_agencies() {
    use calamine::{Data, Reader, Xlsx};
    for app in apps().await {
        let context = api::fixtures::FixtureContext {
            hmsreg: crate::common::hmsreg_config(&api::config::Limits::default()),
        };
        api::wiring::load_all(&app.db, &context).await.unwrap();
        let d = app
            .ok(&app.climate(), SCORECARD, json!({ "y": 2025 }))
            .await;
        for indicator in figures(&d) {
            assert_eq!(
                indicator.iter().map(|f| f.0).collect::<Vec<_>>(),
                [2023, 2024, 2025]
            );
            assert!(
                indicator.iter().all(|f| f.1.is_some()),
                "[{}] {indicator:?}",
                app.backend
            );
        }
        let response = app
            .client
            .get(format!(
                "{}/exports/quarterly-report.xlsx?year=2025",
                app.address
            ))
            .bearer_auth(app.climate())
            .send()
            .await
            .unwrap();
        let bytes = response.bytes().await.unwrap().to_vec();
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let s = wb.worksheet_range("Fagarbeidere").unwrap();
        // Six agencies with hours in every quarter, then the total.
        let full_rows = (4..10)
            .filter(|r| (1..6).all(|c| matches!(s.get_value((*r, c)), Some(Data::Float(_)))))
            .count();
        assert_eq!(full_rows, 6, "[{}]", app.backend);
        assert_eq!(
            s.get_value((10, 0)),
            Some(&Data::String("Oslo kommune totalt".into()))
        );
    }
}
