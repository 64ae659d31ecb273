//! Skilled-worker and apprentice shares of a group (docs/rules.md, Workforce shares). Pure: takes
//! each contract's hours in the group, returns the figures.

use super::import::Hours;

/// The settings the shares depend on; defaults as docs/domain.md gives them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ShareSettings {
    /// Whether administrative hours count in the denominator (default no).
    pub include_administrative: bool,
    pub skilled_target: f64,
    pub apprentice_target: f64,
}

impl Default for ShareSettings {
    fn default() -> Self {
        Self {
            include_administrative: false,
            skilled_target: 50.0,
            apprentice_target: 10.0,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Share {
    pub key: String,
    pub hours: Hours,
    /// Hundredths of an hour.
    pub relevant: i64,
    pub skilled_share: Option<f64>,
    pub apprentice_share: Option<f64>,
    pub average_contract_skilled_share: Option<f64>,
    pub average_contract_apprentice_share: Option<f64>,
    pub apprentice_count: usize,
    pub meets_skilled_target: Option<bool>,
    pub meets_apprentice_target: Option<bool>,
}

fn relevant(h: &Hours, s: &ShareSettings) -> i64 {
    h.skilled
        + h.apprentice
        + h.unskilled
        + if s.include_administrative {
            h.administrative
        } else {
            0
        }
}

/// Percent from exact hundredths; one division, so the order of summing never matters.
fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// The group's figures from the hours of each contract in it.
pub fn share(
    key: String,
    contracts: &[Hours],
    apprentice_count: usize,
    settings: &ShareSettings,
) -> Share {
    let mut hours = Hours::default();
    for c in contracts {
        hours.plus(c);
    }
    let total = relevant(&hours, settings);
    let skilled_share = percent(hours.skilled, total);
    let apprentice_share = percent(hours.apprentice, total);
    let with_hours: Vec<(i64, &Hours)> = contracts
        .iter()
        .map(|c| (relevant(c, settings), c))
        .filter(|(r, _)| *r > 0)
        .collect();
    let skilled_each: Vec<f64> = with_hours
        .iter()
        .filter_map(|(r, c)| percent(c.skilled, *r))
        .collect();
    let apprentice_each: Vec<f64> = with_hours
        .iter()
        .filter_map(|(r, c)| percent(c.apprentice, *r))
        .collect();
    Share {
        key,
        hours,
        relevant: total,
        skilled_share,
        apprentice_share,
        average_contract_skilled_share: mean(&skilled_each),
        average_contract_apprentice_share: mean(&apprentice_each),
        apprentice_count,
        meets_skilled_target: skilled_share.map(|s| s >= settings.skilled_target),
        meets_apprentice_target: apprentice_share.map(|s| s >= settings.apprentice_target),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: i64, a: i64, u: i64, ad: i64) -> Hours {
        Hours {
            skilled: s * 100,
            apprentice: a * 100,
            unskilled: u * 100,
            administrative: ad * 100,
        }
    }

    #[test]
    fn weighted_and_plain_mean_differ_as_they_should() {
        // Contract 1: 90 skilled, 10 apprentice, 0 unskilled -> 90 % / 10 %.
        // Contract 2: 10 skilled, 0 apprentice, 290 unskilled -> 3.33 % / 0 %.
        // Whole group: 100 / 400 = 25 %; 10 / 400 = 2.5 %. Plain means: 46.67 %, 5 %.
        let s = share(
            "total".into(),
            &[h(90, 10, 0, 50), h(10, 0, 290, 0)],
            1,
            &ShareSettings::default(),
        );
        assert_eq!(s.relevant, 40_000);
        assert_eq!(s.skilled_share, Some(25.0));
        assert_eq!(s.apprentice_share, Some(2.5));
        assert!(
            (s.average_contract_skilled_share.unwrap() - (90.0 + 100.0 / 30.0) / 2.0).abs() < 1e-9
        );
        assert_eq!(s.average_contract_apprentice_share, Some(5.0));
        assert_eq!(s.meets_skilled_target, Some(false));
        assert_eq!(s.meets_apprentice_target, Some(false));
    }

    #[test]
    fn targets_compare_with_greater_or_equal() {
        let s = share(
            "k".into(),
            &[h(50, 10, 40, 0)],
            0,
            &ShareSettings::default(),
        );
        assert_eq!(s.skilled_share, Some(50.0));
        assert_eq!(s.meets_skilled_target, Some(true));
        assert_eq!(s.meets_apprentice_target, Some(true));
    }

    #[test]
    fn administrative_hours_count_only_when_set() {
        let with = ShareSettings {
            include_administrative: true,
            ..Default::default()
        };
        let s = share("k".into(), &[h(50, 0, 0, 50)], 0, &with);
        assert_eq!(s.skilled_share, Some(50.0));
        let s = share("k".into(), &[h(50, 0, 0, 50)], 0, &ShareSettings::default());
        assert_eq!(s.skilled_share, Some(100.0));
    }

    #[test]
    fn no_relevant_hours_means_no_shares() {
        let s = share("k".into(), &[h(0, 0, 0, 8)], 0, &ShareSettings::default());
        assert_eq!(s.relevant, 0);
        assert_eq!(s.skilled_share, None);
        assert_eq!(s.meets_skilled_target, None);
        assert_eq!(s.average_contract_skilled_share, None);
    }
}
