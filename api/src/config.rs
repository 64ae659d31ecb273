//! Settings read from the environment at start-up; a bad value stops start-up with a message naming the setting.

use std::{fmt, path::PathBuf};

use crate::{
    hmsreg::{reader::ReadLimits, service::HmsregConfig, shares::ShareSettings},
    tenders::catalogue::Catalogue,
};

/// Where `serve` stores its data when `DATABASE_URL` is unset.
pub const DEFAULT_SQLITE_FILE: &str = "samkjop.db";

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error("setting {name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

fn invalid(name: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        name,
        reason: reason.into(),
    }
}

/// A secret that never shows in logs or `Debug` output.
#[derive(Clone, PartialEq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How tokens are verified. `None` is only allowed in demo mode, which makes its own secret.
#[derive(Clone, Debug, PartialEq)]
pub enum JwtKey {
    None,
    Secret(Secret),
    PublicKeyFile(PathBuf),
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
    pub request_timeout: std::time::Duration,
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
            request_timeout: std::time::Duration::from_secs(30),
            response_bytes: 16 * 1024 * 1024,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// `None`: the embedded SQLite file [`DEFAULT_SQLITE_FILE`].
    pub database_url: Option<String>,
    pub bind: String,
    pub jwt: JwtSettings,
    pub limits: Limits,
    pub log_format: LogFormat,
    /// Key of the HMS-card hash; falls back to an HS256 `JWT_SECRET`.
    pub worker_key: Option<Secret>,
    pub shares: ShareSettings,
    /// The rule catalogue; `None`: the one shipped in the binary.
    pub rules_file: Option<PathBuf>,
}

/// HS256 secrets shorter than this are guessable offline from one captured token.
pub const MIN_SECRET_BYTES: usize = 32;

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads every setting through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let secret = get("JWT_SECRET");
        let key_file = get("JWT_PUBLIC_KEY_FILE");
        let key = match (secret, key_file) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "JWT_SECRET",
                    "set either JWT_SECRET or JWT_PUBLIC_KEY_FILE, not both",
                ));
            }
            (Some(secret), None) => {
                if secret.len() < MIN_SECRET_BYTES {
                    return Err(invalid(
                        "JWT_SECRET",
                        format!("must be at least {MIN_SECRET_BYTES} bytes long"),
                    ));
                }
                JwtKey::Secret(Secret::new(secret))
            }
            (None, Some(path)) => JwtKey::PublicKeyFile(PathBuf::from(path)),
            (None, None) => JwtKey::None,
        };
        let defaults = Limits::default();
        let limits = Limits {
            json_body_bytes: parse_number(
                &get,
                "SAMKJOP_MAX_BODY_BYTES",
                defaults.json_body_bytes,
                1024,
            )?,
            upload_bytes: parse_number(
                &get,
                "SAMKJOP_MAX_UPLOAD_BYTES",
                defaults.upload_bytes,
                1024,
            )?,
            query_depth: parse_number(&get, "SAMKJOP_MAX_QUERY_DEPTH", defaults.query_depth, 2)?,
            query_complexity: parse_number(
                &get,
                "SAMKJOP_MAX_QUERY_COMPLEXITY",
                defaults.query_complexity,
                10,
            )?,
            default_page_size: parse_number(
                &get,
                "SAMKJOP_DEFAULT_PAGE_SIZE",
                defaults.default_page_size,
                1,
            )?,
            max_page_size: parse_number(&get, "SAMKJOP_MAX_PAGE_SIZE", defaults.max_page_size, 1)?,
            sheet_rows: parse_number(&get, "SAMKJOP_MAX_SHEET_ROWS", defaults.sheet_rows, 1)?,
            sheet_columns: parse_number(
                &get,
                "SAMKJOP_MAX_SHEET_COLUMNS",
                defaults.sheet_columns,
                1,
            )?,
            request_timeout: parse_duration(
                &get,
                "SAMKJOP_REQUEST_TIMEOUT",
                defaults.request_timeout,
            )?,
            response_bytes: parse_number(
                &get,
                "SAMKJOP_MAX_RESPONSE_BYTES",
                defaults.response_bytes,
                1024,
            )?,
        };
        let max_token_lifetime_secs = parse_duration(
            &get,
            "SAMKJOP_MAX_TOKEN_LIFETIME",
            std::time::Duration::from_secs(DEFAULT_MAX_TOKEN_LIFETIME_SECS as u64),
        )?
        .as_secs();
        let max_token_lifetime_secs = i64::try_from(max_token_lifetime_secs)
            .ok()
            .filter(|s| *s <= 366 * 24 * 3600)
            .ok_or_else(|| invalid("SAMKJOP_MAX_TOKEN_LIFETIME", "must be at most a year"))?;
        let worker_key = match get("SAMKJOP_WORKER_KEY") {
            Some(k) if k.len() < MIN_SECRET_BYTES => {
                return Err(invalid(
                    "SAMKJOP_WORKER_KEY",
                    format!("must be at least {MIN_SECRET_BYTES} bytes long"),
                ));
            }
            other => other.map(Secret::new),
        };
        let share_defaults = ShareSettings::default();
        let include_administrative =
            match get("SAMKJOP_RELEVANT_INCLUDES_ADMINISTRATIVE").as_deref() {
                None | Some("false") => false,
                Some("true") => true,
                Some(other) => {
                    return Err(invalid(
                        "SAMKJOP_RELEVANT_INCLUDES_ADMINISTRATIVE",
                        format!("'{other}' is neither true nor false"),
                    ));
                }
            };
        let shares = ShareSettings {
            include_administrative,
            skilled_target: parse_percent(
                &get,
                "SAMKJOP_SKILLED_TARGET",
                share_defaults.skilled_target,
            )?,
            apprentice_target: parse_percent(
                &get,
                "SAMKJOP_APPRENTICE_TARGET",
                share_defaults.apprentice_target,
            )?,
        };
        if limits.default_page_size > limits.max_page_size {
            return Err(invalid(
                "SAMKJOP_DEFAULT_PAGE_SIZE",
                "must not be larger than SAMKJOP_MAX_PAGE_SIZE",
            ));
        }
        let log_format = match get("SAMKJOP_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(invalid(
                    "SAMKJOP_LOG_FORMAT",
                    format!("'{other}' is neither 'text' nor 'json'"),
                ));
            }
        };
        let database_url = get("DATABASE_URL");
        if let Some(url) = &database_url
            && !(url.starts_with("sqlite:")
                || url.starts_with("postgres://")
                || url.starts_with("postgresql://"))
        {
            return Err(invalid(
                "DATABASE_URL",
                "must start with sqlite:, postgres:// or postgresql://",
            ));
        }
        Ok(Self {
            database_url,
            bind: get("SAMKJOP_BIND").unwrap_or_else(|| "127.0.0.1:8080".to_string()),
            jwt: JwtSettings {
                key,
                issuer: get("JWT_ISSUER").unwrap_or_else(|| "samkjop".to_string()),
                audience: get("JWT_AUDIENCE").unwrap_or_else(|| "samkjop".to_string()),
                max_token_lifetime_secs,
            },
            limits,
            log_format,
            worker_key,
            shares,
            rules_file: get("SAMKJOP_RULES_FILE").map(PathBuf::from),
        })
    }

    /// The rule catalogue from `SAMKJOP_RULES_FILE`, or the shipped one; a broken file is an
    /// error naming the file and the line.
    pub fn catalogue(&self) -> Result<Catalogue, ConfigError> {
        match &self.rules_file {
            None => Catalogue::parse(crate::tenders::catalogue::DEFAULT)
                .map_err(|e| invalid("SAMKJOP_RULES_FILE", e.to_string())),
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    invalid(
                        "SAMKJOP_RULES_FILE",
                        format!("cannot read {}: {e}", path.display()),
                    )
                })?;
                Catalogue::parse(&text)
                    .map_err(|e| invalid("SAMKJOP_RULES_FILE", format!("{}: {e}", path.display())))
            }
        }
    }

    /// The HMSREG settings; the worker-hash key is `SAMKJOP_WORKER_KEY`, else the HS256 secret.
    pub fn hmsreg(&self) -> Result<HmsregConfig, ConfigError> {
        let key = match (&self.worker_key, &self.jwt.key) {
            (Some(k), _) => k.expose().as_bytes().to_vec(),
            (None, JwtKey::Secret(s)) => s.expose().as_bytes().to_vec(),
            (None, _) => {
                return Err(invalid(
                    "SAMKJOP_WORKER_KEY",
                    "set it (at least 32 bytes): HMS card numbers are kept only as a hash keyed with it",
                ));
            }
        };
        Ok(HmsregConfig {
            worker_key: key,
            shares: self.shares,
            read: ReadLimits {
                max_rows: self.limits.sheet_rows,
                max_columns: self.limits.sheet_columns,
            },
            max_file_bytes: self.limits.upload_bytes as u64,
        })
    }

    /// The URL to connect to: `DATABASE_URL`, or the embedded SQLite file (created when missing).
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{DEFAULT_SQLITE_FILE}?mode=rwc"))
    }
}

fn parse_percent(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: f64,
) -> Result<f64, ConfigError> {
    match get(name) {
        None => Ok(default),
        Some(raw) => match raw.replace(',', ".").parse::<f64>() {
            Ok(v) if (0.0..=100.0).contains(&v) => Ok(v),
            _ => Err(invalid(
                name,
                format!("'{raw}' is not a percentage between 0 and 100"),
            )),
        },
    }
}

fn parse_number<T>(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
    minimum: T,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + fmt::Display + Copy,
{
    match get(name) {
        None => Ok(default),
        Some(raw) => {
            let value: T = raw
                .parse()
                .map_err(|_| invalid(name, format!("'{raw}' is not a whole number")))?;
            if value < minimum {
                return Err(invalid(name, format!("must be at least {minimum}")));
            }
            Ok(value)
        }
    }
}

/// A duration like `30s`, `2m` or `24h` (humantime); zero is refused.
fn parse_duration(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: std::time::Duration,
) -> Result<std::time::Duration, ConfigError> {
    match get(name) {
        None => Ok(default),
        Some(raw) => {
            let value = humantime::parse_duration(&raw).map_err(|_| {
                invalid(
                    name,
                    format!("'{raw}' is not a duration such as 30s or 24h"),
                )
            })?;
            if value.is_zero() {
                return Err(invalid(name, "must be longer than zero"));
            }
            Ok(value)
        }
    }
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
