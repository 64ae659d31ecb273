//! Rounding and deviation as the annual report prints them. Pure.

/// The three indicators, in the report's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndicatorId {
    SkilledShare,
    ApprenticeShare,
    ClimateTransport,
}

impl IndicatorId {
    pub const ALL: [IndicatorId; 3] = [
        IndicatorId::SkilledShare,
        IndicatorId::ApprenticeShare,
        IndicatorId::ClimateTransport,
    ];

    pub fn id(self) -> &'static str {
        match self {
            IndicatorId::SkilledShare => "skilled-share",
            IndicatorId::ApprenticeShare => "apprentice-share",
            IndicatorId::ClimateTransport => "climate-transport",
        }
    }

    /// As the goal table titles it.
    pub fn title(self) -> &'static str {
        match self {
            IndicatorId::SkilledShare => {
                "Andel fagarbeidere innen håndverksfagene registrert i HMSREG"
            }
            IndicatorId::ApprenticeShare => {
                "Andel timer i relevante fag utført av lærlinger iht. HMSREG"
            }
            IndicatorId::ClimateTransport => {
                "Andel nye og relevante anskaffelser med krav til klimanøytral transport"
            }
        }
    }
}

/// One year's figure of an indicator.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct YearValue {
    pub year: i32,
    /// Unrounded percent; `None` without data.
    pub actual: Option<f64>,
    /// `actual` rounded half up to a whole percent.
    pub rounded: Option<i64>,
    /// `rounded` - the target (the target rounded half up too, should a setting have decimals).
    pub deviation: Option<i64>,
}

/// Half up: 44.5 -> 45, 44.49 -> 44. Shares are never negative. The shares are one correctly
/// rounded division of whole hundredths, so a true half (x.5 is exact in binary) arrives as
/// exactly x.5 and goes up.
pub fn round_half_up(value: f64) -> i64 {
    (value + 0.5).floor() as i64
}

pub fn year_value(year: i32, actual: Option<f64>, target: f64) -> YearValue {
    let rounded = actual.map(round_half_up);
    YearValue {
        year,
        actual,
        rounded,
        deviation: rounded.map(|r| r - round_half_up(target)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up_as_the_report_prints() {
        assert_eq!(round_half_up(44.5), 45);
        assert_eq!(round_half_up(44.499), 44);
        assert_eq!(round_half_up(0.0), 0);
        assert_eq!(round_half_up(99.5), 100);
        // 89 of 200 hours: one division, exactly 44.5.
        assert_eq!(round_half_up(8_900.0 * 100.0 / 20_000.0), 45);
    }

    #[test]
    fn deviation_is_rounded_minus_target() {
        let v = year_value(2025, Some(47.6), 50.0);
        assert_eq!((v.rounded, v.deviation), (Some(48), Some(-2)));
        let v = year_value(2025, Some(10.5), 10.0);
        assert_eq!((v.rounded, v.deviation), (Some(11), Some(1)));
        let v = year_value(2024, None, 100.0);
        assert_eq!((v.actual, v.rounded, v.deviation), (None, None, None));
    }
}
