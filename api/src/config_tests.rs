//! Tests of config.
use super::*;
use std::collections::HashMap;

fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Settings::from_lookup(|k| map.get(k).cloned())
}

#[test]
fn defaults_are_safe() {
    let s = settings(&[]).unwrap();
    assert_eq!(s.bind, "127.0.0.1:8080");
    assert_eq!(s.jwt.key, JwtKey::None);
    assert_eq!(s.jwt.issuer, "samkjop");
    assert_eq!(s.jwt.audience, "samkjop");
    assert_eq!(s.limits.json_body_bytes, 1_048_576);
    assert_eq!(s.limits.upload_bytes, 104_857_600);
    assert_eq!(s.limits.query_depth, 12);
    assert_eq!(s.limits.default_page_size, 50);
    assert_eq!(s.limits.max_page_size, 500);
    assert_eq!(s.database_url(), "sqlite://samkjop.db?mode=rwc");
}

#[test]
fn short_secret_is_refused_by_name() {
    let err = settings(&[("JWT_SECRET", "too-short")]).unwrap_err();
    assert!(err.to_string().contains("JWT_SECRET"));
    assert!(err.to_string().contains("32"));
}

#[test]
fn secret_and_key_file_together_are_refused() {
    let secret = "x".repeat(32);
    let err = settings(&[("JWT_SECRET", &secret), ("JWT_PUBLIC_KEY_FILE", "/k.pem")]).unwrap_err();
    assert!(err.to_string().contains("not both"));
}

#[test]
fn bad_numbers_and_formats_name_the_setting() {
    let err = settings(&[("SAMKJOP_MAX_QUERY_DEPTH", "deep")]).unwrap_err();
    assert!(err.to_string().contains("SAMKJOP_MAX_QUERY_DEPTH"));
    let err = settings(&[("SAMKJOP_DEFAULT_PAGE_SIZE", "600")]).unwrap_err();
    assert!(err.to_string().contains("SAMKJOP_DEFAULT_PAGE_SIZE"));
    let err = settings(&[("DATABASE_URL", "mysql://x")]).unwrap_err();
    assert!(err.to_string().contains("DATABASE_URL"));
    let err = settings(&[("SAMKJOP_LOG_FORMAT", "xml")]).unwrap_err();
    assert!(err.to_string().contains("SAMKJOP_LOG_FORMAT"));
    let err = settings(&[("SAMKJOP_SKILLED_TARGET", "150")]).unwrap_err();
    assert!(err.to_string().contains("SAMKJOP_SKILLED_TARGET"));
    let err = settings(&[("SAMKJOP_WORKER_KEY", "short")]).unwrap_err();
    assert!(err.to_string().contains("SAMKJOP_WORKER_KEY"));
}

#[test]
fn worker_key_falls_back_to_the_hs256_secret_only() {
    let secret = "s".repeat(40);
    let s = settings(&[
        ("JWT_SECRET", &secret),
        ("SAMKJOP_APPRENTICE_TARGET", "12,5"),
    ])
    .unwrap();
    assert_eq!(s.hmsreg().unwrap().worker_key, secret.as_bytes());
    assert_eq!(s.shares.apprentice_target, 12.5);
    let s = settings(&[("JWT_PUBLIC_KEY_FILE", "/k.pem")]).unwrap();
    assert!(
        s.hmsreg()
            .unwrap_err()
            .to_string()
            .contains("SAMKJOP_WORKER_KEY")
    );
}

#[test]
fn a_broken_rule_file_stops_start_up_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rules.json");
    std::fs::write(&path, "{\n \"version\": \"x\",\n \"rules\": [,]\n}").unwrap();
    let s = settings(&[("SAMKJOP_RULES_FILE", path.to_str().unwrap())]).unwrap();
    let e = s.catalogue().unwrap_err().to_string();
    assert!(
        e.contains("SAMKJOP_RULES_FILE") && e.contains("rules.json") && e.contains("line 3"),
        "{e}"
    );
    assert_eq!(settings(&[]).unwrap().catalogue().unwrap().rules.len(), 7);
}

#[test]
fn secret_is_not_in_debug_output() {
    let secret = "s".repeat(40);
    let s = settings(&[("JWT_SECRET", &secret)]).unwrap();
    assert!(!format!("{s:?}").contains(&secret));
}
