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
