//! Test helpers: the real server on port 0 over a fresh database, on SQLite and on PostgreSQL.

pub mod postgres;

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use api::{
    auth::{Authenticator, Role},
    config::{JwtKey, JwtSettings, Limits},
    server::Application,
    tenders::catalogue::Catalogue,
};
use reqwest::StatusCode;
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};

pub const TEST_SECRET: &str = "integration-test-secret-0123456789abcdef";

pub fn jwt_settings() -> JwtSettings {
    JwtSettings {
        key: JwtKey::Secret(secrecy::SecretString::from(TEST_SECRET)),
        issuer: "samkjop".into(),
        audience: "samkjop".into(),
        max_token_lifetime_secs: api::config::DEFAULT_MAX_TOKEN_LIFETIME_SECS,
    }
}

/// The HMSREG settings the test server runs with: defaults and the shipped trade catalogue,
/// keyed with the test secret.
pub fn hmsreg_config(limits: &Limits) -> api::hmsreg::service::HmsregConfig {
    let trades = api::hmsreg::trades::TradeCatalogue::parse(api::hmsreg::trades::DEFAULT)
        .expect("shipped trades");
    api::hmsreg::service::HmsregConfig {
        worker_key: TEST_SECRET.as_bytes().to_vec(),
        shares: api::hmsreg::shares::ShareSettings {
            trades: Arc::new(trades),
            ..Default::default()
        },
        read: api::hmsreg::reader::ReadLimits {
            max_rows: limits.sheet_rows,
            max_columns: limits.sheet_columns,
        },
        max_file_bytes: limits.upload_bytes as u64,
    }
}

pub struct TestApp {
    pub backend: &'static str,
    pub address: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    /// SQL statements the app has sent since the last [`TestApp::reset_statements`].
    statements: Arc<AtomicUsize>,
    statement_log: Arc<std::sync::Mutex<Vec<String>>>,
    signer: Authenticator,
    _dir: Option<tempfile::TempDir>,
}

/// One app per storage backend: SQLite always, PostgreSQL when a server is available.
pub async fn apps() -> Vec<TestApp> {
    apps_with(Limits::default()).await
}

pub async fn apps_with(limits: Limits) -> Vec<TestApp> {
    let mut apps = vec![sqlite_app(limits.clone()).await];
    if let Some(url) = postgres::fresh_database_url().await {
        apps.push(spawn("postgres", &url, limits, None).await);
    }
    apps
}

pub async fn sqlite_app(limits: Limits) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
    spawn("sqlite", &url, limits, Some(dir)).await
}

/// The shipped rule catalogue, as the server loads it without `SAMKJOP_RULES_FILE`.
pub fn shipped_catalogue() -> Arc<Catalogue> {
    Arc::new(Catalogue::parse(api::tenders::catalogue::DEFAULT).expect("shipped rules"))
}

/// What the demo data sets need, with the test settings and the shipped rules.
pub fn fixture_context() -> api::fixtures::FixtureContext {
    api::fixtures::FixtureContext {
        hmsreg: hmsreg_config(&Limits::default()),
        catalogue: shipped_catalogue(),
    }
}

/// Starts the server on `url` (migrating it first); `dir` is kept alive with the app.
pub async fn spawn(
    backend: &'static str,
    url: &str,
    limits: Limits,
    dir: Option<tempfile::TempDir>,
) -> TestApp {
    spawn_with_catalogue(backend, url, limits, dir, shipped_catalogue()).await
}

/// Starts the server on `url` with the rule catalogue `catalogue`, as `serve` does: migrating,
/// then recording the checks tenders lack.
pub async fn spawn_with_catalogue(
    backend: &'static str,
    url: &str,
    limits: Limits,
    dir: Option<tempfile::TempDir>,
    catalogue: Arc<Catalogue>,
) -> TestApp {
    let mut db = api::wiring::open_database(url, &catalogue)
        .await
        .expect("database opens and migrates");
    let statements = Arc::new(AtomicUsize::new(0));
    let statement_log = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (counter, log) = (statements.clone(), statement_log.clone());
    db.set_metric_callback(move |info| {
        counter.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut log) = log.lock() {
            log.push(info.statement.sql.chars().take(90).collect());
        }
    });
    let auth = Authenticator::from_settings(&jwt_settings()).expect("authenticator");
    let hmsreg = hmsreg_config(&limits);
    let app = Application::build("127.0.0.1:0", db.clone(), auth, limits, hmsreg, catalogue)
        .expect("server binds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        backend,
        address,
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("client"),
        db,
        statements,
        statement_log,
        signer: Authenticator::from_settings(&jwt_settings()).expect("signer"),
        _dir: dir,
    }
}

impl TestApp {
    pub fn reset_statements(&self) {
        self.statements.store(0, Ordering::SeqCst);
        if let Ok(mut log) = self.statement_log.lock() {
            log.clear();
        }
    }

    /// The start of each statement sent since the last reset, in order.
    pub fn statement_log(&self) -> Vec<String> {
        self.statement_log
            .lock()
            .map(|l| l.clone())
            .unwrap_or_default()
    }

    pub fn statements(&self) -> usize {
        self.statements.load(Ordering::SeqCst)
    }

    pub fn token(&self, roles: &[Role], agency: Option<&str>) -> String {
        self.signer
            .sign(
                "tester",
                Some("Test Person"),
                roles,
                agency,
                Duration::from_secs(600),
            )
            .expect("token")
    }

    pub fn admin(&self) -> String {
        self.token(&[Role::Admin], None)
    }

    pub fn adviser(&self) -> String {
        self.token(&[Role::Adviser], None)
    }

    pub fn buyer(&self, agency: &str) -> String {
        self.token(&[Role::Buyer], Some(agency))
    }

    pub fn climate(&self) -> String {
        self.token(&[Role::ClimateOffice], None)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request is sent")
    }

    /// Posts a GraphQL request with an optional bearer token; returns the status and the body.
    pub async fn gql(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> (StatusCode, Value) {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request is sent");
        let status = response.status();
        let body = response.json().await.expect("a JSON body");
        (status, body)
    }

    /// `data` of a request that must succeed; panics with the errors otherwise.
    pub async fn ok(&self, token: &str, query: &str, variables: Value) -> Value {
        let (status, body) = self.gql(Some(token), query, variables).await;
        assert_eq!(status, StatusCode::OK, "[{}] {body}", self.backend);
        assert!(
            body.get("errors").is_none(),
            "[{}] unexpected errors: {body}",
            self.backend
        );
        body["data"].clone()
    }

    /// The first error's `extensions.code` of a request that must fail.
    pub async fn error_code(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> (String, Value) {
        let (_, body) = self.gql(token, query, variables).await;
        let code = body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("[{}] expected an error, got {body}", self.backend))
            .to_string();
        (code, body)
    }
}

/// The `code` of every issue in an import payload's `issues`.
pub fn issue_codes(issues: &Value) -> Vec<String> {
    issues
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap().to_string())
        .collect()
}

/// `data[path]` as a list of strings, e.g. the references of a connection's nodes.
pub fn strings(value: &Value, key: &str) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {value}"))
        .iter()
        .map(|v| {
            let v = if v.get("node").is_some() {
                &v["node"]
            } else {
                v
            };
            v[key]
                .as_str()
                .unwrap_or_else(|| panic!("no {key} in {v}"))
                .to_string()
        })
        .collect()
}

/// `days` from today (Oslo) as `YYYY-MM-DD`; negative for the past.
pub fn day(days: i64) -> String {
    (api::clock::today() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// Writes through the API: the helpers below fail the test on any error.
impl TestApp {
    pub async fn create_area(&self, name: &str) -> String {
        let data = self
            .ok(
                &self.admin(),
                "mutation($n: String!) { createAgreementArea(name: $n) { id } }",
                json!({ "n": name }),
            )
            .await;
        data["createAgreementArea"]["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub async fn create_supplier(&self, org: &str, name: &str) {
        self.ok(
            &self.admin(),
            "mutation($i: CreateSupplierInput!) { createSupplier(input: $i) { id } }",
            json!({ "i": { "orgNumber": org, "name": name } }),
        )
        .await;
    }

    /// Creates an agreement from a `CreateAgreementInput` JSON; returns its id.
    pub async fn create_agreement(&self, input: Value) -> String {
        let data = self
            .ok(
                &self.admin(),
                "mutation($i: CreateAgreementInput!) { createAgreement(input: $i) { id } }",
                json!({ "i": input }),
            )
            .await;
        data["createAgreement"]["id"].as_str().unwrap().to_string()
    }

    pub async fn count_audit_events(&self) -> i64 {
        let data = self
            .ok(
                &self.admin(),
                "{ auditEvents(first: 1) { totalCount } }",
                json!({}),
            )
            .await;
        data["auditEvents"]["totalCount"].as_i64().unwrap()
    }

    /// How many HMSREG imports are stored.
    pub async fn count_hmsreg_imports(&self) -> i64 {
        let data = self
            .ok(
                &self.adviser(),
                "{ hmsregImports { totalCount } }",
                json!({}),
            )
            .await;
        data["hmsregImports"]["totalCount"].as_i64().unwrap()
    }
}

impl TestApp {
    /// Imports `bytes` as an adviser with `query` (which takes `$file` and `$dry`); fails the
    /// test on any GraphQL error and returns `importHmsreg`.
    pub async fn import(&self, query: &str, name: &str, bytes: Vec<u8>, dry: bool) -> Value {
        let (status, body) = self
            .upload(
                Some(&self.adviser()),
                query,
                json!({ "dry": dry }),
                name,
                bytes,
            )
            .await;
        assert_eq!(status, 200, "[{}] {body}", self.backend);
        assert!(body.get("errors").is_none(), "[{}] {body}", self.backend);
        body["data"]["importHmsreg"].clone()
    }

    /// Sends a GraphQL multipart request (the upload spec) with `bytes` as `$file`.
    pub async fn upload(
        &self,
        token: Option<&str>,
        query: &str,
        mut variables: Value,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> (StatusCode, Value) {
        variables["file"] = Value::Null;
        let operations = json!({ "query": query, "variables": variables });
        let form = reqwest::multipart::Form::new()
            .text("operations", operations.to_string())
            .text("map", json!({ "0": ["variables.file"] }).to_string())
            .part(
                "0",
                reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()),
            );
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .multipart(form);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request is sent");
        let status = response.status();
        (status, response.json().await.expect("a JSON body"))
    }
}

/// An empty SQLite file and, when PostgreSQL is installed, a fresh PostgreSQL database, each
/// migrated up to migration `step` only: the database as an earlier version left it, for
/// tests of what a later migration or start-up does with old data. Keep `dir` alive while the
/// URLs are used.
pub async fn databases_at_step(
    dir: &tempfile::TempDir,
    step: u32,
) -> Vec<(&'static str, String, sea_orm::DatabaseConnection)> {
    use migration::{Migrator, MigratorTrait};
    let mut urls = vec![(
        "sqlite",
        format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display()),
    )];
    if let Some(url) = postgres::fresh_database_url().await {
        urls.push(("postgres", url));
    }
    let mut out = Vec::new();
    for (backend, url) in urls {
        let db = api::db::connect(&url).await.expect("database opens");
        Migrator::up(&db, Some(step)).await.expect("migrates");
        out.push((backend, url, db));
    }
    out
}
