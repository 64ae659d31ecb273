//! Agreement participants over HTTP, on SQLite and PostgreSQL: which agencies may buy under an
//! agreement, and `agreements(filter: {participant})`. Values worked out by hand from
//! docs/rules.md (Participants and options); agency names are the seeded register's.

use crate::common::{TestApp, apps, day, strings};
use serde_json::{Value, json};

/// Creates an agreement in `area` from the base fields and `extra`; returns its id.
async fn agreement(
    app: &TestApp,
    area: &str,
    reference: &str,
    from: i64,
    to: i64,
    extra: Value,
) -> String {
    let mut input = json!({
        "reference": reference, "title": format!("Avtale {reference}"), "areaId": area,
        "kind": "FRAMEWORK_AGREEMENT", "category": "SERVICES", "startsOn": day(from), "endsOn": day(to)
    });
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    app.create_agreement(input).await
}

/// (totalCount, references) of `agreements(filter)`, asked by a buyer.
async fn usable(app: &TestApp, filter: Value) -> (i64, Vec<String>) {
    let d = app
        .ok(
            &app.buyer("Bydel Frogner"),
            "query($f: AgreementFilter) { agreements(filter: $f, first: 100) { totalCount edges { node { reference } } } }",
            json!({ "f": filter }),
        )
        .await;
    (
        d["agreements"]["totalCount"].as_i64().unwrap(),
        strings(&d["agreements"]["edges"], "reference"),
    )
}

async fn participant_names(app: &TestApp, id: &str) -> Vec<String> {
    let d = app
        .ok(
            &app.buyer("Bydel Frogner"),
            "query($id: ID!) { agreement(id: $id) { participants { name } } }",
            json!({ "id": id }),
        )
        .await;
    strings(&d["agreement"]["participants"], "name")
}

/// The agreements of the tests below:
///   P-1 ACTIVE  "Oslobygg" and "bydel  frogner" -> Bydel Frogner, Oslobygg KF
///   P-2 ACTIVE  no participants: open to every agency
///   P-3 ACTIVE  "BYM" -> Bymiljøetaten
///   P-4 EXPIRED Utdanningsetaten, Sykehjemsetaten
async fn portfolio(app: &TestApp) -> Vec<String> {
    let area = app.create_area("Vikartjenester").await;
    vec![
        agreement(
            app,
            &area,
            "P-1",
            -10,
            300,
            json!({ "participants": ["Oslobygg", "bydel  frogner"] }),
        )
        .await,
        agreement(app, &area, "P-2", -10, 300, json!({})).await,
        agreement(
            app,
            &area,
            "P-3",
            -10,
            300,
            json!({ "participants": ["BYM"] }),
        )
        .await,
        agreement(
            app,
            &area,
            "P-4",
            -400,
            -1,
            json!({ "participants": ["Utdanningsetaten", "Sykehjemsetaten"] }),
        )
        .await,
    ]
}

#[tokio::test]
async fn participants_read_back_as_agencies_by_name() {
    for app in apps().await {
        let ids = portfolio(&app).await;
        let d = app
            .ok(
                &app.buyer("Bydel Frogner"),
                "query($id: ID!) { agreement(id: $id) { participants { id name aliases } } }",
                json!({ "id": ids[0] }),
            )
            .await;
        let p = &d["agreement"]["participants"];
        // The texts typed are stored as the agencies they match, listed by name.
        assert_eq!(p[0]["name"], "Bydel Frogner", "[{}]", app.backend);
        assert_eq!(p[1]["name"], "Oslobygg KF");
        assert!(
            p[1]["aliases"]
                .as_array()
                .unwrap()
                .contains(&json!("Oslobygg"))
        );
        assert_eq!(p.as_array().unwrap().len(), 2);
        assert_eq!(participant_names(&app, &ids[1]).await, Vec::<String>::new());
        assert_eq!(participant_names(&app, &ids[2]).await, ["Bymiljøetaten"]);
        assert_eq!(
            participant_names(&app, &ids[3]).await,
            ["Sykehjemsetaten", "Utdanningsetaten"]
        );

        // The create event records the agencies.
        let d = app
            .ok(
                &app.admin(),
                "query($id: String!) { auditEvents(entity: \"agreement\", entityId: $id) { edges { node { action after } } } }",
                json!({ "id": ids[0] }),
            )
            .await;
        let event = &d["auditEvents"]["edges"][0]["node"];
        assert_eq!(event["action"], "create");
        assert_eq!(event["after"]["participants"].as_array().unwrap().len(), 2);
    }
}

#[tokio::test]
async fn the_participant_filter_lists_the_agencys_own_and_the_open_agreements() {
    for app in apps().await {
        portfolio(&app).await;
        // Oslobygg KF: its own P-1 and the open P-2; not P-3 (BYM only) nor P-4.
        assert_eq!(
            usable(&app, json!({ "participant": "Oslobygg KF" })).await,
            (2, vec!["P-1".to_string(), "P-2".to_string()]),
            "[{}]",
            app.backend
        );
        // Aliases and spellings find the same agency.
        for text in ["OBY", " oslobygg  k.f. "] {
            assert_eq!(
                usable(&app, json!({ "participant": text })).await.1,
                ["P-1", "P-2"],
                "{text}"
            );
        }
        assert_eq!(
            usable(&app, json!({ "participant": "Bymiljøetaten" }))
                .await
                .1,
            ["P-2", "P-3"]
        );
        // An agency no agreement lists: only the open one.
        assert_eq!(
            usable(&app, json!({ "participant": "Boligbygg Oslo KF" })).await,
            (1, vec!["P-2".to_string()])
        );
        // With other filters: Sykehjemsetaten may use P-2 and P-4, and only P-2 is ACTIVE.
        assert_eq!(
            usable(&app, json!({ "participant": "SYE" })).await.1,
            ["P-2", "P-4"]
        );
        assert_eq!(
            usable(&app, json!({ "participant": "SYE", "status": "ACTIVE" }))
                .await
                .1,
            ["P-2"]
        );
        assert_eq!(
            usable(&app, json!({ "participant": "SYE", "search": "p-4" }))
                .await
                .1,
            ["P-4"]
        );

        // Pages: 2 in all, one per page.
        let q = "query($a: String) { agreements(filter: { participant: \"Oslobygg\" }, first: 1, after: $a) {
            totalCount pageInfo { hasNextPage endCursor } edges { node { reference } } } }";
        let d = app.ok(&app.adviser(), q, json!({ "a": null })).await;
        assert_eq!(d["agreements"]["totalCount"], 2);
        assert_eq!(strings(&d["agreements"]["edges"], "reference"), ["P-1"]);
        assert_eq!(d["agreements"]["pageInfo"]["hasNextPage"], true);
        let cursor = d["agreements"]["pageInfo"]["endCursor"].clone();
        let d = app.ok(&app.adviser(), q, json!({ "a": cursor })).await;
        assert_eq!(d["agreements"]["totalCount"], 2);
        assert_eq!(strings(&d["agreements"]["edges"], "reference"), ["P-2"]);
        assert_eq!(d["agreements"]["pageInfo"]["hasNextPage"], false);

        // A text that matches no agency names the filter field.
        let (code, body) = app
            .error_code(
                Some(&app.buyer("Bydel Frogner")),
                "{ agreements(filter: { participant: \"Oslo Sporveier\" }) { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(code, "BAD_USER_INPUT", "[{}] {body}", app.backend);
        assert_eq!(body["errors"][0]["extensions"]["field"], "participant");
    }
}

#[tokio::test]
async fn update_replaces_or_keeps_participants_and_bad_texts_write_nothing() {
    for app in apps().await {
        let ids = portfolio(&app).await;
        let update = "mutation($id: ID!, $v: Int!, $i: UpdateAgreementInput!) {
            updateAgreement(id: $id, expectedVersion: $v, input: $i) { version participants { name } } }";
        // P-2 now lists Boligbygg only; Oslobygg KF keeps P-1 alone.
        let d = app
            .ok(
                &app.adviser(),
                update,
                json!({ "id": ids[1], "v": 1, "i": { "participants": ["Boligbygg"] } }),
            )
            .await;
        assert_eq!(
            d["updateAgreement"],
            json!({ "version": 2, "participants": [{ "name": "Boligbygg Oslo KF" }] }),
            "[{}]",
            app.backend
        );
        assert_eq!(
            usable(&app, json!({ "participant": "Oslobygg KF" }))
                .await
                .1,
            ["P-1"]
        );
        // [] opens P-1 to all: Boligbygg may now use P-1 (open) and P-2 (its own).
        let d = app
            .ok(
                &app.adviser(),
                update,
                json!({ "id": ids[0], "v": 1, "i": { "participants": [] } }),
            )
            .await;
        assert_eq!(d["updateAgreement"]["participants"], json!([]));
        assert_eq!(
            usable(&app, json!({ "participant": "Boligbygg Oslo KF" }))
                .await
                .1,
            ["P-1", "P-2"]
        );
        // Not given: unchanged.
        let d = app
            .ok(
                &app.adviser(),
                update,
                json!({ "id": ids[2], "v": 1, "i": { "title": "Ny tittel" } }),
            )
            .await;
        assert_eq!(
            d["updateAgreement"]["participants"],
            json!([{ "name": "Bymiljøetaten" }])
        );

        // Unknown or repeated agencies: BAD_USER_INPUT on the element, nothing written.
        let events = app.count_audit_events().await;
        let area = app.create_area("Tolketjenester").await;
        let events = events + 1;
        for (participants, field) in [
            (json!(["Oslobygg", "Oslo Sporveier"]), "participants[1]"),
            (json!([""]), "participants[0]"),
            (
                json!(["Oslobygg", "Bydel Frogner", "OBY"]),
                "participants[2]",
            ),
        ] {
            let (code, body) = app
                .error_code(
                    Some(&app.admin()),
                    "mutation($i: CreateAgreementInput!) { createAgreement(input: $i) { id } }",
                    json!({ "i": {
                        "reference": "X-1", "title": "X", "areaId": area, "kind": "FRAMEWORK_AGREEMENT",
                        "category": "SERVICES", "startsOn": day(0), "endsOn": day(10), "participants": participants
                    } }),
                )
                .await;
            assert_eq!(code, "BAD_USER_INPUT", "[{}] {body}", app.backend);
            assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
        }
        let (code, body) = app
            .error_code(
                Some(&app.adviser()),
                update,
                json!({ "id": ids[2], "v": 2, "i": { "title": "Endret", "participants": ["Ingen etat"] } }),
            )
            .await;
        assert_eq!(code, "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "participants[0]");
        assert_eq!(app.count_audit_events().await, events);
        let d = app
            .ok(
                &app.adviser(),
                "query($id: ID!) { agreement(id: $id) { title version participants { name } } }",
                json!({ "id": ids[2] }),
            )
            .await;
        assert_eq!(
            d["agreement"],
            json!({ "title": "Ny tittel", "version": 2, "participants": [{ "name": "Bymiljøetaten" }] })
        );
        assert_eq!(
            usable(&app, json!({})).await.0,
            4,
            "no agreement X-1 was created"
        );
    }
}
