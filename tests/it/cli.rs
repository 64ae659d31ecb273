//! The binary's commands as an operator runs them.

use std::process::Command;

fn samkjop() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_samkjop"));
    for var in [
        "JWT_SECRET",
        "JWT_PUBLIC_KEY_FILE",
        "DATABASE_URL",
        "SAMKJOP_BIND",
    ] {
        c.env_remove(var);
    }
    c
}

#[test]
fn export_schema_matches_the_committed_file() {
    let out = samkjop().arg("export-schema").output().unwrap();
    assert!(out.status.success());
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql")).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), committed);
}

#[test]
fn serve_without_a_key_refuses_to_start_and_names_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let out = samkjop()
        .current_dir(dir.path())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("JWT_SECRET"), "{stderr}");
    // It failed before creating a database.
    assert!(!dir.path().join("samkjop.db").exists());
}

#[test]
fn a_bad_setting_stops_start_up_with_its_name() {
    let out = samkjop()
        .env("JWT_SECRET", "short")
        .args(["serve"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("JWT_SECRET"));
}

#[test]
fn serve_refuses_a_trade_file_with_an_unknown_flag_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let trades = dir.path().join("fag.json");
    std::fs::write(
        &trades,
        "{ \"trades\": [\n  { \"name\": \"Tømrer\", \"craft\": true, \"apprenticeTrade\": true },\n  { \"name\": \"Maler\", \"craft\": true, \"apprentice\": true }\n] }",
    )
    .unwrap();
    let out = samkjop()
        .current_dir(dir.path())
        .env("SAMKJOP_TRADES_FILE", &trades)
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("SAMKJOP_TRADES_FILE")
            && stderr.contains("line 3")
            && stderr.contains("unknown field `apprentice`"),
        "{stderr}"
    );
    // It failed before creating a database.
    assert!(!dir.path().join("samkjop.db").exists());
}

#[test]
fn token_signs_with_the_configured_secret() {
    let secret = "cli-test-secret-cli-test-secret-cli-test";
    let out = samkjop()
        .env("JWT_SECRET", secret)
        .args([
            "token",
            "--sub",
            "kari",
            "--role",
            "BUYER",
            "--role",
            "adviser",
            "--agency",
            "Oslobygg KF",
            "--ttl",
            "30m",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap();
    let settings = api::config::JwtSettings {
        key: api::config::JwtKey::Secret(secrecy::SecretString::from(secret)),
        issuer: "samkjop".into(),
        audience: "samkjop".into(),
        max_token_lifetime_secs: api::config::DEFAULT_MAX_TOKEN_LIFETIME_SECS,
    };
    let viewer = api::auth::Authenticator::from_settings(&settings)
        .unwrap()
        .verify(token.trim())
        .unwrap();
    assert_eq!(viewer.subject, "kari");
    assert_eq!(
        viewer.roles,
        vec![api::auth::Role::Buyer, api::auth::Role::Adviser]
    );
    assert_eq!(viewer.agency.as_deref(), Some("Oslobygg KF"));

    let out = samkjop()
        .env("JWT_SECRET", secret)
        .args(["token", "--sub", "x", "--role", "KING"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a role"));
}

#[test]
fn migrate_creates_and_updates_the_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = samkjop()
        .current_dir(dir.path())
        .arg("migrate")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("samkjop.db").exists());
    // Twice is fine.
    let out = samkjop()
        .current_dir(dir.path())
        .arg("migrate")
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn import_hmsreg_prints_the_shares_and_fails_on_a_rejected_file() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "cli-test-secret-cli-test-secret-cli-test";
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/hmsreg/bymiljoetaten-2026-q1.csv"
    );
    let run = |args: &[&str]| {
        samkjop()
            .current_dir(dir.path())
            .env("JWT_SECRET", secret)
            .args(args)
            .output()
            .unwrap()
    };

    let out = run(&["import-hmsreg", fixture, "--json", "--dry-run"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["status"], "ACCEPTED");
    assert_eq!(report["importId"], serde_json::Value::Null);
    // 220.5 skilled of 320.5 relevant hours (fixture worked by hand).
    assert_eq!(report["total"]["relevantHours"], "320.50");
    assert_eq!(report["total"]["skilledHours"], "220.50");
    // Anleggsgartner is a craft and apprentice trade: every hour is in both bases.
    assert_eq!(report["total"]["skilledBaseHours"], "320.50");
    assert_eq!(report["total"]["apprenticeBaseHours"], "320.50");

    let out = run(&["import-hmsreg", fixture]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("ACCEPTED as import 1"), "{text}");
    assert!(text.contains("skilled share 68.8 %"), "{text}");
    // The same file again is rejected: exit code 1.
    let out = run(&["import-hmsreg", fixture]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("DUPLICATE_FILE"));

    let bad = dir.path().join("feil.csv");
    std::fs::write(
        &bad,
        "Dato;Orgnr;Prosjekt;Kategori;Timer\n02.03.2026;974760673;P-1;Sjef;7\n",
    )
    .unwrap();
    let out = run(&["import-hmsreg", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("UNKNOWN_CATEGORY feil.csv!D2"), "{text}");
}

/// Two demo suppliers in Enhetsregisteret's format: 303703829 (bankrupt in the demo file)
/// now clean, 301253737 (not in the demo file) now bankrupt; and one that is none of ours.
fn register_file(konkurs_of_second: &str) -> String {
    let entity = |org: &str, name: &str, konkurs: &str| {
        format!(
            r#"{{"organisasjonsnummer":"{org}","navn":"{name}","organisasjonsform":{{"kode":"AS"}},"konkurs":{konkurs},"underAvvikling":false,"underTvangsavviklingEllerTvangsopplosning":false,"_links":{{}}}}"#
        )
    };
    format!(
        "[{},\n{},\n{}]",
        entity("303703829", "KAMPEN BEMANNING SA", "false"),
        entity("301253737", "DEMO AS", konkurs_of_second),
        entity("974760673", "REGISTERENHETEN I BRØNNØYSUND", "false"),
    )
}

#[tokio::test]
async fn import_brreg_replaces_the_register_and_refuses_a_bad_file_with_exit_code_1() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let mut urls = vec![(
        "sqlite",
        format!("sqlite://{}?mode=rwc", dir.path().join("cli.db").display()),
    )];
    if let Some(url) = crate::common::postgres::fresh_database_url().await {
        urls.push(("postgres", url));
    }
    for (backend, url) in urls {
        let run = |args: &[&str]| {
            samkjop()
                .current_dir(dir.path())
                .env("JWT_SECRET", "cli-test-secret-cli-test-secret-cli-test")
                .env("DATABASE_URL", &url)
                .args(args)
                .output()
                .unwrap()
        };
        let entries = || async {
            use sea_orm::{EntityTrait, PaginatorTrait};
            let db = api::db::connect(&url).await.unwrap();
            entity::registry_entry::Entity::find()
                .count(&db)
                .await
                .unwrap()
        };
        // The demo data loads the demo register file: every demo supplier but one.
        let out = run(&["seed"]);
        assert!(
            out.status.success(),
            "[{backend}] {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout)
                .contains("registry (fixtures/brreg/enheter.json): 179 records added")
        );

        let gz = dir.path().join("enheter_alle.json.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(register_file("true").as_bytes()).unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        let out = run(&["import-brreg", gz.to_str().unwrap(), "--json"]);
        assert!(
            out.status.success(),
            "[{backend}] {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["status"], "ACCEPTED");
        assert_eq!(report["gzip"], true);
        assert_eq!(report["entities"], 3);
        // The two demo suppliers; Brønnøysund itself is none of ours.
        assert_eq!(report["kept"], 2, "[{backend}] {report}");
        assert_eq!(report["replaced"], 179);
        assert_eq!(report["flagged"][0]["orgNumber"], "301253737");
        assert_eq!(report["flagged"].as_array().unwrap().len(), 1);
        assert_eq!(entries().await, 2);
        // With --json the progress goes to the log as plain lines.
        assert!(
            String::from_utf8_lossy(&out.stderr)
                .contains("import-brreg enheter_alle.json.gz: read: 3 entities read")
        );

        // A cut-off file: exit code 1, said in words, nothing changed.
        let cut = dir.path().join("cut.json");
        let whole = register_file("false");
        std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
        let out = run(&["import-brreg", cut.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "[{backend}]");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("cut.json: REFUSED, nothing changed"),
            "{text}"
        );
        assert!(text.contains("the file is truncated"), "{text}");
        assert_eq!(entries().await, 2);

        // A malformed entity, named by its position: the whole file is refused.
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, register_file("\"ja\"")).unwrap();
        let out = run(&["import-brreg", bad.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("entity 2 (301253737): konkurs is not a boolean (it is text)"),
            "{text}"
        );
        assert_eq!(entries().await, 2);

        // A file that does not exist is an error too, naming it.
        let out = run(&["import-brreg", "finnes-ikke.json"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("finnes-ikke.json"));
    }
}
