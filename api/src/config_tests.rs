//! Tests of config.
use super::*;
use crate::{hmsreg::service::HmsregConfig, tenders::catalogue::Catalogue};
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
    assert_eq!(
        HmsregConfig::from_settings(&s).unwrap().worker_key,
        secret.as_bytes()
    );
    assert_eq!(s.apprentice_target, 12.5);
    let s = settings(&[("JWT_PUBLIC_KEY_FILE", "/k.pem")]).unwrap();
    assert!(
        HmsregConfig::from_settings(&s)
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
    let e = Catalogue::from_settings(&s).unwrap_err().to_string();
    assert!(
        e.contains("SAMKJOP_RULES_FILE") && e.contains("rules.json") && e.contains("line 3"),
        "{e}"
    );
    assert_eq!(
        Catalogue::from_settings(&settings(&[]).unwrap())
            .unwrap()
            .rules
            .len(),
        7
    );
}

#[test]
fn secret_is_not_in_debug_output() {
    let secret = "s".repeat(40);
    let s = settings(&[("JWT_SECRET", &secret)]).unwrap();
    assert!(!format!("{s:?}").contains(&secret));
}

#[test]
fn every_variable_is_read_into_its_field() {
    let secret = "w".repeat(32);
    let s = settings(&[
        ("DATABASE_URL", "postgres://db/samkjop"),
        ("SAMKJOP_BIND", "0.0.0.0:9000"),
        ("JWT_PUBLIC_KEY_FILE", "/keys/jwt.pem"),
        ("JWT_ISSUER", "issuer"),
        ("JWT_AUDIENCE", "audience"),
        ("SAMKJOP_MAX_TOKEN_LIFETIME", "2h"),
        ("SAMKJOP_LOG_FORMAT", "json"),
        ("SAMKJOP_MAX_BODY_BYTES", "2048"),
        ("SAMKJOP_MAX_UPLOAD_BYTES", "4096"),
        ("SAMKJOP_MAX_QUERY_DEPTH", "3"),
        ("SAMKJOP_MAX_QUERY_COMPLEXITY", "11"),
        ("SAMKJOP_DEFAULT_PAGE_SIZE", "7"),
        ("SAMKJOP_MAX_PAGE_SIZE", "8"),
        ("SAMKJOP_MAX_SHEET_ROWS", "9"),
        ("SAMKJOP_MAX_SHEET_COLUMNS", "10"),
        ("SAMKJOP_REQUEST_TIMEOUT", "1m 30s"),
        ("SAMKJOP_MAX_RESPONSE_BYTES", "8192"),
        ("SAMKJOP_WORKER_KEY", &secret),
        ("SAMKJOP_RELEVANT_INCLUDES_ADMINISTRATIVE", "true"),
        ("SAMKJOP_SKILLED_TARGET", "40.5"),
        ("SAMKJOP_APPRENTICE_TARGET", "7"),
        ("SAMKJOP_RULES_FILE", "/rules.json"),
        ("SAMKJOP_TRADES_FILE", "/trades.json"),
    ])
    .unwrap();
    assert_eq!(s.database_url(), "postgres://db/samkjop");
    assert_eq!(s.bind, "0.0.0.0:9000");
    assert_eq!(s.jwt.key, JwtKey::PublicKeyFile("/keys/jwt.pem".into()));
    assert_eq!(
        (s.jwt.issuer.as_str(), s.jwt.audience.as_str()),
        ("issuer", "audience")
    );
    assert_eq!(s.jwt.max_token_lifetime_secs, 7200);
    assert_eq!(s.log_format, LogFormat::Json);
    let expected = Limits {
        json_body_bytes: 2048,
        upload_bytes: 4096,
        query_depth: 3,
        query_complexity: 11,
        default_page_size: 7,
        max_page_size: 8,
        sheet_rows: 9,
        sheet_columns: 10,
        request_timeout: std::time::Duration::from_secs(90),
        response_bytes: 8192,
    };
    assert_eq!(s.limits, expected);
    assert_eq!(
        s.worker_key.as_ref().map(|k| k.expose_secret()),
        Some(secret.as_str())
    );
    assert!(s.relevant_includes_administrative);
    assert_eq!((s.skilled_target, s.apprentice_target), (40.5, 7.0));
    assert_eq!(s.rules_file, Some("/rules.json".into()));
    assert_eq!(s.trades_file, Some("/trades.json".into()));
    // JWT_SECRET is the one name left: it excludes JWT_PUBLIC_KEY_FILE.
    let s = settings(&[("JWT_SECRET", &secret)]).unwrap();
    assert_eq!(s.jwt.key, JwtKey::Secret(secret.clone().into()));
}

#[test]
fn a_broken_trade_file_stops_start_up_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fag.json");
    std::fs::write(
        &path,
        "{ \"trades\": [\n { \"name\": \"Tømrer\", \"craft\": true, \"apprenticeTrade\": true },\n { \"name\": \"tømrer\", \"craft\": true, \"apprenticeTrade\": true } ] }",
    )
    .unwrap();
    let key = "k".repeat(32);
    let s = settings(&[
        ("SAMKJOP_TRADES_FILE", path.to_str().unwrap()),
        ("SAMKJOP_WORKER_KEY", &key),
    ])
    .unwrap();
    let e = HmsregConfig::from_settings(&s).unwrap_err().to_string();
    assert!(
        e.contains("SAMKJOP_TRADES_FILE")
            && e.contains("fag.json")
            && e.contains("line 3")
            && e.contains("duplicate spelling 'tømrer'"),
        "{e}"
    );
    let missing = settings(&[
        ("SAMKJOP_TRADES_FILE", "/no/such/trades.json"),
        ("SAMKJOP_WORKER_KEY", &key),
    ])
    .unwrap();
    let e = HmsregConfig::from_settings(&missing)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("SAMKJOP_TRADES_FILE") && e.contains("cannot read"),
        "{e}"
    );
}

#[test]
fn share_defaults_agree_with_the_hmsreg_feature() {
    let s = settings(&[("SAMKJOP_WORKER_KEY", &"k".repeat(32))]).unwrap();
    assert_eq!(
        HmsregConfig::from_settings(&s).unwrap().shares,
        crate::hmsreg::shares::ShareSettings::default()
    );
}

#[test]
fn blank_values_are_unset_and_values_are_trimmed() {
    let s = settings(&[("SAMKJOP_BIND", "  "), ("SAMKJOP_MAX_QUERY_DEPTH", " 20 ")]).unwrap();
    assert_eq!(s.bind, "127.0.0.1:8080");
    assert_eq!(s.limits.query_depth, 20);
}

#[test]
fn text_settings_are_taken_as_written() {
    // figment's value syntax would make these a number, an array and unquoted text.
    let secret = format!("[{}]", "a,b".repeat(11));
    let s = settings(&[
        ("JWT_ISSUER", "0042"),
        ("JWT_SECRET", &secret),
        ("JWT_AUDIENCE", "\"quoted\""),
    ])
    .unwrap();
    assert_eq!(s.jwt.issuer, "0042");
    assert_eq!(s.jwt.audience, "\"quoted\"");
    assert_eq!(s.jwt.key, JwtKey::Secret(secret.into()));
}

#[test]
fn messages_quote_the_value_and_name_the_setting() {
    let message = |name: &str, value: &str| settings(&[(name, value)]).unwrap_err().to_string();
    assert_eq!(
        message("SAMKJOP_MAX_QUERY_DEPTH", "deep"),
        "setting SAMKJOP_MAX_QUERY_DEPTH is invalid: 'deep' is not a whole number"
    );
    assert!(message("SAMKJOP_MAX_BODY_BYTES", "-5").contains("'-5' is not a whole number"));
    assert!(message("SAMKJOP_MAX_SHEET_ROWS", "1.0").contains("'1.0' is not a whole number"));
    assert_eq!(
        message("SAMKJOP_MAX_QUERY_DEPTH", "1"),
        "setting SAMKJOP_MAX_QUERY_DEPTH is invalid: must be at least 2"
    );
    assert!(message("SAMKJOP_REQUEST_TIMEOUT", "30").contains("'30' is not a duration"));
    assert!(message("SAMKJOP_REQUEST_TIMEOUT", "0s").contains("longer than zero"));
    assert!(message("SAMKJOP_MAX_TOKEN_LIFETIME", "400days").contains("at most a year"));
    assert!(message("SAMKJOP_APPRENTICE_TARGET", "-1").contains("between 0 and 100"));
    assert!(
        message("SAMKJOP_RELEVANT_INCLUDES_ADMINISTRATIVE", "yes")
            .contains("'yes' is neither true nor false")
    );
    assert!(message("SAMKJOP_LOG_FORMAT", "xml").contains("'xml' is neither 'text' nor 'json'"));
    assert!(message("SAMKJOP_MAX_PAGE_SIZE", "[1,2]").contains("SAMKJOP_MAX_PAGE_SIZE"));
    let short = settings(&[("SAMKJOP_WORKER_KEY", "short")]).unwrap_err();
    assert_eq!(
        short,
        ConfigError::invalid("SAMKJOP_WORKER_KEY", "must be at least 32 bytes long")
    );
}
