//! GraphQL over HTTP as the specification has it: a client that accepts
//! `application/graphql-response+json` gets HTTP 400 and no `data` when the request fails
//! before execution; one that accepts `application/json` gets 200, as such clients expect.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::apps;

#[tokio::test]
async fn request_errors_are_400_without_data_for_the_graphql_media_type() {
    for app in apps().await {
        let token = app.admin();
        let post = |accept: &'static str, body: Value| {
            app.client
                .post(format!("{}/graphql", app.address))
                .bearer_auth(&token)
                .header("accept", accept)
                .json(&body)
                .send()
        };
        let graphql_type = "application/graphql-response+json";
        for (what, body) in [
            ("parse", json!({ "query": "{" })),
            ("validation", json!({ "query": "{ noSuchField }" })),
            (
                "variables",
                json!({ "query": "query($y: Int!) { goalScorecard(year: $y) { id } }", "variables": { "y": "not a number" } }),
            ),
            (
                "cost",
                json!({ "query": "{ agreements(first: 500) { edges { node { suppliers { supplier { agreements { suppliers { supplier { id } } } } } } } } }" }),
            ),
        ] {
            let r = post(graphql_type, body.clone()).await.unwrap();
            assert_eq!(
                r.status(),
                StatusCode::BAD_REQUEST,
                "[{}] {what}",
                app.backend
            );
            assert_eq!(r.headers()["content-type"], graphql_type);
            let b: Value = r.json().await.unwrap();
            assert!(b.get("data").is_none(), "[{}] {what}: {b}", app.backend);
            assert_eq!(
                b["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
                "{what}"
            );

            let r = post("application/json", body).await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{what}");
            assert_eq!(r.headers()["content-type"], "application/json");
            let b: Value = r.json().await.unwrap();
            assert!(b["data"].is_null() && b["errors"].is_array(), "{what}: {b}");
        }
        // An error while executing is still 200 with data: other fields may have answered.
        let r = post(graphql_type, json!({ "query": "{ viewer { subject } agreement(id: \"x\") { id } tenders(filter: { agency: \"Oslobyg\" }) { totalCount } }" }))
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let b: Value = r.json().await.unwrap();
        assert_eq!(b["data"]["viewer"]["subject"], "tester", "{b}");
        assert_eq!(b["errors"][0]["path"], json!(["tenders"]));
    }
}
