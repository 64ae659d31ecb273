//! The rule catalogue and draft checks over HTTP, with findings worked out by hand from docs/rules.md.

use crate::common::apps;
use serde_json::{Value, json};

const RULES: &str = "query($d: Date) { complianceRules(asOf: $d) { id title source validFrom validTo description } }";
const CHECK: &str = "mutation($i: TenderInput!) { checkTenderDraft(input: $i) { verdict rulesVersion findings { ruleId title source status message } } }";

/// Services worth NOK 2,400,000 with transport, announced 2025-06-01, low risk, 24 months.
fn draft(requirements: Value, exemptions: Value) -> Value {
    json!({
        "reference": "2025-100123", "title": "Transport av hjelpemidler", "agency": "Sykehjemsetaten", "category": "SERVICES",
        "estimatedValue": "2400000", "durationMonths": 24, "announcedOn": "2025-06-01", "includesTransport": true,
        "buildingSite": false, "apprenticeTrades": false, "labourCrimeRisk": "LOW",
        "requirements": requirements, "exemptions": exemptions
    })
}

fn statuses(check: &Value) -> Vec<(String, String)> {
    check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["ruleId"].as_str().unwrap().into(),
                f["status"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[tokio::test]
async fn the_catalogue_lists_the_rules_in_force_on_a_date() {
    for app in apps().await {
        let token = app.buyer("Oslobygg KF");
        let d = app.ok(&token, RULES, json!({ "d": "2019-12-31" })).await;
        let ids: Vec<&str> = d["complianceRules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        // Before 2020 only the labour rules were in force.
        assert_eq!(
            ids,
            [
                "labour.apprentices",
                "labour.skilled-workers",
                "labour.hmsreg",
                "labour.subcontractor-chain"
            ],
            "[{}]",
            app.backend
        );
        let d = app.ok(&token, RULES, json!({ "d": "2024-06-01" })).await;
        let rules = d["complianceRules"].as_array().unwrap();
        assert_eq!(rules.len(), 7);
        assert_eq!(
            (&rules[0]["validFrom"], &rules[0]["validTo"]),
            (&json!("2020-01-01"), &json!("2024-12-31"))
        );
        assert_eq!(rules[0]["source"], "Byrådssak 1123/19");
        let d = app.ok(&token, RULES, json!({ "d": "2025-01-01" })).await;
        assert_eq!(
            (
                &d["complianceRules"][0]["validFrom"],
                &d["complianceRules"][0]["validTo"]
            ),
            (&json!("2025-01-01"), &Value::Null)
        );
        let (code, _) = app.error_code(None, RULES, json!({})).await;
        assert_eq!(code, "UNAUTHENTICATED");
    }
}

#[tokio::test]
async fn a_buyer_checks_a_draft_and_sees_what_to_add() {
    for app in apps().await {
        let buyer = app.buyer("Sykehjemsetaten");
        let d = app
            .ok(&buyer, CHECK, json!({ "i": draft(json!([]), json!(null)) }))
            .await;
        let c = &d["checkTenderDraft"];
        assert_eq!(c["verdict"], "NON_COMPLIANT", "[{}]", app.backend);
        assert_eq!(c["rulesVersion"], "oslo-2026-11");
        // Transport (with transport, >= 500,000, 2025): missing. No site. Climate weight (>= 100,000,
        // from 2024): missing. Apprentices: the trades have no need. Skilled workers and HMSREG:
        // services without a site. Chain: services above 500,000: missing.
        assert_eq!(
            statuses(c),
            pairs(&[
                ("transport.zero-emission", "MISSING"),
                ("site.fossil-free", "NOT_APPLICABLE"),
                ("climate.award-weight", "MISSING"),
                ("labour.apprentices", "NOT_APPLICABLE"),
                ("labour.skilled-workers", "NOT_APPLICABLE"),
                ("labour.hmsreg", "NOT_APPLICABLE"),
                ("labour.subcontractor-chain", "MISSING"),
            ])
        );
        assert_eq!(
            c["findings"][0]["message"],
            "transport is part of the delivery and the value is NOK 2,400,000: add a minimum requirement or contract clause for zero-emission or biogas vehicles, or justify an exemption"
        );

        // Fixed: biogas vehicles, climate weighed 30 % and a justified exemption from the chain limit.
        let fixed = draft(
            json!([
                { "code": "BIOGAS_TRANSPORT", "form": "CONTRACT_CLAUSE" },
                { "code": "CLIMATE_AWARD_WEIGHT", "form": "AWARD_CRITERION", "weightPercent": 30 }
            ]),
            json!([{ "ruleId": "labour.subcontractor-chain", "justification": "Rammeavtale med én leverandør uten underleverandører." }]),
        );
        for token in [buyer.clone(), app.climate(), app.adviser(), app.admin()] {
            let d = app.ok(&token, CHECK, json!({ "i": fixed.clone() })).await;
            let c = &d["checkTenderDraft"];
            assert_eq!(c["verdict"], "COMPLIANT", "[{}] {c}", app.backend);
            assert_eq!(statuses(c)[0].1, "SATISFIED");
            assert_eq!(statuses(c)[2].1, "SATISFIED");
            assert_eq!(statuses(c)[6].1, "EXEMPTED");
        }
        let (code, _) = app.error_code(None, CHECK, json!({ "i": fixed })).await;
        assert_eq!(code, "UNAUTHENTICATED");
    }
}

#[tokio::test]
async fn bad_tender_input_names_the_field() {
    for app in apps().await {
        let token = app.buyer("Sykehjemsetaten");
        let with = |patch: Value| {
            let mut i = draft(json!([]), json!(null));
            for (k, v) in patch.as_object().unwrap() {
                i[k] = v.clone();
            }
            json!({ "i": i })
        };
        let cases = [
            (with(json!({ "estimatedValue": "-1" })), "estimatedValue"),
            (with(json!({ "durationMonths": 0 })), "durationMonths"),
            (with(json!({ "durationMonths": 601 })), "durationMonths"),
            (with(json!({ "title": "  " })), "title"),
            (with(json!({ "agency": "" })), "agency"),
            (
                with(
                    json!({ "requirements": [{ "code": "CLIMATE_AWARD_WEIGHT", "form": "AWARD_CRITERION", "weightPercent": 100.5 }] }),
                ),
                "requirements[0].weightPercent",
            ),
            (
                with(
                    json!({ "requirements": [{ "code": "CLIMATE_AWARD_WEIGHT", "form": "AWARD_CRITERION", "weightPercent": -1 }] }),
                ),
                "requirements[0].weightPercent",
            ),
            (
                with(
                    json!({ "requirements": [{ "code": "SUBCONTRACTOR_CHAIN_LIMIT", "form": "CONTRACT_CLAUSE", "maxTiers": -1 }] }),
                ),
                "requirements[0].maxTiers",
            ),
            (
                with(
                    json!({ "exemptions": [{ "ruleId": "transport.diesel", "justification": "En lang nok begrunnelse her." }] }),
                ),
                "exemptions[0].ruleId",
            ),
            (
                with(
                    json!({ "exemptions": [{ "ruleId": "transport.zero-emission", "justification": "For kort grunn" }] }),
                ),
                "exemptions[0].justification",
            ),
            (with(json!({ "announcedOn": "01.06.2025" })), "announcedOn"),
        ];
        for (vars, field) in cases {
            let (code, body) = app.error_code(Some(&token), CHECK, vars).await;
            assert_eq!(code, "BAD_USER_INPUT", "[{}] {field}: {body}", app.backend);
            assert_eq!(
                body["errors"][0]["extensions"]["field"], field,
                "[{}] {body}",
                app.backend
            );
        }
    }
}

const CREATE: &str = "mutation($i: TenderInput!) { createTender(input: $i) { id agency version estimatedValue check { verdict } } }";
const UPDATE: &str = "mutation($id: ID!, $v: Int!, $i: TenderInput!) { updateTender(id: $id, expectedVersion: $v, input: $i) { id title version check { verdict } } }";
const LIST: &str = "query($f: TenderFilter) { tenders(filter: $f) { totalCount edges { node { title agency requirements { code form weightPercent } exemptions { ruleId } } } } }";

fn compliant(agency: &str) -> Value {
    let mut t = draft(
        json!([
            { "code": "ZERO_EMISSION_TRANSPORT", "form": "MINIMUM_REQUIREMENT" },
            { "code": "CLIMATE_AWARD_WEIGHT", "form": "AWARD_CRITERION", "weightPercent": 35 },
            { "code": "SUBCONTRACTOR_CHAIN_LIMIT", "form": "CONTRACT_CLAUSE", "maxTiers": 2 }
        ]),
        json!(null),
    );
    t["agency"] = json!(agency);
    t["title"] = json!("Varetransport");
    t
}

#[tokio::test]
async fn tenders_are_stored_scoped_to_the_buyers_agency_and_locked_optimistically() {
    for app in apps().await {
        let buyer = app.buyer("Sykehjemsetaten");
        let d = app
            .ok(
                &buyer,
                CREATE,
                json!({ "i": draft(json!([]), json!(null)) }),
            )
            .await;
        let own = d["createTender"].clone();
        assert_eq!(
            (
                &own["version"],
                &own["estimatedValue"],
                &own["check"]["verdict"]
            ),
            (&json!(1), &json!("2400000.00"), &json!("NON_COMPLIANT")),
            "[{}]",
            app.backend
        );
        // Another agency's tender: FORBIDDEN, nothing written.
        let (code, _) = app
            .error_code(
                Some(&buyer),
                CREATE,
                json!({ "i": compliant("Oslobygg KF") }),
            )
            .await;
        assert_eq!(code, "FORBIDDEN");
        let (code, _) = app
            .error_code(
                Some(&app.climate()),
                CREATE,
                json!({ "i": compliant("Oslobygg KF") }),
            )
            .await;
        assert_eq!(code, "FORBIDDEN");
        let d = app
            .ok(
                &app.adviser(),
                CREATE,
                json!({ "i": compliant("Oslobygg KF") }),
            )
            .await;
        let other = d["createTender"]["id"].as_str().unwrap().to_string();

        let d = app.ok(&buyer, LIST, json!({})).await;
        assert_eq!(
            d["tenders"]["totalCount"], 1,
            "[{}] a buyer sees its own agency only",
            app.backend
        );
        let d = app
            .ok(
                &buyer,
                "query($id: ID!) { tender(id: $id) { id } }",
                json!({ "id": other }),
            )
            .await;
        assert_eq!(d["tender"], Value::Null);
        let climate = app.climate();
        let d = app.ok(&climate, LIST, json!({})).await;
        assert_eq!(d["tenders"]["totalCount"], 2);
        let d = app
            .ok(&climate, LIST, json!({ "f": { "verdict": "COMPLIANT" } }))
            .await;
        assert_eq!(d["tenders"]["edges"][0]["node"]["agency"], "Oslobygg KF");
        assert_eq!(
            d["tenders"]["edges"][0]["node"]["requirements"][1],
            json!({ "code": "CLIMATE_AWARD_WEIGHT", "form": "AWARD_CRITERION", "weightPercent": 35.0 })
        );
        let d = app
            .ok(
                &climate,
                LIST,
                json!({ "f": { "verdict": "NON_COMPLIANT", "agency": "sykehjemsETATEN" } }),
            )
            .await;
        assert_eq!(d["tenders"]["totalCount"], 1);
        let d = app
            .ok(
                &climate,
                LIST,
                json!({ "f": { "announcedFrom": "2025-06-02" } }),
            )
            .await;
        assert_eq!(d["tenders"]["totalCount"], 0);

        // The buyer fixes its tender: version 1 -> 2, now compliant; a second writer with version 1 gets CONFLICT.
        let id = own["id"].as_str().unwrap();
        let d = app
            .ok(
                &buyer,
                UPDATE,
                json!({ "id": id, "v": 1, "i": compliant("Sykehjemsetaten") }),
            )
            .await;
        assert_eq!(d["updateTender"]["version"], 2);
        assert_eq!(d["updateTender"]["check"]["verdict"], "COMPLIANT");
        let (code, _) = app
            .error_code(
                Some(&buyer),
                UPDATE,
                json!({ "id": id, "v": 1, "i": draft(json!([]), json!(null)) }),
            )
            .await;
        assert_eq!(code, "CONFLICT", "[{}]", app.backend);
        let d = app
            .ok(
                &buyer,
                "query($id: ID!) { tender(id: $id) { title version } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(
            d["tender"],
            json!({ "title": "Varetransport", "version": 2 })
        );
        // Moving it to another agency, or touching another agency's tender, is not the buyer's to do.
        let (code, _) = app
            .error_code(
                Some(&buyer),
                UPDATE,
                json!({ "id": id, "v": 2, "i": compliant("Oslobygg KF") }),
            )
            .await;
        assert_eq!(code, "FORBIDDEN");
        let (code, _) = app
            .error_code(
                Some(&buyer),
                UPDATE,
                json!({ "id": other, "v": 1, "i": compliant("Sykehjemsetaten") }),
            )
            .await;
        assert_eq!(code, "NOT_FOUND");
        // Bad input writes nothing.
        let mut bad = compliant("Sykehjemsetaten");
        bad["durationMonths"] = json!(0);
        let (code, _) = app
            .error_code(Some(&buyer), CREATE, json!({ "i": bad }))
            .await;
        assert_eq!(code, "BAD_USER_INPUT");
        let d = app.ok(&app.admin(), "{ auditEvents(entity: \"tender\") { totalCount edges { node { action actor } } } }", json!({})).await;
        assert_eq!(
            d["auditEvents"]["totalCount"], 3,
            "[{}] two creates and one update",
            app.backend
        );
        assert_eq!(d["auditEvents"]["edges"][0]["node"]["action"], "update");
        let d = app.ok(&app.adviser(), LIST, json!({})).await;
        assert_eq!(d["tenders"]["totalCount"], 2);
    }
}

const STATS: &str = "query($f: Date!, $t: Date!, $a: String) { climateStats(from: $f, to: $t, agency: $a) {
    from to agency tenderCount transportApplicable transportSatisfied transportExempted transportShare
    siteApplicable siteSatisfied siteExempted zeroEmissionMinimum zeroEmissionMachineTypes { machineType tenders } } }";

#[tokio::test]
async fn climate_stats_count_as_the_rules_say() {
    for app in apps().await {
        let tender = |day: &str,
                      agency: &str,
                      transport: bool,
                      site: bool,
                      requirements: Value,
                      exemptions: Value| {
            json!({ "title": "Anskaffelse", "agency": agency, "category": "CONSTRUCTION", "estimatedValue": "600000", "durationMonths": 12,
                    "announcedOn": day, "includesTransport": transport, "buildingSite": site, "apprenticeTrades": false,
                    "labourCrimeRisk": "LOW", "requirements": requirements, "exemptions": exemptions })
        };
        let why = json!([{ "ruleId": "transport.zero-emission", "justification": "Markedsdialogen viste ingen leverandører." }]);
        let tenders = [
            // T1: transport satisfied.
            tender(
                "2025-02-10",
                "Oslobygg KF",
                true,
                false,
                json!([{ "code": "ZERO_EMISSION_TRANSPORT", "form": "MINIMUM_REQUIREMENT" }]),
                json!(null),
            ),
            // T2: transport missing.
            tender(
                "2025-05-05",
                "Oslobygg KF",
                true,
                false,
                json!([]),
                json!(null),
            ),
            // T3: transport exempted; site satisfied (2025: zero-emission machines and heating/drying, both firm).
            tender(
                "2025-05-20",
                "Bymiljøetaten",
                true,
                true,
                json!([
                    { "code": "ZERO_EMISSION_MACHINES", "form": "MINIMUM_REQUIREMENT", "machineTypes": ["Gravemaskin", " hjullaster"] },
                    { "code": "EMISSION_FREE_HEATING_DRYING", "form": "CONTRACT_CLAUSE" }
                ]),
                why,
            ),
            // T4: site missing (no heating/drying requirement); a firm zero-emission excavator.
            tender(
                "2025-08-01",
                "Bymiljøetaten",
                false,
                true,
                json!([{ "code": "ZERO_EMISSION_MACHINES", "form": "CONTRACT_CLAUSE", "machineTypes": ["gravemaskin"] }]),
                json!(null),
            ),
            // T5: before the period.
            tender(
                "2024-12-31",
                "Oslobygg KF",
                true,
                true,
                json!([]),
                json!(null),
            ),
        ];
        for t in tenders {
            app.ok(&app.adviser(), CREATE, json!({ "i": t })).await;
        }
        let climate = app.climate();
        let d = app
            .ok(
                &climate,
                STATS,
                json!({ "f": "2025-01-01", "t": "2025-12-31" }),
            )
            .await;
        let s = &d["climateStats"];
        assert_eq!(s["tenderCount"], 4, "[{}] {s}", app.backend);
        assert_eq!(
            (
                &s["transportApplicable"],
                &s["transportSatisfied"],
                &s["transportExempted"]
            ),
            (&json!(3), &json!(1), &json!(1))
        );
        let share = s["transportShare"].as_f64().unwrap();
        assert!((share - 100.0 / 3.0).abs() < 1e-9, "{share}");
        assert_eq!(
            (
                &s["siteApplicable"],
                &s["siteSatisfied"],
                &s["siteExempted"]
            ),
            (&json!(2), &json!(1), &json!(0))
        );
        assert_eq!(s["zeroEmissionMinimum"], 2);
        assert_eq!(
            s["zeroEmissionMachineTypes"],
            json!([{ "machineType": "gravemaskin", "tenders": 2 }, { "machineType": "hjullaster", "tenders": 1 }])
        );

        let d = app
            .ok(
                &climate,
                STATS,
                json!({ "f": "2025-01-01", "t": "2025-12-31", "a": "BYMILJØETATEN" }),
            )
            .await;
        let s = &d["climateStats"];
        assert_eq!(
            (
                &s["tenderCount"],
                &s["transportApplicable"],
                &s["transportShare"],
                &s["agency"]
            ),
            (&json!(2), &json!(1), &json!(0.0), &json!("BYMILJØETATEN"))
        );

        let q = "query($f: Date!, $t: Date!) { climateStatsByQuarter(from: $f, to: $t) { from to tenderCount transportShare } }";
        let d = app
            .ok(&climate, q, json!({ "f": "2025-01-01", "t": "2025-12-31" }))
            .await;
        let quarters = d["climateStatsByQuarter"].as_array().unwrap();
        let counts: Vec<i64> = quarters
            .iter()
            .map(|q| q["tenderCount"].as_i64().unwrap())
            .collect();
        assert_eq!(counts, [1, 2, 1, 0]);
        assert_eq!(
            (&quarters[1]["from"], &quarters[1]["to"]),
            (&json!("2025-04-01"), &json!("2025-06-30"))
        );
        // Q1: T1 satisfied of 1; Q2: T2 missing, T3 exempted -> 0 of 2; Q4: none apply.
        assert_eq!(
            (
                &quarters[0]["transportShare"],
                &quarters[1]["transportShare"],
                &quarters[3]["transportShare"]
            ),
            (&json!(100.0), &json!(0.0), &Value::Null)
        );

        let (code, _) = app
            .error_code(
                Some(&app.buyer("Oslobygg KF")),
                STATS,
                json!({ "f": "2025-01-01", "t": "2025-12-31" }),
            )
            .await;
        assert_eq!(code, "FORBIDDEN");
        let (code, body) = app
            .error_code(
                Some(&climate),
                STATS,
                json!({ "f": "2025-12-31", "t": "2025-01-01" }),
            )
            .await;
        assert_eq!(
            (code.as_str(), &body["errors"][0]["extensions"]["field"]),
            ("BAD_USER_INPUT", &json!("to"))
        );
    }
}
