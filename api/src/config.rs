//! Settings read from the environment at start-up; a bad value stops start-up with a message naming the setting.
//!
//! figment reads the environment into a typed struct named after the variables (`env`); what
//! serde cannot say — minimums, lengths, settings that exclude each other — is checked here.
//! `Settings` holds plain values only: each feature builds its own settings from them.

mod de;
mod env;

use std::{path::PathBuf, time::Duration};

use secrecy::{ExposeSecret, SecretString};

/// Where `serve` stores its data when `DATABASE_URL` is unset.
pub const DEFAULT_SQLITE_FILE: &str = "samkjop.db";

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error("setting {name} is invalid: {reason}")]
    Invalid { name: String, reason: String },
}

impl ConfigError {
    /// The setting `name` (the environment variable) is wrong, and `reason` says how.
    pub fn invalid(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Invalid {
            name: name.into(),
            reason: reason.into(),
        }
    }
}

/// A data file a setting may replace (the rule and trade catalogues): the file at `path`, or
/// the shipped `default`, parsed with `parse`; a broken one is an error naming the setting,
/// the file and what `parse` says (its line).
pub fn data_file<T, E: std::fmt::Display>(
    setting: &str,
    path: Option<&std::path::Path>,
    default: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<T, ConfigError> {
    match path {
        None => parse(default).map_err(|e| ConfigError::invalid(setting, e.to_string())),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                ConfigError::invalid(setting, format!("cannot read {}: {e}", path.display()))
            })?;
            parse(&text)
                .map_err(|e| ConfigError::invalid(setting, format!("{}: {e}", path.display())))
        }
    }
}

/// How tokens are verified. `None` is only allowed in demo mode, which makes its own secret.
#[derive(Clone, Debug)]
pub enum JwtKey {
    None,
    Secret(SecretString),
    PublicKeyFile(PathBuf),
}

// By hand, because `SecretString` has no `PartialEq`: secrecy leaves comparing secrets to the
// code that means to. Only tests compare settings; tokens are checked by jsonwebtoken.
impl PartialEq for JwtKey {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::None, Self::None) => true,
            (Self::Secret(a), Self::Secret(b)) => a.expose_secret() == b.expose_secret(),
            (Self::PublicKeyFile(a), Self::PublicKeyFile(b)) => a == b,
            _ => false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct JwtSettings {
    pub key: JwtKey,
    pub issuer: String,
    pub audience: String,
    /// Longest lifetime (`exp - iat`) a token may claim; longer-lived tokens are refused.
    pub max_token_lifetime_secs: i64,
}

/// Default of `SAMKJOP_MAX_TOKEN_LIFETIME`: a working day and then some.
pub const DEFAULT_MAX_TOKEN_LIFETIME_SECS: i64 = 24 * 3600;

/// A token may live a year at most; longer would make a leaked token a permanent key.
const MAX_TOKEN_LIFETIME_SECS: i64 = 366 * 24 * 3600;

#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    pub json_body_bytes: usize,
    pub upload_bytes: usize,
    pub query_depth: usize,
    pub query_complexity: usize,
    pub default_page_size: u64,
    pub max_page_size: u64,
    pub sheet_rows: u32,
    pub sheet_columns: u32,
    /// Longest a GraphQL request may run before it is answered with `TIMEOUT`.
    pub request_timeout: Duration,
    /// Largest GraphQL response body; a larger one is answered with `RESPONSE_TOO_LARGE`.
    pub response_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            json_body_bytes: 1024 * 1024,
            upload_bytes: 100 * 1024 * 1024,
            query_depth: 12,
            query_complexity: 20_000,
            default_page_size: 50,
            max_page_size: 500,
            sheet_rows: 1_048_576,
            sheet_columns: 200,
            request_timeout: Duration::from_secs(30),
            response_bytes: 16 * 1024 * 1024,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

// No `PartialEq`: the worker key is a `SecretString`, and nothing compares whole settings.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `None`: the embedded SQLite file [`DEFAULT_SQLITE_FILE`].
    pub database_url: Option<String>,
    pub bind: String,
    pub jwt: JwtSettings,
    pub limits: Limits,
    pub log_format: LogFormat,
    /// Key of the HMS-card hash; falls back to an HS256 `JWT_SECRET`.
    pub worker_key: Option<SecretString>,
    /// Whether administrative hours count in the denominator of the shares (default no).
    pub relevant_includes_administrative: bool,
    /// Target share of skilled workers' hours, in percent.
    pub skilled_target: f64,
    /// Target share of apprentices' hours, in percent.
    pub apprentice_target: f64,
    /// The rule catalogue; `None`: the one shipped in the binary.
    pub rules_file: Option<PathBuf>,
    /// The HMSREG trade catalogue; `None`: the one shipped in the binary.
    pub trades_file: Option<PathBuf>,
}

/// HS256 secrets shorter than this are guessable offline from one captured token.
pub const MIN_SECRET_BYTES: usize = 32;

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads every setting through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let raw = env::read(lookup)?;
        let key = jwt_key(raw.jwt_secret, raw.jwt_public_key_file)?;
        let limits = Limits {
            json_body_bytes: at_least("SAMKJOP_MAX_BODY_BYTES", raw.max_body_bytes, 1024)?,
            upload_bytes: at_least("SAMKJOP_MAX_UPLOAD_BYTES", raw.max_upload_bytes, 1024)?,
            query_depth: at_least("SAMKJOP_MAX_QUERY_DEPTH", raw.max_query_depth, 2)?,
            query_complexity: at_least(
                "SAMKJOP_MAX_QUERY_COMPLEXITY",
                raw.max_query_complexity,
                10,
            )?,
            default_page_size: at_least("SAMKJOP_DEFAULT_PAGE_SIZE", raw.default_page_size, 1)?,
            max_page_size: at_least("SAMKJOP_MAX_PAGE_SIZE", raw.max_page_size, 1)?,
            sheet_rows: at_least("SAMKJOP_MAX_SHEET_ROWS", raw.max_sheet_rows, 1)?,
            sheet_columns: at_least("SAMKJOP_MAX_SHEET_COLUMNS", raw.max_sheet_columns, 1)?,
            request_timeout: raw.request_timeout,
            response_bytes: at_least("SAMKJOP_MAX_RESPONSE_BYTES", raw.max_response_bytes, 1024)?,
        };
        let max_token_lifetime_secs = token_lifetime(raw.max_token_lifetime)?;
        let worker_key = raw
            .worker_key
            .map(|k| long_enough("SAMKJOP_WORKER_KEY", k))
            .transpose()?;
        pages_fit(&limits)?;
        Ok(Self {
            database_url: raw.database_url.map(database_url).transpose()?,
            bind: raw.bind,
            jwt: JwtSettings {
                key,
                issuer: raw.jwt_issuer,
                audience: raw.jwt_audience,
                max_token_lifetime_secs,
            },
            limits,
            log_format: raw.log_format,
            worker_key,
            relevant_includes_administrative: raw.relevant_includes_administrative,
            skilled_target: raw.skilled_target,
            apprentice_target: raw.apprentice_target,
            rules_file: raw.rules_file,
            trades_file: raw.trades_file,
        })
    }

    /// The URL to connect to: `DATABASE_URL`, or the embedded SQLite file (created when missing).
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{DEFAULT_SQLITE_FILE}?mode=rwc"))
    }
}

/// One key or none: with both set it would be unclear which one signs and checks tokens.
fn jwt_key(secret: Option<SecretString>, file: Option<PathBuf>) -> Result<JwtKey, ConfigError> {
    match (secret, file) {
        (Some(_), Some(_)) => Err(ConfigError::invalid(
            "JWT_SECRET",
            "set either JWT_SECRET or JWT_PUBLIC_KEY_FILE, not both",
        )),
        (Some(secret), None) => Ok(JwtKey::Secret(long_enough("JWT_SECRET", secret)?)),
        (None, Some(path)) => Ok(JwtKey::PublicKeyFile(path)),
        (None, None) => Ok(JwtKey::None),
    }
}

fn long_enough(name: &str, secret: SecretString) -> Result<SecretString, ConfigError> {
    if secret.expose_secret().len() < MIN_SECRET_BYTES {
        return Err(ConfigError::invalid(
            name,
            format!("must be at least {MIN_SECRET_BYTES} bytes long"),
        ));
    }
    Ok(secret)
}

/// Limits below these minimums would make the server refuse ordinary work.
fn at_least<T: PartialOrd + std::fmt::Display>(
    name: &str,
    value: T,
    minimum: T,
) -> Result<T, ConfigError> {
    if value < minimum {
        return Err(ConfigError::invalid(
            name,
            format!("must be at least {minimum}"),
        ));
    }
    Ok(value)
}

/// A page asked for without a size must be one the server would also accept when asked.
fn pages_fit(limits: &Limits) -> Result<(), ConfigError> {
    if limits.default_page_size > limits.max_page_size {
        return Err(ConfigError::invalid(
            "SAMKJOP_DEFAULT_PAGE_SIZE",
            "must not be larger than SAMKJOP_MAX_PAGE_SIZE",
        ));
    }
    Ok(())
}

/// Seconds, as the token claims count them.
fn token_lifetime(lifetime: Duration) -> Result<i64, ConfigError> {
    i64::try_from(lifetime.as_secs())
        .ok()
        .filter(|s| *s <= MAX_TOKEN_LIFETIME_SECS)
        .ok_or_else(|| ConfigError::invalid("SAMKJOP_MAX_TOKEN_LIFETIME", "must be at most a year"))
}

/// Only the databases the server has drivers for; anything else would fail later and vaguer.
fn database_url(url: String) -> Result<String, ConfigError> {
    if ["sqlite:", "postgres://", "postgresql://"]
        .iter()
        .any(|prefix| url.starts_with(prefix))
    {
        Ok(url)
    } else {
        Err(ConfigError::invalid(
            "DATABASE_URL",
            "must start with sqlite:, postgres:// or postgresql://",
        ))
    }
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
