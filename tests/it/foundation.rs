//! The foundation over HTTP: health, readiness, sign-in, access, limits, errors, pagination.

use crate::common::{TEST_SECRET, apps};
use api::{
    audit::{self, AuditEvent},
    auth::Role,
    config::Limits,
};
use jsonwebtoken::{EncodingKey, Header, encode};
use reqwest::StatusCode;
use serde_json::{Value, json};

const VIEWER: &str = "{ viewer { subject name roles agency } }";

#[tokio::test]
async fn health_ready_schema_and_graphiql_answer() {
    for app in apps().await {
        let r = app.get("/health").await;
        assert_eq!(r.status(), StatusCode::OK, "[{}]", app.backend);
        let r = app.get("/ready").await;
        assert_eq!(r.status(), StatusCode::OK, "[{}]", app.backend);
        let sdl = app.get("/schema.graphql").await.text().await.unwrap();
        assert!(sdl.contains("type Viewer"), "[{}]", app.backend);
        let page = app.get("/graphql").await;
        assert_eq!(page.status(), StatusCode::OK);
        assert!(
            page.text()
                .await
                .unwrap()
                .to_lowercase()
                .contains("graphiql")
        );
    }
}

#[tokio::test]
async fn ready_says_503_when_the_database_is_gone() {
    for app in apps().await {
        app.db.clone().close().await.unwrap();
        let r = app.get("/ready").await;
        assert_eq!(
            r.status(),
            StatusCode::SERVICE_UNAVAILABLE,
            "[{}]",
            app.backend
        );
        // The process itself is still up.
        assert_eq!(app.get("/health").await.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn viewer_returns_the_token_claims() {
    for app in apps().await {
        let token = app.buyer("Bymiljøetaten");
        let data = app.ok(&token, VIEWER, json!({})).await;
        assert_eq!(
            data["viewer"],
            json!({ "subject": "tester", "name": "Test Person", "roles": ["BUYER"], "agency": "Bymiljøetaten" })
        );
        let token = app.token(&[Role::Adviser, Role::ClimateOffice], None);
        let data = app.ok(&token, VIEWER, json!({})).await;
        assert_eq!(
            data["viewer"]["roles"],
            json!(["ADVISER", "CLIMATE_OFFICE"])
        );
        assert_eq!(data["viewer"]["agency"], Value::Null);
    }
}

#[tokio::test]
async fn no_token_means_no_data() {
    for app in apps().await {
        let (status, body) = app.gql(None, VIEWER, json!({})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "[{}]",
            app.backend
        );
        assert_eq!(body["data"], Value::Null);
    }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn claims(exp: i64, iss: &str, aud: &str) -> Value {
    json!({ "sub": "mallory", "roles": ["ADMIN"], "exp": exp, "iat": now() - 10, "iss": iss, "aud": aud })
}

fn sign(claims: &Value, secret: &str) -> String {
    encode(
        &Header::default(),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn every_kind_of_bad_token_is_unauthenticated() {
    let future = now() + 600;
    let no_exp = json!({ "sub": "mallory", "roles": ["ADMIN"], "iat": now(), "iss": "samkjop", "aud": "samkjop" });
    let no_roles = json!({ "sub": "mallory", "roles": [], "exp": future, "iat": now(), "iss": "samkjop", "aud": "samkjop" });
    // alg "none": header {"alg":"none","typ":"JWT"}, the claims, and no signature.
    let unsigned = {
        use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(claims(future, "samkjop", "samkjop").to_string());
        format!("{header}.{body}.")
    };
    let cases: Vec<(&str, String)> = vec![
        (
            "expired",
            sign(&claims(now() - 3600, "samkjop", "samkjop"), TEST_SECRET),
        ),
        (
            "wrong secret",
            sign(
                &claims(future, "samkjop", "samkjop"),
                "another-secret-another-secret-0000000",
            ),
        ),
        (
            "wrong issuer",
            sign(&claims(future, "evil", "samkjop"), TEST_SECRET),
        ),
        (
            "wrong audience",
            sign(&claims(future, "samkjop", "elsewhere"), TEST_SECRET),
        ),
        ("no exp", sign(&no_exp, TEST_SECRET)),
        ("no roles", sign(&no_roles, TEST_SECRET)),
        ("alg none", unsigned),
        ("malformed", "not.a.jwt".to_string()),
    ];
    for app in apps().await {
        for (label, token) in &cases {
            let (status, body) = app.gql(Some(token), VIEWER, json!({})).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "[{}] {label}: {body}",
                app.backend
            );
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
                "[{}] {label}",
                app.backend
            );
            assert!(body.get("data").is_none(), "[{}] {label}", app.backend);
        }
        // Not a bearer token at all.
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .header("Authorization", "Basic dXNlcjpwYXNz")
            .json(&json!({ "query": VIEWER }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    }
}

#[tokio::test]
async fn the_expired_token_says_so() {
    let app = crate::common::sqlite_app(Limits::default()).await;
    let token = sign(&claims(now() - 3600, "samkjop", "samkjop"), TEST_SECRET);
    let (_, body) = app.gql(Some(&token), VIEWER, json!({})).await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{body}"
    );
}

const AUDIT: &str = "query($first: Int, $after: String, $entity: String) {
  auditEvents(first: $first, after: $after, entity: $entity) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { actor action entity entityId before after } }
  }
}";

#[tokio::test]
async fn a_role_without_access_is_forbidden() {
    for app in apps().await {
        for token in [app.adviser(), app.buyer("Oslobygg KF"), app.climate()] {
            let (code, _) = app.error_code(Some(&token), AUDIT, json!({})).await;
            assert_eq!(code, "FORBIDDEN", "[{}]", app.backend);
        }
        app.ok(&app.admin(), AUDIT, json!({})).await;
    }
}

#[tokio::test]
async fn audit_events_page_newest_first_with_opaque_cursors() {
    for app in apps().await {
        for i in 1..=5 {
            audit::record(
                &app.db,
                AuditEvent {
                    actor: "kari",
                    action: "update",
                    entity: if i == 3 { "supplier" } else { "agreement" },
                    entity_id: i.to_string(),
                    before: Some(json!({ "n": i - 1 })),
                    after: Some(json!({ "n": i })),
                },
            )
            .await
            .unwrap();
        }
        let admin = app.admin();
        let first = app
            .ok(&admin, AUDIT, json!({ "first": 2, "entity": "agreement" }))
            .await;
        let conn = &first["auditEvents"];
        // Four agreement events (1, 2, 4, 5), newest first: 5, 4 | 2, 1.
        assert_eq!(conn["totalCount"], 4, "[{}]", app.backend);
        let ids: Vec<&str> = conn["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["entityId"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["5", "4"]);
        assert_eq!(conn["pageInfo"]["hasNextPage"], true);
        assert_eq!(conn["pageInfo"]["hasPreviousPage"], false);
        assert_eq!(conn["edges"][0]["node"]["after"], json!({ "n": 5 }));
        let after = conn["pageInfo"]["endCursor"].as_str().unwrap().to_string();
        let second = app
            .ok(
                &admin,
                AUDIT,
                json!({ "first": 2, "after": after, "entity": "agreement" }),
            )
            .await;
        let conn = &second["auditEvents"];
        let ids: Vec<&str> = conn["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["entityId"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["2", "1"]);
        assert_eq!(conn["pageInfo"]["hasNextPage"], false);
        assert_eq!(conn["pageInfo"]["hasPreviousPage"], true);
        // Page size limits.
        let (code, body) = app
            .error_code(Some(&admin), AUDIT, json!({ "first": 501 }))
            .await;
        assert_eq!(code, "BAD_USER_INPUT");
        assert_eq!(body["errors"][0]["extensions"]["field"], "first");
        let (code, _) = app
            .error_code(Some(&admin), AUDIT, json!({ "after": "forged" }))
            .await;
        assert_eq!(code, "BAD_USER_INPUT");
    }
}

#[tokio::test]
async fn an_over_deep_query_is_refused() {
    for app in apps().await {
        // 13 levels of fields; the default limit is 12. The limit is checked before the fields are.
        let mut query = String::from("x");
        for i in 0..12 {
            query = format!("f{i} {{ {query} }}");
        }
        let query = format!("{{ {query} }}");
        let (code, body) = app.error_code(Some(&app.admin()), &query, json!({})).await;
        assert_eq!(code, "BAD_USER_INPUT", "[{}]", app.backend);
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("13 levels"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn a_lower_depth_setting_is_enforced() {
    let limits = Limits {
        query_depth: 1,
        ..Limits::default()
    };
    let app = crate::common::sqlite_app(limits).await;
    let (code, _) = app.error_code(Some(&app.admin()), VIEWER, json!({})).await;
    assert_eq!(code, "BAD_USER_INPUT");
}

#[tokio::test]
async fn graphiql_introspection_works_under_the_default_limits() {
    for app in apps().await {
        // Introspection carries no data, so GraphiQL may load the schema before a token is pasted.
        let (status, body) = app.gql(None, INTROSPECTION, json!({})).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.get("errors").is_none(), "[{}] {body}", app.backend);
        let types = body["data"]["__schema"]["types"].as_array().unwrap();
        assert!(types.iter().any(|t| t["name"] == "Viewer"));
    }
}

#[tokio::test]
async fn an_over_size_body_is_refused() {
    for app in apps().await {
        let padding = "#".repeat(2 * 1024 * 1024);
        let (status, body) = app
            .gql(
                Some(&app.admin()),
                &format!("{VIEWER} {padding}"),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "[{}]", app.backend);
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        // Chunked, with no Content-Length to go by: still cut off.
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> = (0..40)
            .map(|_| Ok(vec![b' '; 64 * 1024]))
            .chain(std::iter::once(Ok(
                br#"{"query":"{ viewer { subject } }"}"#.to_vec(),
            )))
            .collect();
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .bearer_auth(app.admin())
            .header("Content-Type", "application/json")
            .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
                chunks,
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "[{}]",
            app.backend
        );
    }
}

#[tokio::test]
async fn malformed_requests_get_codes_too() {
    let app = crate::common::sqlite_app(Limits::default()).await;
    let admin = app.admin();
    let (code, _) = app
        .error_code(Some(&admin), "{ noSuchField }", json!({}))
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
    let (code, body) = app
        .error_code(Some(&admin), AUDIT, json!({ "first": "ten" }))
        .await;
    assert_eq!(code, "BAD_USER_INPUT", "{body}");
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&admin)
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
}

/// graphql-js 16's `getIntrospectionQuery()`, as GraphiQL sends it.
const INTROSPECTION: &str = include_str!("../../fixtures/graphql/introspection.graphql");
