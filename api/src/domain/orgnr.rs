//! Norwegian organisation numbers: 9 digits with a MOD11 check digit.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgNumberError {
    #[error("an organisation number has 9 digits; '{0}' has {1}")]
    Length(String, usize),
    #[error("an organisation number has only digits; '{0}' has other characters")]
    NotDigits(String),
    #[error("'{0}' is not a valid organisation number: the check digit does not match")]
    CheckDigit(String),
}

const WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];

/// Removes whitespace (users type `123 456 785`) and checks the MOD11 digit; returns the 9 digits.
pub fn normalize(input: &str) -> Result<String, OrgNumberError> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    let shown = || digits.chars().take(20).collect::<String>();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(OrgNumberError::NotDigits(shown()));
    }
    if digits.len() != 9 {
        return Err(OrgNumberError::Length(shown(), digits.chars().count()));
    }
    let values: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
    match check_digit(&values[..8]) {
        Some(check) if check == values[8] => Ok(digits),
        _ => Err(OrgNumberError::CheckDigit(digits)),
    }
}

/// The check digit for the first eight digits, or `None` when none exists (remainder 1).
pub fn check_digit(first_eight: &[u32]) -> Option<u32> {
    let sum: u32 = first_eight.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    match sum % 11 {
        0 => Some(0),
        1 => None,
        r => Some(11 - r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_valid_numbers_pass() {
        for n in [
            "123456785",
            "974760673",
            "923609016",
            "912660680",
            "701730496",
        ] {
            assert_eq!(normalize(n).unwrap(), n);
        }
    }

    #[test]
    fn whitespace_is_removed() {
        assert_eq!(normalize(" 974 760 673 ").unwrap(), "974760673");
        assert_eq!(normalize("974\t760673").unwrap(), "974760673");
    }

    #[test]
    fn wrong_check_digit_fails() {
        // 12345678: sum 3+4+21+24+25+24+21+16 = 138, 138 mod 11 = 6, check 5; so ...4 is wrong.
        assert!(matches!(
            normalize("123456784"),
            Err(OrgNumberError::CheckDigit(_))
        ));
        assert!(matches!(
            normalize("974760674"),
            Err(OrgNumberError::CheckDigit(_))
        ));
    }

    #[test]
    fn remainder_one_has_no_valid_check_digit() {
        // 4,0,0,0,0,0,0,0: sum 4 x 3 = 12, remainder 1, so no 40000000x is valid.
        for last in 0..=9 {
            assert!(normalize(&format!("40000000{last}")).is_err());
        }
        assert_eq!(check_digit(&[4, 0, 0, 0, 0, 0, 0, 0]), None);
        // All zeros: sum 0, remainder 0, check digit 0.
        assert_eq!(normalize("000000000").unwrap(), "000000000");
    }

    #[test]
    fn wrong_length_and_letters_fail() {
        assert!(matches!(
            normalize("12345678"),
            Err(OrgNumberError::Length(_, 8))
        ));
        assert!(matches!(
            normalize("1234567850"),
            Err(OrgNumberError::Length(_, 10))
        ));
        assert!(matches!(
            normalize("NO974760673MVA"),
            Err(OrgNumberError::NotDigits(_))
        ));
        assert!(matches!(
            normalize("97476067-3"),
            Err(OrgNumberError::NotDigits(_))
        ));
        assert!(normalize("").is_err());
    }
}
