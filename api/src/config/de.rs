//! Readers for the fields of [`super::env::Raw`] that serde alone would read too strictly or
//! with messages an operator cannot act on: each quotes the value back as it was written.

use std::{fmt, str::FromStr, time::Duration};

use serde::de::{Deserializer, Error, Visitor};

use super::LogFormat;

/// A value back as text: figment's value syntax has made `12` a number and `true` a boolean,
/// but the readers below parse text themselves and quote it in their messages.
struct Written(&'static str);

impl Visitor<'_> for Written {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_bool<E: Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i128<E: Error>(self, v: i128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u128<E: Error>(self, v: u128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: Error>(self, v: f64) -> Result<String, E> {
        // `{:?}` keeps the point, so `1.0` is still refused as a whole number.
        Ok(format!("{v:?}"))
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
}

fn written<'de, D: Deserializer<'de>>(d: D, what: &'static str) -> Result<String, D::Error> {
    d.deserialize_any(Written(what))
}

/// A whole number; the minimum is checked after, with the other limits.
pub fn whole<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
{
    let raw = written(d, "a whole number")?;
    raw.parse()
        .map_err(|_| D::Error::custom(format!("'{raw}' is not a whole number")))
}

/// A percentage from 0 to 100; a decimal comma (`12,5`) is read as Norwegian writes it.
pub fn percent<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let raw = written(d, "a percentage")?;
    match crate::domain::text::decimal_text(&raw).parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok(v),
        _ => Err(D::Error::custom(format!(
            "'{raw}' is not a percentage between 0 and 100"
        ))),
    }
}

/// A duration like `30s`, `2m` or `24h` (humantime); zero is refused, as it would refuse all.
pub fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let raw = written(d, "a duration")?;
    let value = humantime::parse_duration(&raw)
        .map_err(|_| D::Error::custom(format!("'{raw}' is not a duration such as 30s or 24h")))?;
    if value.is_zero() {
        return Err(D::Error::custom("must be longer than zero"));
    }
    Ok(value)
}

/// `true` or `false` and nothing else: a misspelt `yes` must not silently mean either.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match written(d, "true or false")?.as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(D::Error::custom(format!(
            "'{other}' is neither true nor false"
        ))),
    }
}

pub fn log_format<'de, D: Deserializer<'de>>(d: D) -> Result<LogFormat, D::Error> {
    match written(d, "text or json")?.as_str() {
        "text" => Ok(LogFormat::Text),
        "json" => Ok(LogFormat::Json),
        other => Err(D::Error::custom(format!(
            "'{other}' is neither 'text' nor 'json'"
        ))),
    }
}
