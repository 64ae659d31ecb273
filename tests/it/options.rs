//! Agreement options over HTTP, on SQLite and PostgreSQL: maxEndsOn from the options,
//! `exerciseOption` and `portfolioSummary.optionDecisionsDue`. Values worked out by hand from
//! docs/rules.md (Participants and options): months are added the calendar way, clamped to
//! the month's last day.
//!
//! Agreements that must stay ACTIVE run from 2020-01-01 to a date late this century, so the
//! dates can be fixed and worked out by hand.

use crate::common::{TestApp, apps, day, strings};
use serde_json::{Value, json};

const CREATE: &str =
    "mutation($i: CreateAgreementInput!) { createAgreement(input: $i) { id maxEndsOn } }";
const EXERCISE: &str =
    "mutation($id: ID!, $v: Int!) { exerciseOption(agreementId: $id, expectedVersion: $v) {
    endsOn maxEndsOn version status options { months exercisedOn endsOn } } }";
const READ: &str = "query($id: ID!) { agreement(id: $id) { endsOn maxEndsOn version options { months exercisedOn endsOn } } }";

fn input(area: &str, reference: &str, starts: &str, ends: &str, extra: Value) -> Value {
    let mut input = json!({
        "reference": reference, "title": format!("Avtale {reference}"), "areaId": area,
        "kind": "FRAMEWORK_AGREEMENT", "category": "GOODS", "startsOn": starts, "endsOn": ends
    });
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    input
}

fn options(months: &[i64]) -> Value {
    json!({ "options": months.iter().map(|m| json!({ "months": m })).collect::<Vec<_>>() })
}

async fn read(app: &TestApp, id: &str) -> Value {
    app.ok(&app.adviser(), READ, json!({ "id": id })).await["agreement"].clone()
}

/// (code, extensions.field) of a request that must fail.
async fn refusal(app: &TestApp, token: &str, query: &str, variables: Value) -> (String, Value) {
    let (code, body) = app.error_code(Some(token), query, variables).await;
    (code, body["errors"][0]["extensions"]["field"].clone())
}

#[tokio::test]
async fn options_set_max_ends_on_and_a_different_one_is_refused() {
    for app in apps().await {
        let area = app.create_area("Datautstyr").await;
        // 2099-01-31 + (1 + 12 + 24 = 37) months = 2102-02-31, clamped to 2102-02-28.
        let d = app
            .ok(&app.admin(), CREATE, json!({ "i": input(&area, "O-1", "2020-01-01", "2099-01-31", options(&[1, 12, 24])) }))
            .await;
        assert_eq!(
            d["createAgreement"]["maxEndsOn"], "2102-02-28",
            "[{}]",
            app.backend
        );
        let id = d["createAgreement"]["id"].as_str().unwrap().to_string();
        assert_eq!(
            read(&app, &id).await["options"],
            json!([
                { "months": 1, "exercisedOn": null, "endsOn": null },
                { "months": 12, "exercisedOn": null, "endsOn": null },
                { "months": 24, "exercisedOn": null, "endsOn": null }
            ])
        );
        // The same date given explicitly is accepted.
        let mut same = input(
            &area,
            "O-2",
            "2020-01-01",
            "2099-01-31",
            options(&[1, 12, 24]),
        );
        same["maxEndsOn"] = json!("2102-02-28");
        let d = app.ok(&app.admin(), CREATE, json!({ "i": same })).await;
        assert_eq!(d["createAgreement"]["maxEndsOn"], "2102-02-28");
        // Without options, maxEndsOn is as given.
        let mut plain = input(&area, "O-3", "2020-01-01", "2099-01-31", json!({}));
        plain["maxEndsOn"] = json!("2101-01-31");
        let d = app.ok(&app.admin(), CREATE, json!({ "i": plain })).await;
        assert_eq!(d["createAgreement"]["maxEndsOn"], "2101-01-31");

        let events = app.count_audit_events().await;
        let mut different = input(&area, "O-4", "2020-01-01", "2099-01-31", options(&[12]));
        different["maxEndsOn"] = json!("2100-01-30");
        let bad_months =
            |months: &[i64]| input(&area, "O-4", "2020-01-01", "2099-01-31", options(months));
        for (i, field) in [
            (different, "maxEndsOn"),
            (bad_months(&[12, 0]), "options[1].months"),
            (bad_months(&[121]), "options[0].months"),
            (bad_months(&[12; 11]), "options"),
            // 2199-12-31 + 13 months is in 2201, past the last year a Date may have.
            (
                input(&area, "O-4", "2020-01-01", "2199-12-31", options(&[1, 12])),
                "options",
            ),
        ] {
            assert_eq!(
                refusal(&app, &app.admin(), CREATE, json!({ "i": i })).await,
                ("BAD_USER_INPUT".to_string(), json!(field)),
                "[{}]",
                app.backend
            );
        }
        assert_eq!(app.count_audit_events().await, events, "nothing written");
        // Ten options of 120 months are the most: 2020-01-31 + 1200 months = 2120-01-31.
        let d = app
            .ok(&app.admin(), CREATE, json!({ "i": input(&area, "O-5", "2020-01-01", "2020-01-31", options(&[120; 10])) }))
            .await;
        assert_eq!(d["createAgreement"]["maxEndsOn"], "2120-01-31");

        // A new endsOn keeps maxEndsOn at endsOn + the unused months: 2099-06-30 + 37 months
        // = 2102-07-30 (the 30th stays the 30th in July).
        let update = "mutation($id: ID!, $v: Int!, $i: UpdateAgreementInput!) {
            updateAgreement(id: $id, expectedVersion: $v, input: $i) { endsOn maxEndsOn version } }";
        let d = app
            .ok(
                &app.adviser(),
                update,
                json!({ "id": id, "v": 1, "i": { "endsOn": "2099-06-30" } }),
            )
            .await;
        assert_eq!(
            d["updateAgreement"],
            json!({ "endsOn": "2099-06-30", "maxEndsOn": "2102-07-30", "version": 2 })
        );
        assert_eq!(
            refusal(
                &app,
                &app.adviser(),
                update,
                json!({ "id": id, "v": 2, "i": { "maxEndsOn": "2103-01-01" } })
            )
            .await,
            ("BAD_USER_INPUT".to_string(), json!("maxEndsOn"))
        );
        assert_eq!(read(&app, &id).await["version"], 2);
    }
}

#[tokio::test]
async fn exercising_moves_ends_on_by_each_option_in_turn() {
    for app in apps().await {
        let area = app.create_area("Møbler").await;
        // 2099-01-31 + 13 months = 2100-02-28 (2100 is no leap year).
        let id = app
            .create_agreement(input(
                &area,
                "E-1",
                "2020-01-01",
                "2099-01-31",
                options(&[1, 12]),
            ))
            .await;
        let today = day(0);
        // First option, 1 month: 2099-01-31 -> 2099-02-28; 12 months left -> 2100-02-28.
        let d = app
            .ok(&app.adviser(), EXERCISE, json!({ "id": id, "v": 1 }))
            .await;
        assert_eq!(
            d["exerciseOption"],
            json!({
                "endsOn": "2099-02-28", "maxEndsOn": "2100-02-28", "version": 2, "status": "ACTIVE",
                "options": [
                    { "months": 1, "exercisedOn": today, "endsOn": "2099-02-28" },
                    { "months": 12, "exercisedOn": null, "endsOn": null }
                ]
            }),
            "[{}]",
            app.backend
        );
        // Second, 12 months from the new end: 2100-02-28; none left, so maxEndsOn = endsOn.
        let d = app
            .ok(&app.admin(), EXERCISE, json!({ "id": id, "v": 2 }))
            .await;
        assert_eq!(
            d["exerciseOption"],
            json!({
                "endsOn": "2100-02-28", "maxEndsOn": "2100-02-28", "version": 3, "status": "ACTIVE",
                "options": [
                    { "months": 1, "exercisedOn": today, "endsOn": "2099-02-28" },
                    { "months": 12, "exercisedOn": today, "endsOn": "2100-02-28" }
                ]
            })
        );
        let events = app.count_audit_events().await;
        assert_eq!(
            refusal(&app, &app.adviser(), EXERCISE, json!({ "id": id, "v": 3 })).await,
            ("BAD_USER_INPUT".to_string(), json!("agreementId")),
            "none left"
        );
        assert_eq!(read(&app, &id).await["version"], 3);
        assert_eq!(app.count_audit_events().await, events);

        // The audit trail, newest first: two exercise-option events with before and after.
        let d = app
            .ok(
                &app.admin(),
                "query($id: String!) { auditEvents(entity: \"agreement\", entityId: $id) { edges { node { action before after } } } }",
                json!({ "id": id }),
            )
            .await;
        let actions = strings(&d["auditEvents"]["edges"], "action");
        assert_eq!(actions, ["exercise-option", "exercise-option", "create"]);
        let last = &d["auditEvents"]["edges"][0]["node"];
        assert_eq!(last["before"]["agreement"]["ends_on"], "2099-02-28");
        assert_eq!(last["before"]["options"][1]["exercised_on"], Value::Null);
        assert_eq!(last["after"]["agreement"]["ends_on"], "2100-02-28");
        assert_eq!(last["after"]["agreement"]["version"], 3);
        assert_eq!(last["after"]["options"][1]["exercised_on"], today);
        assert_eq!(last["after"]["options"][1]["ends_on"], "2100-02-28");
    }
}

#[tokio::test]
async fn only_an_active_agreement_with_an_option_left_at_its_version_may_use_one() {
    for app in apps().await {
        let area = app.create_area("Hvitevarer").await;
        let active = app
            .create_agreement(input(
                &area,
                "N-1",
                "2020-01-01",
                "2099-12-31",
                options(&[6]),
            ))
            .await;
        let planned = app
            .create_agreement(input(&area, "N-2", &day(10), &day(100), options(&[12])))
            .await;
        let expired = app
            .create_agreement(input(&area, "N-3", &day(-100), &day(-1), options(&[12])))
            .await;
        let without = app
            .create_agreement(input(&area, "N-4", "2020-01-01", "2099-12-31", json!({})))
            .await;
        let terminated = app
            .create_agreement(input(
                &area,
                "N-5",
                "2020-01-01",
                "2099-12-31",
                options(&[12]),
            ))
            .await;
        app.ok(
            &app.adviser(),
            "mutation($id: ID!) { updateAgreement(id: $id, expectedVersion: 1, input: { terminated: true }) { version } }",
            json!({ "id": terminated }),
        )
        .await;
        let events = app.count_audit_events().await;
        let bad = ("BAD_USER_INPUT".to_string(), json!("agreementId"));
        for (id, v) in [
            (&planned, 1),
            (&expired, 1),
            (&without, 1),
            (&terminated, 2),
        ] {
            assert_eq!(
                refusal(&app, &app.adviser(), EXERCISE, json!({ "id": id, "v": v })).await,
                bad,
                "[{}] {id}",
                app.backend
            );
        }
        // A stale version: CONFLICT, and the agreement is as it was.
        let (code, _) = refusal(
            &app,
            &app.adviser(),
            EXERCISE,
            json!({ "id": active, "v": 2 }),
        )
        .await;
        assert_eq!(code, "CONFLICT");
        // Buyers and the climate office read the portfolio but may not change it.
        for token in [app.buyer("Oslobygg KF"), app.climate()] {
            let (code, _) = refusal(&app, &token, EXERCISE, json!({ "id": active, "v": 1 })).await;
            assert_eq!(code, "FORBIDDEN");
        }
        let (code, _) = refusal(
            &app,
            &app.adviser(),
            EXERCISE,
            json!({ "id": "999999", "v": 1 }),
        )
        .await;
        assert_eq!(code, "NOT_FOUND");
        let unchanged = json!({
            "endsOn": "2099-12-31", "maxEndsOn": "2100-06-30", "version": 1,
            "options": [{ "months": 6, "exercisedOn": null, "endsOn": null }]
        });
        assert_eq!(read(&app, &active).await, unchanged);
        assert_eq!(app.count_audit_events().await, events);

        // Five writers holding version 1 at once: exactly one uses the option
        // (2099-12-31 + 6 months = 2100-06-30), the others get CONFLICT.
        let token = app.adviser();
        let results = futures_util::future::join_all(
            (0..5).map(|_| app.gql(Some(&token), EXERCISE, json!({ "id": active, "v": 1 }))),
        )
        .await;
        let codes: Vec<String> = results
            .iter()
            .map(
                |(_, body)| match body["errors"][0]["extensions"]["code"].as_str() {
                    Some(code) => code.to_string(),
                    None => "OK".to_string(),
                },
            )
            .collect();
        assert_eq!(
            codes.iter().filter(|c| *c == "OK").count(),
            1,
            "[{}] {codes:?}",
            app.backend
        );
        assert_eq!(
            codes.iter().filter(|c| *c == "CONFLICT").count(),
            4,
            "{codes:?}"
        );
        let after = read(&app, &active).await;
        assert_eq!(after["endsOn"], "2100-06-30");
        assert_eq!(after["version"], 2);
        assert_eq!(app.count_audit_events().await, events + 1);
    }
}

#[tokio::test]
async fn option_decisions_due_lists_active_agreements_with_an_option_left_soonest_first() {
    for app in apps().await {
        let area = app.create_area("Kantineutstyr").await;
        let create = |reference: &'static str, from: i64, to: i64, months: &[i64]| {
            let i = input(&area, reference, &day(from), &day(to), options(months));
            let app = &app;
            async move { app.create_agreement(i).await }
        };
        create("D-01", -10, 30, &[12]).await; //       due at 30 days
        create("D-02", -10, 0, &[12]).await; //        ends today: due at 0 days
        create("D-03", -10, 90, &[12, 12]).await; //   due at 90, not at 89
        create("D-04", -10, 91, &[12]).await; //       91 days: never within 90
        create("D-05", -10, 20, &[]).await; //         no option
        let used = create("D-06", -10, 10, &[1]).await; // its only option used below
        let once = create("D-07", -10, 10, &[1, 12]).await; // one of two used below
        create("D-08", 5, 50, &[12]).await; //         PLANNED
        create("D-09", -100, -1, &[12]).await; //      EXPIRED
        let ended = create("D-10", -10, 15, &[12]).await; // TERMINATED below
        create("D-11", -10, 30, &[6]).await; //        same day as D-01: by reference
        // D-06 and D-07: today+10 plus one month is 38 to 41 days from today (a month has
        // 28-31 days), between D-11 (30) and D-03 (90).
        for id in [&used, &once] {
            app.ok(&app.adviser(), EXERCISE, json!({ "id": id, "v": 1 }))
                .await;
        }
        app.ok(
            &app.adviser(),
            "mutation($id: ID!) { updateAgreement(id: $id, expectedVersion: 1, input: { terminated: true }) { version } }",
            json!({ "id": ended }),
        )
        .await;
        let due = |days: i64| {
            let app = &app;
            async move {
                let d = app
                    .ok(
                        &app.buyer("Bydel Frogner"),
                        "query($d: Int!) { portfolioSummary { optionDecisionsDue(days: $d) { reference } } }",
                        json!({ "d": days }),
                    )
                    .await;
                strings(&d["portfolioSummary"]["optionDecisionsDue"], "reference")
            }
        };
        assert_eq!(
            due(90).await,
            ["D-02", "D-01", "D-11", "D-07", "D-03"],
            "[{}]",
            app.backend
        );
        assert_eq!(due(89).await, ["D-02", "D-01", "D-11", "D-07"]);
        assert_eq!(due(29).await, ["D-02"]);
        assert_eq!(due(0).await, ["D-02"]);
        assert_eq!(due(3650).await.len(), 6, "D-04 joins at 91 days");
        for days in [-1, 3651] {
            let (code, field) = refusal(
                &app,
                &app.adviser(),
                "query($d: Int!) { portfolioSummary { optionDecisionsDue(days: $d) { reference } } }",
                json!({ "d": days }),
            )
            .await;
            assert_eq!(
                (code.as_str(), field),
                ("BAD_USER_INPUT", json!("days")),
                "{days}"
            );
        }
    }
}
