//! The `Date` and `Decimal` scalars of the contract (`DateTime` is async-graphql's chrono one).

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal as RustDecimal;

use crate::error::AppError;

/// Years a date may have: nothing the unit handles is older or runs longer, and a typo such as
/// `0202-01-01` is caught instead of stored.
pub const DATE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// A calendar date without a time zone, written `2026-11-22`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => {
                let date = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
                    InputValueError::custom(format!("'{s}' is not a date: write YYYY-MM-DD"))
                })?;
                if !DATE_YEARS.contains(&date.year()) {
                    return Err(InputValueError::custom(format!(
                        "'{s}' is outside the years {} to {}",
                        DATE_YEARS.start(),
                        DATE_YEARS.end()
                    )));
                }
                Ok(Date(date))
            }
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl From<NaiveDate> for Date {
    fn from(d: NaiveDate) -> Self {
        Self(d)
    }
}

/// An exact decimal sent as a JSON string (`"1234.50"`) so that no client parses it as a float.
/// Amounts and hours are kept in hundredths, so at most two decimals are accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Decimal(pub RustDecimal);

/// Largest magnitude accepted, in hundredths (NOK 10 000 000 000 000, or as many hours): far
/// above any municipal budget, far below i64::MAX.
pub const MAX_HUNDREDTHS: i64 = 1_000_000_000_000_000;
/// Digits a Decimal may have before and after the point. Beyond 28 decimals the decimal type
/// would round silently (30 decimals became 0.00); 18 whole digits keep every sum exact.
const MAX_INTEGER_DIGITS: usize = 18;
const MAX_FRACTION_DIGITS: usize = 28;

impl Decimal {
    /// From a whole number of hundredths (øre, or hundredths of an hour).
    pub fn from_hundredths(value: i64) -> Self {
        Self(RustDecimal::new(value, 2))
    }

    /// To hundredths; more than two decimals or an absurd size is a BAD_USER_INPUT on `field`.
    pub fn to_hundredths(self, field: &str) -> Result<i64, AppError> {
        let normalized = self.0.normalize();
        if normalized.scale() > 2 {
            return Err(AppError::bad_input(field, "use at most two decimals"));
        }
        let scaled = normalized
            .checked_mul(RustDecimal::ONE_HUNDRED)
            .ok_or_else(|| AppError::bad_input(field, "the number is too large"))?;
        let value = i64::try_from(scaled.trunc())
            .map_err(|_| AppError::bad_input(field, "the number is too large"))?;
        if value.abs() > MAX_HUNDREDTHS {
            return Err(AppError::bad_input(field, "the number is too large"));
        }
        Ok(value)
    }
}

#[Scalar(name = "Decimal")]
impl ScalarType for Decimal {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => {
                // Users paste Norwegian amounts: "1 234,50" means 1234.50.
                let cleaned = crate::domain::text::decimal_text(s);
                let digits = cleaned.trim_start_matches(['-', '+']);
                let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
                if whole.trim_start_matches('0').len() > MAX_INTEGER_DIGITS {
                    return Err(InputValueError::custom(format!(
                        "'{s}' is too large: at most {MAX_INTEGER_DIGITS} digits before the decimal point"
                    )));
                }
                if fraction.len() > MAX_FRACTION_DIGITS {
                    return Err(InputValueError::custom(format!(
                        "'{s}' has {} decimals: this field keeps at most two",
                        fraction.len()
                    )));
                }
                cleaned
                    .parse::<RustDecimal>()
                    .map(Decimal)
                    .map_err(|_| InputValueError::custom(format!("'{s}' is not a decimal number")))
            }
            // Whole numbers are exact in JSON; fractions must come as strings.
            Value::Number(n) if n.is_i64() => n
                .as_i64()
                .map(|i| Decimal(RustDecimal::from(i)))
                .ok_or_else(|| InputValueError::custom("not a whole number")),
            Value::Number(_) => Err(InputValueError::custom(
                "send decimals as a string, e.g. \"1234.50\", so that no digit is lost",
            )),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        let mut d = self.0;
        if d.scale() < 2 {
            d.rescale(2);
        }
        Value::String(d.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_parses_and_prints_iso() {
        let d = Date::parse(Value::String("2026-11-22".into())).unwrap();
        assert_eq!(d.to_value(), Value::String("2026-11-22".into()));
        assert!(Date::parse(Value::String("22.11.2026".into())).is_err());
        assert!(Date::parse(Value::String("2026-02-30".into())).is_err());
    }

    #[test]
    fn decimal_prints_two_places_and_keeps_exactness() {
        assert_eq!(
            Decimal::from_hundredths(123450).to_value(),
            Value::String("1234.50".into())
        );
        assert_eq!(
            Decimal::from_hundredths(0).to_value(),
            Value::String("0.00".into())
        );
        let d = Decimal::parse(Value::String("1 234,5".into())).unwrap();
        assert_eq!(d.to_hundredths("amount").unwrap(), 123450);
        let d = Decimal::parse(Value::Number(7.into())).unwrap();
        assert_eq!(d.to_hundredths("amount").unwrap(), 700);
    }

    #[test]
    fn dates_outside_1900_to_2200_are_refused() {
        assert!(Date::parse(Value::String("1899-12-31".into())).is_err());
        assert!(Date::parse(Value::String("2201-01-01".into())).is_err());
        assert!(Date::parse(Value::String("1900-01-01".into())).is_ok());
        assert!(Date::parse(Value::String("2200-12-31".into())).is_ok());
    }

    #[test]
    fn huge_and_over_precise_decimals_are_refused_not_panicked_or_rounded() {
        // 28 whole digits once overflowed the multiplication by 100 and panicked.
        let huge = "9".repeat(28);
        assert!(Decimal::parse(Value::String(huge)).is_err());
        let d = Decimal(RustDecimal::from_str_exact("79228162514264337593543950335").unwrap());
        assert!(d.to_hundredths("amount").is_err());
        // 30 decimals once rounded to 0 and were stored as 0.00.
        let tiny = format!("0.{}1", "0".repeat(29));
        assert!(Decimal::parse(Value::String(tiny)).is_err());
        let d = Decimal::parse(Value::String("9999999999999.99".into())).unwrap();
        assert_eq!(d.to_hundredths("amount").unwrap(), 999_999_999_999_999);
        let d = Decimal::parse(Value::String("10000000000000.01".into())).unwrap();
        assert!(d.to_hundredths("amount").is_err());
    }

    #[test]
    fn decimal_refuses_floats_and_extra_decimals() {
        let float = serde_json::Number::from_f64(0.1).unwrap();
        assert!(Decimal::parse(Value::Number(float)).is_err());
        let d = Decimal::parse(Value::String("0.125".into())).unwrap();
        assert!(d.to_hundredths("amount").is_err());
        let d = Decimal::parse(Value::String("1.500".into())).unwrap();
        assert_eq!(d.to_hundredths("amount").unwrap(), 150);
        assert!(Decimal::parse(Value::String("abc".into())).is_err());
    }
}
