//! Hours and money are kept exactly, as whole hundredths (øre, hundredths of an hour); this is
//! how they are written out.

/// `123450` -> `1234.50`; `-50` -> `-0.50` (the sign is kept when the whole part is zero).
pub fn plain(value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// `240000000` øre -> `NOK 2,400,000` (`NOK 2,400,000.50` with øre).
pub fn nok(ore: i64) -> String {
    let abs = ore.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if ore < 0 { "-" } else { "" };
    match abs % 100 {
        0 => format!("NOK {sign}{grouped}"),
        r => format!("NOK {sign}{grouped}.{r:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hundredths_keep_their_sign() {
        assert_eq!(plain(123_450), "1234.50");
        assert_eq!(plain(0), "0.00");
        assert_eq!(plain(-50), "-0.50");
        assert_eq!(plain(-12_345), "-123.45");
        assert_eq!(plain(i64::MIN), "-92233720368547758.08");
    }

    #[test]
    fn kroner_are_grouped_by_thousands() {
        assert_eq!(nok(240_000_000), "NOK 2,400,000");
        assert_eq!(nok(240_000_050), "NOK 2,400,000.50");
        assert_eq!(nok(-99), "NOK -0.99");
        assert_eq!(nok(100_000), "NOK 1,000");
    }
}
