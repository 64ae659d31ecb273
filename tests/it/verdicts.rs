//! Frozen verdicts and labour statistics (docs/rules.md, Frozen verdicts): a tender's check is
//! recorded when it is written, the statistics count recorded checks, so a changed rule file
//! moves no past figure until `recheckTenders`. Expected values are worked out by hand from
//! the rule table in docs/rules.md.

use std::{io::Cursor, sync::Arc};

use api::tenders::catalogue::{Catalogue, DEFAULT};
use calamine::{Data, Reader, Xlsx};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

use crate::common::{TestApp, apps, postgres, spawn, spawn_with_catalogue};

const CREATE: &str = "mutation($i: TenderInput!) { createTender(input: $i) { id recordedCheck { verdict rulesVersion findings { ruleId status title source message } } } }";
const UPDATE: &str = "mutation($id: ID!, $v: Int!, $i: TenderInput!) { updateTender(id: $id, expectedVersion: $v, input: $i) { version recordedCheck { verdict rulesVersion findings { ruleId status } } } }";
const TENDER: &str = "query($id: ID!) { tender(id: $id) { check { rulesVersion findings { ruleId status } } recordedCheck { rulesVersion findings { ruleId status } } } }";
const RECHECK: &str = "mutation($ids: [ID!]!) { recheckTenders(ids: $ids) { id title recordedCheck { rulesVersion } } }";
const CLIMATE: &str = "query($f: Date!, $t: Date!) { climateStats(from: $f, to: $t) { tenderCount transportApplicable transportSatisfied transportShare } }";
const LABOUR: &str = "query($f: Date!, $t: Date!, $a: String) { labourStats(from: $f, to: $t, agency: $a) { from to agency tenderCount
    apprenticeApplicable apprenticeRequired skilledApplicable skilledRequired hmsregApplicable hmsregRequired } }";

/// A tender input; `patch` overrides the defaults (Oslobygg KF, construction, NOK 600,000,
/// 12 months, 2025-06-01, nothing else).
fn tender(patch: Value) -> Value {
    let mut t = json!({
        "title": "Anskaffelse", "agency": "Oslobygg KF", "category": "CONSTRUCTION", "estimatedValue": "600000",
        "durationMonths": 12, "announcedOn": "2025-06-01", "includesTransport": false, "buildingSite": false,
        "apprenticeTrades": false, "labourCrimeRisk": "LOW", "requirements": []
    });
    for (k, v) in patch.as_object().unwrap() {
        t[k] = v.clone();
    }
    t
}

fn req(code: &str, form: &str) -> Value {
    json!({ "code": code, "form": form })
}

/// (ruleId, status) of each finding of a check.
fn statuses(check: &Value) -> Vec<(String, String)> {
    check["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings in {check}"))
        .iter()
        .map(|f| {
            (
                f["ruleId"].as_str().unwrap().into(),
                f["status"].as_str().unwrap().into(),
            )
        })
        .collect()
}

/// The seven rules in catalogue order, each with its expected status.
fn expect(s: [&str; 7]) -> Vec<(String, String)> {
    [
        "transport.zero-emission",
        "site.fossil-free",
        "climate.award-weight",
        "labour.apprentices",
        "labour.skilled-workers",
        "labour.hmsreg",
        "labour.subcontractor-chain",
    ]
    .iter()
    .zip(s)
    .map(|(r, s)| (r.to_string(), s.to_string()))
    .collect()
}

/// labourStats' counts: tenders, then applicable and required for apprentices, skilled
/// workers and HMSREG.
fn labour_counts(d: &Value) -> [i64; 7] {
    let s = &d["labourStats"];
    [
        "tenderCount",
        "apprenticeApplicable",
        "apprenticeRequired",
        "skilledApplicable",
        "skilledRequired",
        "hmsregApplicable",
        "hmsregRequired",
    ]
    .map(|field| s[field].as_i64().unwrap())
}

async fn create(app: &TestApp, input: Value) -> String {
    let d = app.ok(&app.adviser(), CREATE, json!({ "i": input })).await;
    d["createTender"]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn create_and_update_record_the_check() {
    for app in apps().await {
        // Services, NOK 2,400,000 with transport, 2025-06-01, 24 months, no requirements:
        // transport applies (>= 500,000) and is missing; no site; climate weight (from 2024,
        // >= 100,000) missing; apprentices: no apprentice trades; skilled workers and HMSREG:
        // services without a site; the chain limit (services > 500,000) missing.
        let draft = tender(json!({
            "title": "Transport av hjelpemidler", "agency": "Sykehjemsetaten", "category": "SERVICES",
            "estimatedValue": "2400000", "durationMonths": 24, "includesTransport": true
        }));
        let d = app.ok(&app.adviser(), CREATE, json!({ "i": draft })).await;
        let created = &d["createTender"];
        let id = created["id"].as_str().unwrap().to_string();
        let c = &created["recordedCheck"];
        assert_eq!(
            (&c["verdict"], &c["rulesVersion"]),
            (&json!("NON_COMPLIANT"), &json!("oslo-2026-11")),
            "[{}] {c}",
            app.backend
        );
        assert_eq!(
            statuses(c),
            expect([
                "MISSING",
                "NOT_APPLICABLE",
                "MISSING",
                "NOT_APPLICABLE",
                "NOT_APPLICABLE",
                "NOT_APPLICABLE",
                "MISSING"
            ])
        );
        assert_eq!(
            (
                &c["findings"][0]["title"],
                &c["findings"][0]["source"],
                &c["findings"][0]["message"]
            ),
            (
                &json!("Zero-emission transport"),
                &json!("Byrådssak 1123/19"),
                &json!(
                    "transport is part of the delivery and the value is NOK 2,400,000: add a minimum requirement or contract clause for zero-emission or biogas vehicles, or justify an exemption"
                )
            )
        );

        // Fixed: zero-emission vehicles, climate weighed 35 %, at most two tiers (low risk).
        let mut fixed = draft.clone();
        fixed["requirements"] = json!([
            req("ZERO_EMISSION_TRANSPORT", "MINIMUM_REQUIREMENT"),
            { "code": "CLIMATE_AWARD_WEIGHT", "form": "AWARD_CRITERION", "weightPercent": 35 },
            { "code": "SUBCONTRACTOR_CHAIN_LIMIT", "form": "CONTRACT_CLAUSE", "maxTiers": 2 }
        ]);
        let d = app
            .ok(
                &app.adviser(),
                UPDATE,
                json!({ "id": id, "v": 1, "i": fixed }),
            )
            .await;
        let c = &d["updateTender"]["recordedCheck"];
        assert_eq!(c["verdict"], "COMPLIANT", "[{}] {c}", app.backend);
        assert_eq!(
            statuses(c),
            expect([
                "SATISFIED",
                "NOT_APPLICABLE",
                "SATISFIED",
                "NOT_APPLICABLE",
                "NOT_APPLICABLE",
                "NOT_APPLICABLE",
                "SATISFIED"
            ])
        );
        // Read back, and through a list, it is the same record.
        let d = app.ok(&app.climate(), TENDER, json!({ "id": id })).await;
        assert_eq!(
            statuses(&d["tender"]["recordedCheck"]),
            statuses(&d["tender"]["check"])
        );
        let d = app
            .ok(
                &app.climate(),
                "{ tenders { edges { node { recordedCheck { verdict rulesVersion } } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            d["tenders"]["edges"][0]["node"]["recordedCheck"],
            json!({ "verdict": "COMPLIANT", "rulesVersion": "oslo-2026-11" })
        );
    }
}

/// The shipped rules with the transport threshold raised to NOK 1,000,000 and the apprentice
/// threshold lowered to NOK 500,000, under another version name.
fn changed_catalogue() -> Arc<Catalogue> {
    let mut file: Value = serde_json::from_str(DEFAULT).unwrap();
    file["version"] = json!("test-changed");
    for rule in file["rules"].as_array_mut().unwrap() {
        let min_value = match rule["id"].as_str().unwrap() {
            "transport.zero-emission" => 1_000_000,
            "labour.apprentices" => 500_000,
            _ => continue,
        };
        for v in rule["versions"].as_array_mut().unwrap() {
            v["minValue"] = json!(min_value);
        }
    }
    Arc::new(Catalogue::parse(&file.to_string()).unwrap())
}

fn sheet(bytes: Vec<u8>) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("a readable workbook");
    wb.worksheet_range("Klimakrav").expect("the sheet")
}

/// The climate workbook of 2025: (the line naming the rules version, transport applicable in
/// the total row, the fifth row after the four quarters).
async fn workbook(app: &TestApp) -> (String, Data) {
    let response = app
        .client
        .get(format!(
            "{}/exports/climate-stats.xlsx?from=2025-01-01&to=2025-12-31",
            app.address
        ))
        .bearer_auth(app.climate())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let s = sheet(response.bytes().await.unwrap().to_vec());
    let text = s.get_value((1, 0)).cloned().unwrap_or(Data::Empty);
    (
        text.to_string(),
        s.get_value((8, 4)).cloned().unwrap_or(Data::Empty),
    )
}

#[tokio::test]
async fn a_changed_rule_file_moves_no_figure_until_a_recheck() {
    let dir = tempfile::tempdir().unwrap();
    let mut urls = vec![(
        "sqlite",
        format!("sqlite://{}?mode=rwc", dir.path().join("v.db").display()),
    )];
    if let Some(url) = postgres::fresh_database_url().await {
        urls.push(("postgres", url));
    }
    for (backend, url) in urls {
        let before = spawn(backend, &url, Default::default(), None).await;
        // T1, T2: construction, NOK 600,000 with transport; T1 requires zero-emission
        // vehicles. Shipped rules: transport applies (>= 500,000): T1 satisfied, T2 missing.
        // Skilled workers and HMSREG apply (construction > 500,000) and are missing.
        // T3: services for NOK 800,000 over 12 months in apprentice trades: apprentices do not
        // apply (< 1,300,000).
        let t1 = create(
            &before,
            tender(json!({ "includesTransport": true, "requirements": [req("ZERO_EMISSION_TRANSPORT", "MINIMUM_REQUIREMENT")] })),
        )
        .await;
        let t2 = create(&before, tender(json!({ "includesTransport": true }))).await;
        let t3 = create(
            &before,
            tender(json!({ "category": "SERVICES", "estimatedValue": "800000", "apprenticeTrades": true })),
        )
        .await;
        let year = json!({ "f": "2025-01-01", "t": "2025-12-31" });
        let climate_then = json!({ "tenderCount": 3, "transportApplicable": 2, "transportSatisfied": 1, "transportShare": 50.0 });
        let labour_then = json!({ "from": "2025-01-01", "to": "2025-12-31", "agency": null, "tenderCount": 3,
            "apprenticeApplicable": 0, "apprenticeRequired": 0, "skilledApplicable": 2, "skilledRequired": 0,
            "hmsregApplicable": 2, "hmsregRequired": 0 });
        let d = before.ok(&before.climate(), CLIMATE, year.clone()).await;
        assert_eq!(d["climateStats"], climate_then, "[{backend}]");
        let d = before.ok(&before.climate(), LABOUR, year.clone()).await;
        assert_eq!(d["labourStats"], labour_then, "[{backend}]");

        // A second server on the same database with the changed rules: transport (>= 1,000,000)
        // no longer applies to T1 and T2, apprentices (>= 500,000) now apply to T3.
        let after =
            spawn_with_catalogue(backend, &url, Default::default(), None, changed_catalogue())
                .await;
        let d = after.ok(&after.climate(), CLIMATE, year.clone()).await;
        assert_eq!(
            d["climateStats"], climate_then,
            "[{backend}] past figures stay"
        );
        let d = after.ok(&after.climate(), LABOUR, year.clone()).await;
        assert_eq!(d["labourStats"], labour_then, "[{backend}]");
        let (version, applicable) = workbook(&after).await;
        assert!(version.contains("oslo-2026-11"), "[{backend}] {version}");
        assert_eq!(applicable, Data::Float(2.0), "[{backend}]");
        // Tender.check computes now; recordedCheck is as it was recorded.
        let d = after
            .ok(&after.climate(), TENDER, json!({ "id": t1 }))
            .await;
        let t = &d["tender"];
        assert_eq!(
            (
                &t["check"]["rulesVersion"],
                &t["recordedCheck"]["rulesVersion"]
            ),
            (&json!("test-changed"), &json!("oslo-2026-11")),
            "[{backend}]"
        );
        assert_eq!(statuses(&t["check"])[0].1, "NOT_APPLICABLE");
        assert_eq!(statuses(&t["recordedCheck"])[0].1, "SATISFIED");

        // The administrator rechecks them (T3 first): the figures follow the new rules.
        let d = after
            .ok(&after.admin(), RECHECK, json!({ "ids": [t3, t1, t2] }))
            .await;
        let ids: Vec<&str> = d["recheckTenders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                assert_eq!(t["recordedCheck"]["rulesVersion"], "test-changed");
                t["id"].as_str().unwrap()
            })
            .collect();
        assert_eq!(ids, [t3.as_str(), t1.as_str(), t2.as_str()], "[{backend}]");
        let d = after.ok(&after.climate(), CLIMATE, year.clone()).await;
        assert_eq!(
            d["climateStats"],
            json!({ "tenderCount": 3, "transportApplicable": 0, "transportSatisfied": 0, "transportShare": null }),
            "[{backend}]"
        );
        let d = after.ok(&after.climate(), LABOUR, year.clone()).await;
        assert_eq!(d["labourStats"]["apprenticeApplicable"], 1, "[{backend}]");
        assert_eq!(d["labourStats"]["skilledApplicable"], 2);
        let (version, applicable) = workbook(&after).await;
        assert!(version.contains("test-changed"), "[{backend}] {version}");
        assert_eq!(applicable, Data::Float(0.0));
        // One audit event per tender, saying what changed.
        let d = after
            .ok(
                &after.admin(),
                "query($id: String) { auditEvents(entity: \"tender\", entityId: $id) { edges { node { action before after } } } }",
                json!({ "id": t1 }),
            )
            .await;
        let last = &d["auditEvents"]["edges"][0]["node"];
        assert_eq!(last["action"], "recheck", "[{backend}] {last}");
        assert_eq!(
            (
                &last["before"]["rulesVersion"],
                &last["after"]["rulesVersion"]
            ),
            (&json!("oslo-2026-11"), &json!("test-changed"))
        );
        let d = after
            .ok(
                &after.admin(),
                "{ auditEvents(entity: \"tender\") { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(
            d["auditEvents"]["totalCount"], 6,
            "three creates, three rechecks"
        );
    }
}

#[tokio::test]
async fn only_an_admin_rechecks_and_an_unknown_id_rechecks_nothing() {
    for app in apps().await {
        let id = create(&app, tender(json!({}))).await;
        for token in [app.adviser(), app.buyer("Oslobygg KF"), app.climate()] {
            let (code, _) = app
                .error_code(Some(&token), RECHECK, json!({ "ids": [id] }))
                .await;
            assert_eq!(code, "FORBIDDEN", "[{}]", app.backend);
        }
        let (code, _) = app.error_code(None, RECHECK, json!({ "ids": [id] })).await;
        assert_eq!(code, "UNAUTHENTICATED");
        let events = app.count_audit_events().await;
        for ids in [json!([id, "999999"]), json!([id, "not-an-id"])] {
            let (code, body) = app
                .error_code(Some(&app.admin()), RECHECK, json!({ "ids": ids }))
                .await;
            assert_eq!(code, "NOT_FOUND", "[{}] {body}", app.backend);
        }
        assert_eq!(
            app.count_audit_events().await,
            events,
            "[{}] nothing rechecked",
            app.backend
        );
        let many: Vec<String> = (1..=1001).map(|n| n.to_string()).collect();
        let (code, body) = app
            .error_code(Some(&app.admin()), RECHECK, json!({ "ids": many }))
            .await;
        assert_eq!(
            (code.as_str(), &body["errors"][0]["extensions"]["field"]),
            ("BAD_USER_INPUT", &json!("ids"))
        );
        // The same id twice: returned twice, checked and audited once.
        let d = app
            .ok(&app.admin(), RECHECK, json!({ "ids": [id, id] }))
            .await;
        assert_eq!(d["recheckTenders"].as_array().unwrap().len(), 2);
        assert_eq!(app.count_audit_events().await, events + 1);
        let d = app.ok(&app.admin(), RECHECK, json!({ "ids": [] })).await;
        assert_eq!(d["recheckTenders"], json!([]));
    }
}

#[tokio::test]
async fn labour_stats_count_applicable_rules_and_firm_requirements() {
    for app in apps().await {
        let trades = |patch: Value| {
            let mut t = tender(patch);
            t["apprenticeTrades"] = json!(true);
            t
        };
        let why = json!([{ "ruleId": "labour.skilled-workers", "justification": "Ingen fagbrev finnes for denne tjenesten." }]);
        for t in [
            // L1: construction, NOK 2,000,000, 12 months, a site. Apprentices apply and are met
            // (firm): applicable, required. Skilled workers apply, only an award criterion:
            // missing, applicable, not required. HMSREG applies, met by a clause: both.
            trades(
                json!({ "announcedOn": "2025-03-01", "estimatedValue": "2000000", "buildingSite": true, "requirements": [
                req("APPRENTICES", "MINIMUM_REQUIREMENT"), req("SKILLED_WORKERS", "AWARD_CRITERION"), req("HMSREG_REGISTRATION", "CONTRACT_CLAUSE")] }),
            ),
            // L2: goods, NOK 2,000,000: no labour rule applies; a firm apprentice clause all the same.
            trades(
                json!({ "announcedOn": "2025-06-01", "category": "GOODS", "estimatedValue": "2000000",
                "requirements": [req("APPRENTICES", "CONTRACT_CLAUSE")] }),
            ),
            // L3 (BYM): cleaning, NOK 900,000, 24 months: apprentices below 1,300,000; skilled
            // workers apply, exempted; HMSREG applies, an award criterion only: missing.
            trades(
                json!({ "announcedOn": "2025-09-01", "agency": "Bymiljøetaten", "category": "CLEANING", "estimatedValue": "900000",
                "durationMonths": 24, "requirements": [req("HMSREG_REGISTRATION", "AWARD_CRITERION")], "exemptions": why }),
            ),
            // L4 (BYM): services, NOK 3,000,000 over 2 months: apprentices not (not more than 3
            // months), skilled workers and HMSREG not (services, no site); skilled workers required.
            trades(
                json!({ "announcedOn": "2025-12-31", "agency": "Bymiljøetaten", "category": "SERVICES", "estimatedValue": "3000000",
                "durationMonths": 2, "requirements": [req("SKILLED_WORKERS", "MINIMUM_REQUIREMENT")] }),
            ),
            // L5, the day before the period: like L1 without skilled-worker and HMSREG
            // requirements: apprentices applicable and required, the other two missing.
            trades(
                json!({ "announcedOn": "2024-12-31", "estimatedValue": "2000000", "requirements": [req("APPRENTICES", "MINIMUM_REQUIREMENT")] }),
            ),
            // L6, the day after: services for NOK 200,000: nothing applies, nothing required.
            trades(
                json!({ "announcedOn": "2026-01-01", "category": "SERVICES", "estimatedValue": "200000" }),
            ),
        ] {
            create(&app, t).await;
        }
        let stats = |f: &str, t: &str, a: Value| json!({ "f": f, "t": t, "a": a });
        let climate = app.climate();
        let d = app
            .ok(
                &climate,
                LABOUR,
                stats("2025-01-01", "2025-12-31", json!(null)),
            )
            .await;
        assert_eq!(
            d["labourStats"],
            json!({ "from": "2025-01-01", "to": "2025-12-31", "agency": null, "tenderCount": 4,
                "apprenticeApplicable": 1, "apprenticeRequired": 2, "skilledApplicable": 2, "skilledRequired": 1,
                "hmsregApplicable": 2, "hmsregRequired": 1 }),
            "[{}]",
            app.backend
        );
        // Through the register: "oslobygg" is Oslobygg KF (L1, L2), "BYM" Bymiljøetaten (L3, L4).
        let d = app
            .ok(
                &climate,
                LABOUR,
                stats("2025-01-01", "2025-12-31", json!("oslobygg")),
            )
            .await;
        assert_eq!(
            d["labourStats"],
            json!({ "from": "2025-01-01", "to": "2025-12-31", "agency": "oslobygg", "tenderCount": 2,
                "apprenticeApplicable": 1, "apprenticeRequired": 2, "skilledApplicable": 1, "skilledRequired": 0,
                "hmsregApplicable": 1, "hmsregRequired": 1 })
        );
        let d = app
            .ok(
                &app.adviser(),
                LABOUR,
                stats("2025-01-01", "2025-12-31", json!("BYM")),
            )
            .await;
        assert_eq!(labour_counts(&d), [2, 0, 0, 1, 1, 1, 0]);
        // 2024-2026: L5 adds apprentices (both), skilled workers and HMSREG (applicable).
        let d = app
            .ok(
                &climate,
                LABOUR,
                stats("2024-01-01", "2026-12-31", json!(null)),
            )
            .await;
        assert_eq!(
            labour_counts(&d),
            [6, 2, 3, 3, 1, 3, 1],
            "[{}]",
            app.backend
        );

        let (code, _) = app
            .error_code(
                Some(&app.buyer("Oslobygg KF")),
                LABOUR,
                stats("2025-01-01", "2025-12-31", json!(null)),
            )
            .await;
        assert_eq!(code, "FORBIDDEN");
        for (vars, field) in [
            (stats("2025-12-31", "2025-01-01", json!(null)), "to"),
            (
                stats("2025-01-01", "2025-12-31", json!("Ingen slik etat")),
                "agency",
            ),
        ] {
            let (code, body) = app.error_code(Some(&climate), LABOUR, vars).await;
            assert_eq!(
                (code.as_str(), &body["errors"][0]["extensions"]["field"]),
                ("BAD_USER_INPUT", &json!(field)),
                "[{}] {body}",
                app.backend
            );
        }
        let (code, _) = app
            .error_code(
                Some(&climate),
                LABOUR,
                stats("2025-13-01", "2025-12-31", json!(null)),
            )
            .await;
        assert_eq!(code, "BAD_USER_INPUT");
    }
}

#[tokio::test]
async fn a_tender_stored_before_checks_were_recorded_gets_one_at_start() {
    let dir = tempfile::tempdir().unwrap();
    // Up to the agency register, then a tender as that version stored it.
    for (backend, url, db) in crate::common::databases_at_step(&dir, 5).await {
        let backend_kind = db.get_database_backend();
        let agency: i64 = db
            .query_one_raw(Statement::from_string(
                backend_kind,
                "SELECT id FROM agency WHERE name = 'Oslobygg KF'",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get("", "id")
            .unwrap();
        let (t, f) = match backend_kind {
            DbBackend::Postgres => ("true", "false"),
            _ => ("1", "0"),
        };
        db.execute_unprepared(&format!(
            "INSERT INTO tender (reference, title, agency, agency_key, agency_id, category, estimated_value, duration_months, announced_on, includes_transport, building_site, apprentice_trades, labour_crime_risk, version, created_by, created_at, updated_at)
             VALUES ('2025-9', 'Massetransport', 'Oslobygg KF', 'oslobygg kf', {agency}, 'CONSTRUCTION', 60000000, 12, '2025-03-01', {t}, {f}, {f}, 'LOW', 1, 'x', '2025-03-01T00:00:00+00:00', '2025-03-01T00:00:00+00:00')"
        ))
        .await
        .unwrap();
        db.execute_unprepared(
            "INSERT INTO tender_requirement (tender_id, position, code, form, machine_types)
             SELECT id, 0, 'ZERO_EMISSION_TRANSPORT', 'MINIMUM_REQUIREMENT', '[]' FROM tender WHERE reference = '2025-9'",
        )
        .await
        .unwrap();
        drop(db);
        let app = spawn(backend, &url, Default::default(), None).await;

        // Construction, NOK 600,000 with transport, 2025-03-01, zero-emission vehicles
        // required: transport satisfied; no site; climate weight missing; apprentices below
        // 1,300,000; skilled workers, HMSREG and the chain limit (> 500,000) missing.
        let d = app
            .ok(
                &app.climate(),
                "{ tenders { edges { node { reference recordedCheck { verdict rulesVersion findings { ruleId status } } } } } }",
                json!({}),
            )
            .await;
        let node = &d["tenders"]["edges"][0]["node"];
        assert_eq!(node["reference"], "2025-9", "[{backend}]");
        let c = &node["recordedCheck"];
        assert_eq!(
            (&c["verdict"], &c["rulesVersion"]),
            (&json!("NON_COMPLIANT"), &json!("oslo-2026-11")),
            "[{backend}]"
        );
        assert_eq!(
            statuses(c),
            expect([
                "SATISFIED",
                "NOT_APPLICABLE",
                "MISSING",
                "NOT_APPLICABLE",
                "MISSING",
                "MISSING",
                "MISSING"
            ])
        );
        let d = app
            .ok(
                &app.climate(),
                CLIMATE,
                json!({ "f": "2025-01-01", "t": "2025-12-31" }),
            )
            .await;
        assert_eq!(
            d["climateStats"],
            json!({ "tenderCount": 1, "transportApplicable": 1, "transportSatisfied": 1, "transportShare": 100.0 })
        );
        // A second start records nothing more and changes nothing.
        let again = spawn(backend, &url, Default::default(), None).await;
        let d = again
            .ok(
                &again.climate(),
                CLIMATE,
                json!({ "f": "2025-01-01", "t": "2025-12-31" }),
            )
            .await;
        assert_eq!(d["climateStats"]["transportSatisfied"], 1);
    }
}
