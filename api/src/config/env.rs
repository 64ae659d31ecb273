//! The environment as figment sees it: every variable the server reads, into [`Raw`], a struct
//! whose fields carry the variables' names and whose defaults are the documented ones.

use std::{path::PathBuf, time::Duration};

use figment::{
    Figment,
    providers::Serialized,
    value::{Dict, Value},
};
use secrecy::SecretString;
use serde::Deserialize;

use super::{ConfigError, DEFAULT_MAX_TOKEN_LIFETIME_SECS, Limits, LogFormat, de};

/// How a variable's text becomes a figment value.
#[derive(Clone, Copy)]
enum Form {
    /// Kept as written: secrets, paths and URLs may hold `[`, `"` or digits only, which
    /// figment's value syntax would turn into arrays, unquoted text or numbers.
    Text,
    /// Parsed the way figment's `Env` provider parses a variable: `12` a number, `true` a boolean.
    Parsed,
}

/// Every variable read; [`Raw`] has a field renamed to each (a test sets them all).
const VARIABLES: [(&str, Form); 24] = [
    ("DATABASE_URL", Form::Text),
    ("SAMKJOP_BIND", Form::Text),
    ("JWT_SECRET", Form::Text),
    ("JWT_PUBLIC_KEY_FILE", Form::Text),
    ("JWT_ISSUER", Form::Text),
    ("JWT_AUDIENCE", Form::Text),
    ("SAMKJOP_MAX_TOKEN_LIFETIME", Form::Parsed),
    ("SAMKJOP_LOG_FORMAT", Form::Text),
    ("SAMKJOP_MAX_BODY_BYTES", Form::Parsed),
    ("SAMKJOP_MAX_UPLOAD_BYTES", Form::Parsed),
    ("SAMKJOP_MAX_QUERY_DEPTH", Form::Parsed),
    ("SAMKJOP_MAX_QUERY_COMPLEXITY", Form::Parsed),
    ("SAMKJOP_DEFAULT_PAGE_SIZE", Form::Parsed),
    ("SAMKJOP_MAX_PAGE_SIZE", Form::Parsed),
    ("SAMKJOP_MAX_SHEET_ROWS", Form::Parsed),
    ("SAMKJOP_MAX_SHEET_COLUMNS", Form::Parsed),
    ("SAMKJOP_REQUEST_TIMEOUT", Form::Parsed),
    ("SAMKJOP_MAX_RESPONSE_BYTES", Form::Parsed),
    ("SAMKJOP_WORKER_KEY", Form::Text),
    ("SAMKJOP_RELEVANT_INCLUDES_ADMINISTRATIVE", Form::Parsed),
    ("SAMKJOP_SKILLED_TARGET", Form::Parsed),
    ("SAMKJOP_APPRENTICE_TARGET", Form::Parsed),
    ("SAMKJOP_RULES_FILE", Form::Text),
    ("SAMKJOP_TRADES_FILE", Form::Text),
];

/// The settings as read, before the checks serde cannot express (see `super`).
#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct Raw {
    #[serde(rename = "DATABASE_URL")]
    pub database_url: Option<String>,
    #[serde(rename = "SAMKJOP_BIND")]
    pub bind: String,
    #[serde(rename = "JWT_SECRET")]
    pub jwt_secret: Option<SecretString>,
    #[serde(rename = "JWT_PUBLIC_KEY_FILE")]
    pub jwt_public_key_file: Option<PathBuf>,
    #[serde(rename = "JWT_ISSUER")]
    pub jwt_issuer: String,
    #[serde(rename = "JWT_AUDIENCE")]
    pub jwt_audience: String,
    #[serde(
        rename = "SAMKJOP_MAX_TOKEN_LIFETIME",
        deserialize_with = "de::duration"
    )]
    pub max_token_lifetime: Duration,
    #[serde(rename = "SAMKJOP_LOG_FORMAT", deserialize_with = "de::log_format")]
    pub log_format: LogFormat,
    #[serde(rename = "SAMKJOP_MAX_BODY_BYTES", deserialize_with = "de::whole")]
    pub max_body_bytes: usize,
    #[serde(rename = "SAMKJOP_MAX_UPLOAD_BYTES", deserialize_with = "de::whole")]
    pub max_upload_bytes: usize,
    #[serde(rename = "SAMKJOP_MAX_QUERY_DEPTH", deserialize_with = "de::whole")]
    pub max_query_depth: usize,
    #[serde(
        rename = "SAMKJOP_MAX_QUERY_COMPLEXITY",
        deserialize_with = "de::whole"
    )]
    pub max_query_complexity: usize,
    #[serde(rename = "SAMKJOP_DEFAULT_PAGE_SIZE", deserialize_with = "de::whole")]
    pub default_page_size: u64,
    #[serde(rename = "SAMKJOP_MAX_PAGE_SIZE", deserialize_with = "de::whole")]
    pub max_page_size: u64,
    #[serde(rename = "SAMKJOP_MAX_SHEET_ROWS", deserialize_with = "de::whole")]
    pub max_sheet_rows: u32,
    #[serde(rename = "SAMKJOP_MAX_SHEET_COLUMNS", deserialize_with = "de::whole")]
    pub max_sheet_columns: u32,
    #[serde(rename = "SAMKJOP_REQUEST_TIMEOUT", deserialize_with = "de::duration")]
    pub request_timeout: Duration,
    #[serde(rename = "SAMKJOP_MAX_RESPONSE_BYTES", deserialize_with = "de::whole")]
    pub max_response_bytes: usize,
    #[serde(rename = "SAMKJOP_WORKER_KEY")]
    pub worker_key: Option<SecretString>,
    #[serde(
        rename = "SAMKJOP_RELEVANT_INCLUDES_ADMINISTRATIVE",
        deserialize_with = "de::flag"
    )]
    pub relevant_includes_administrative: bool,
    #[serde(rename = "SAMKJOP_SKILLED_TARGET", deserialize_with = "de::percent")]
    pub skilled_target: f64,
    #[serde(rename = "SAMKJOP_APPRENTICE_TARGET", deserialize_with = "de::percent")]
    pub apprentice_target: f64,
    #[serde(rename = "SAMKJOP_RULES_FILE")]
    pub rules_file: Option<PathBuf>,
    #[serde(rename = "SAMKJOP_TRADES_FILE")]
    pub trades_file: Option<PathBuf>,
}

impl Default for Raw {
    fn default() -> Self {
        let limits = Limits::default();
        Self {
            database_url: None,
            bind: "127.0.0.1:8080".to_string(),
            jwt_secret: None,
            jwt_public_key_file: None,
            jwt_issuer: "samkjop".to_string(),
            jwt_audience: "samkjop".to_string(),
            max_token_lifetime: Duration::from_secs(DEFAULT_MAX_TOKEN_LIFETIME_SECS.unsigned_abs()),
            log_format: LogFormat::Text,
            max_body_bytes: limits.json_body_bytes,
            max_upload_bytes: limits.upload_bytes,
            max_query_depth: limits.query_depth,
            max_query_complexity: limits.query_complexity,
            default_page_size: limits.default_page_size,
            max_page_size: limits.max_page_size,
            max_sheet_rows: limits.sheet_rows,
            max_sheet_columns: limits.sheet_columns,
            request_timeout: limits.request_timeout,
            max_response_bytes: limits.response_bytes,
            worker_key: None,
            // The shares' defaults as domain.md gives them (`ShareSettings::default()` agrees;
            // a test holds them together).
            relevant_includes_administrative: false,
            skilled_target: 50.0,
            apprentice_target: 10.0,
            rules_file: None,
            trades_file: None,
        }
    }
}

/// Reads every variable through `lookup`; a blank one counts as unset, so `VAR=` in a unit
/// file or compose file leaves the default in place.
pub(super) fn read(lookup: impl Fn(&str) -> Option<String>) -> Result<Raw, ConfigError> {
    let mut dict = Dict::new();
    for (name, form) in VARIABLES {
        let Some(text) = lookup(name) else { continue };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let value = match form {
            Form::Text => Value::from(text.to_string()),
            Form::Parsed => {
                // Parsing cannot fail: what is no number, boolean, array or dict stays text.
                let Ok(value) = text.parse::<Value>();
                value
            }
        };
        dict.insert(name.to_string(), value);
    }
    Figment::from(Serialized::globals(dict))
        .extract()
        .map_err(invalid)
}

/// figment's error names the field, which is the variable; serde stops at the first error.
fn invalid(error: figment::Error) -> ConfigError {
    let name = match error.path.join(".") {
        path if path.is_empty() => "(environment)".to_string(),
        path => path,
    };
    ConfigError::invalid(name, error.kind.to_string())
}
