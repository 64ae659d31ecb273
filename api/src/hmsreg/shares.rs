//! Skilled-worker and apprentice shares of a group (docs/rules.md, Workforce shares and
//! Relevant trades). Pure: takes each contract's hours in the group, already split by whether
//! their trades count in each share, and returns the figures.

use std::sync::Arc;

use super::{import::Hours, trades::TradeCatalogue};

/// The settings the shares depend on; defaults as docs/domain.md gives them.
#[derive(Clone, Debug, PartialEq)]
pub struct ShareSettings {
    /// Whether administrative hours count in the denominators (default no).
    pub include_administrative: bool,
    pub skilled_target: f64,
    pub apprentice_target: f64,
    /// Which trades count in which share; read once at start.
    pub trades: Arc<TradeCatalogue>,
}

impl Default for ShareSettings {
    fn default() -> Self {
        Self {
            include_administrative: false,
            skilled_target: 50.0,
            apprentice_target: 10.0,
            trades: super::trades::SHIPPED.clone(),
        }
    }
}

impl ShareSettings {
    /// Which shares the hours stored under `trade_key` count in.
    pub fn counts(&self, trade_key: &str) -> Counts {
        self.trades.counts(trade_key)
    }
}

/// Whether a trade's hours count in each share's denominator (and numerator).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    /// A craft trade: in the skilled-worker share.
    pub skilled: bool,
    /// An apprentice trade: in the apprentice share.
    pub apprentice: bool,
}

impl Counts {
    /// Hours without a trade or in one the catalogue does not know.
    pub const BOTH: Counts = Counts {
        skilled: true,
        apprentice: true,
    };
}

/// One contract's hours in a group: all of them, and the parts in trades that count in the
/// skilled share and in the apprentice share.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TradeSplit {
    pub all: Hours,
    pub skilled_base: Hours,
    pub apprentice_base: Hours,
}

impl TradeSplit {
    /// Adds hours of one trade, counted where `counts` says.
    pub fn add(&mut self, hours: &Hours, counts: Counts) {
        self.all.plus(hours);
        if counts.skilled {
            self.skilled_base.plus(hours);
        }
        if counts.apprentice {
            self.apprentice_base.plus(hours);
        }
    }

    pub fn plus(&mut self, other: &TradeSplit) {
        self.all.plus(&other.all);
        self.skilled_base.plus(&other.skilled_base);
        self.apprentice_base.plus(&other.apprentice_base);
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Share {
    pub key: String,
    /// The second key of a pair grouping (`thenBy`); `None` otherwise.
    pub sub_key: Option<String>,
    pub hours: Hours,
    /// Hundredths of an hour, every trade.
    pub relevant: i64,
    /// Hundredths: the skilled share's denominator (relevant hours in craft trades).
    pub skilled_base: i64,
    /// Hundredths: the apprentice share's denominator (relevant hours in apprentice trades).
    pub apprentice_base: i64,
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

/// The skilled share of hours already limited to the trades it counts: skilled over relevant.
fn skilled_of(h: &Hours, s: &ShareSettings) -> Option<f64> {
    percent(h.skilled, relevant(h, s))
}

fn apprentice_of(h: &Hours, s: &ShareSettings) -> Option<f64> {
    percent(h.apprentice, relevant(h, s))
}

/// The group's figures from the hours of each contract in it.
pub fn share(
    key: String,
    contracts: &[TradeSplit],
    apprentice_count: usize,
    settings: &ShareSettings,
) -> Share {
    from_sums(
        key,
        &GroupSums::of(contracts, settings),
        apprentice_count,
        settings,
    )
}

/// A group's figures as the database adds them up: the hours, each share's numerator and
/// denominator (already limited to the trades the share counts, and with administrative hours
/// in the denominators when the settings say so), and the sum and number of the per-contract
/// shares of the contracts that have a denominator.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct GroupSums {
    pub all: Hours,
    pub skilled: i64,
    pub skilled_base: i64,
    pub apprentice: i64,
    pub apprentice_base: i64,
    pub contract_skilled_sum: f64,
    pub contract_skilled_n: i64,
    pub contract_apprentice_sum: f64,
    pub contract_apprentice_n: i64,
}

impl GroupSums {
    /// Everything `TradeSplit`s give, for the groups shares come from when they are added up
    /// in Rust.
    pub fn of(contracts: &[TradeSplit], settings: &ShareSettings) -> Self {
        let mut sums = Self::default();
        for c in contracts {
            sums.all.plus(&c.all);
            sums.skilled += c.skilled_base.skilled;
            sums.skilled_base += relevant(&c.skilled_base, settings);
            sums.apprentice += c.apprentice_base.apprentice;
            sums.apprentice_base += relevant(&c.apprentice_base, settings);
            if let Some(p) = skilled_of(&c.skilled_base, settings) {
                sums.contract_skilled_sum += p;
                sums.contract_skilled_n += 1;
            }
            if let Some(p) = apprentice_of(&c.apprentice_base, settings) {
                sums.contract_apprentice_sum += p;
                sums.contract_apprentice_n += 1;
            }
        }
        sums
    }

    /// Two groups that turn out to be one (texts the register merges). Contracts in both
    /// count twice in the per-contract means: only hours stored under an agency key no label
    /// names get here.
    pub fn plus(&mut self, other: &GroupSums) {
        self.all.plus(&other.all);
        self.skilled += other.skilled;
        self.skilled_base += other.skilled_base;
        self.apprentice += other.apprentice;
        self.apprentice_base += other.apprentice_base;
        self.contract_skilled_sum += other.contract_skilled_sum;
        self.contract_skilled_n += other.contract_skilled_n;
        self.contract_apprentice_sum += other.contract_apprentice_sum;
        self.contract_apprentice_n += other.contract_apprentice_n;
    }
}

/// The group's figures from its sums.
pub fn from_sums(
    key: String,
    sums: &GroupSums,
    apprentice_count: usize,
    settings: &ShareSettings,
) -> Share {
    let skilled_share = percent(sums.skilled, sums.skilled_base);
    let apprentice_share = percent(sums.apprentice, sums.apprentice_base);
    let average = |sum: f64, n: i64| (n > 0).then(|| sum / n as f64);
    Share {
        key,
        sub_key: None,
        hours: sums.all,
        relevant: relevant(&sums.all, settings),
        skilled_base: sums.skilled_base,
        apprentice_base: sums.apprentice_base,
        skilled_share,
        apprentice_share,
        average_contract_skilled_share: average(sums.contract_skilled_sum, sums.contract_skilled_n),
        average_contract_apprentice_share: average(
            sums.contract_apprentice_sum,
            sums.contract_apprentice_n,
        ),
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

    /// A contract whose hours have no trade: they count in both shares.
    fn c(s: i64, a: i64, u: i64, ad: i64) -> TradeSplit {
        let mut split = TradeSplit::default();
        split.add(&h(s, a, u, ad), Counts::BOTH);
        split
    }

    /// A contract from its hours per trade, with what each trade counts in.
    fn traded(parts: &[(Hours, Counts)]) -> TradeSplit {
        let mut split = TradeSplit::default();
        for (hours, counts) in parts {
            split.add(hours, *counts);
        }
        split
    }

    const OFFICE: Counts = Counts {
        skilled: false,
        apprentice: false,
    };

    #[test]
    fn weighted_and_plain_mean_differ_as_they_should() {
        // Contract 1: 90 skilled, 10 apprentice, 0 unskilled -> 90 % / 10 %.
        // Contract 2: 10 skilled, 0 apprentice, 290 unskilled -> 3.33 % / 0 %.
        // Whole group: 100 / 400 = 25 %; 10 / 400 = 2.5 %. Plain means: 46.67 %, 5 %.
        let s = share(
            "total".into(),
            &[c(90, 10, 0, 50), c(10, 0, 290, 0)],
            1,
            &ShareSettings::default(),
        );
        assert_eq!(s.relevant, 40_000);
        assert_eq!((s.skilled_base, s.apprentice_base), (40_000, 40_000));
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
            &[c(50, 10, 40, 0)],
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
        let s = share("k".into(), &[c(50, 0, 0, 50)], 0, &with);
        assert_eq!(s.skilled_share, Some(50.0));
        let s = share("k".into(), &[c(50, 0, 0, 50)], 0, &ShareSettings::default());
        assert_eq!(s.skilled_share, Some(100.0));
    }

    #[test]
    fn no_relevant_hours_means_no_shares() {
        let s = share("k".into(), &[c(0, 0, 0, 8)], 0, &ShareSettings::default());
        assert_eq!(s.relevant, 0);
        assert_eq!(s.skilled_share, None);
        assert_eq!(s.meets_skilled_target, None);
        assert_eq!(s.average_contract_skilled_share, None);
    }

    #[test]
    fn office_roles_counted_as_skilled_no_longer_lift_the_skilled_share_over_the_target() {
        // The case rules.md's trade catalogue is for. One contract:
        //   Tømrer (craft and apprentice trade): skilled 40, apprentice 10, unskilled 50;
        //   Prosjektleder (an office role): skilled 40 (engineers with a trade certificate
        //   are registered as faglært).
        // Before the catalogue every hour counted: skilled 80 / relevant 140 = 57.1 %, above
        // the 50 % target. Counted as the municipality counts, only the craft trade's hours
        // are the base: 40 / 100 = 40 %, below it. The apprentice share also drops the
        // office hours: 10 / 100 = 10 % (it was 10 / 140 = 7.1 %), which meets its target.
        let craft = h(40, 10, 50, 0);
        let office = h(40, 0, 0, 0);
        let before = share(
            "k".into(),
            &[c(80, 10, 50, 0)],
            0,
            &ShareSettings::default(),
        );
        assert!((before.skilled_share.unwrap() - 80.0 / 140.0 * 100.0).abs() < 1e-9);
        assert_eq!(before.meets_skilled_target, Some(true));
        let now = share(
            "k".into(),
            &[traded(&[(craft, Counts::BOTH), (office, OFFICE)])],
            0,
            &ShareSettings::default(),
        );
        assert_eq!(
            now.relevant, 14_000,
            "relevant hours still cover every trade"
        );
        assert_eq!((now.skilled_base, now.apprentice_base), (10_000, 10_000));
        assert_eq!(now.skilled_share, Some(40.0));
        assert_eq!(now.meets_skilled_target, Some(false));
        assert_eq!(now.apprentice_share, Some(10.0));
        assert_eq!(now.meets_apprentice_target, Some(true));
        assert_eq!(now.average_contract_skilled_share, Some(40.0));
    }

    #[test]
    fn unskilled_office_hours_no_longer_hold_the_skilled_share_below_the_target() {
        // The other way round: craft trade skilled 60, unskilled 40; Prosjektleder unskilled
        // 30 (registered as ikke faglært). Old rule 60 / 130 = 46.2 %, below; new rule the
        // craft trade alone, 60 / 100 = 60 %, above.
        let split = traded(&[(h(60, 0, 40, 0), Counts::BOTH), (h(0, 0, 30, 0), OFFICE)]);
        let s = share("k".into(), &[split], 0, &ShareSettings::default());
        assert_eq!(s.relevant, 13_000);
        assert_eq!(s.skilled_base, 10_000);
        assert_eq!(s.skilled_share, Some(60.0));
        assert_eq!(s.meets_skilled_target, Some(true));
        assert_eq!(s.apprentice_share, Some(0.0));
    }

    #[test]
    fn the_two_denominators_differ_by_trade_and_the_contract_means_follow_them() {
        let craft_only = Counts {
            skilled: true,
            apprentice: false,
        };
        // Contract A: Tømrer (both) skilled 30, apprentice 10, unskilled 10; a craft-only
        // trade skilled 50; no trade (both) unskilled 20 and administrative 10.
        //   skilled base 30 + 10 + 10 + 50 + 20 = 120, skilled 80 -> 66.67 %;
        //   apprentice base 30 + 10 + 10 + 20 = 70, apprentice 10 -> 14.29 %.
        // Contract B: only an office role, skilled 40: in neither base, so it has no share
        //   and is left out of both means, while its hours stay in relevantHours.
        let a = traded(&[
            (h(30, 10, 10, 0), Counts::BOTH),
            (h(50, 0, 0, 0), craft_only),
            (h(0, 0, 20, 10), Counts::BOTH),
        ]);
        let b = traded(&[(h(40, 0, 0, 0), OFFICE)]);
        let s = share("k".into(), &[a, b], 1, &ShareSettings::default());
        assert_eq!(
            s.relevant,
            30 * 100 + 10 * 100 + 10 * 100 + 50 * 100 + 20 * 100 + 40 * 100
        );
        assert_eq!((s.skilled_base, s.apprentice_base), (12_000, 7_000));
        assert!((s.skilled_share.unwrap() - 80.0 / 120.0 * 100.0).abs() < 1e-9);
        assert!((s.apprentice_share.unwrap() - 10.0 / 70.0 * 100.0).abs() < 1e-9);
        assert_eq!(s.average_contract_skilled_share, s.skilled_share);
        assert_eq!(s.average_contract_apprentice_share, s.apprentice_share);
        assert_eq!(s.hours.administrative, 1_000);

        // With administrative hours counted, they join both bases through their trade (none,
        // so both): skilled 80 / 130, apprentice 10 / 80.
        let with = ShareSettings {
            include_administrative: true,
            ..Default::default()
        };
        let s = share("k".into(), &[a, b], 1, &with);
        assert_eq!((s.skilled_base, s.apprentice_base), (13_000, 8_000));
        assert_eq!(s.apprentice_share, Some(12.5));
    }
}
