//! What the rule groups share: applies-or-not, thresholds in kroner, NOK, requirement lookups.

use super::model::{Requirement, RequirementCode, Tender};

/// Whether the rule applies, with the reason either way.
pub(super) enum Applies {
    Yes(String),
    No(String),
}

pub use crate::domain::hundredths::nok;

/// The catalogue states thresholds in whole kroner; tenders carry øre.
fn kroner(nok: i64) -> i64 {
    nok * 100
}

/// The tender's value is at least the threshold; false when the version sets none.
pub(super) fn at_least(t: &Tender, threshold: Option<i64>) -> bool {
    threshold.is_some_and(|n| t.value >= kroner(n))
}

/// The tender's value is above the threshold; false when the version sets none.
pub(super) fn above(t: &Tender, threshold: Option<i64>) -> bool {
    threshold.is_some_and(|n| t.value > kroner(n))
}

/// A threshold as a buyer reads it.
pub(super) fn shown(threshold: Option<i64>) -> String {
    nok(kroner(threshold.unwrap_or(0)))
}

/// Not applicable: the value is below the inclusive threshold `min`.
pub(super) fn below(t: &Tender, min: Option<i64>) -> Applies {
    Applies::No(format!(
        "the value ({}) is below {}",
        nok(t.value),
        shown(min)
    ))
}

/// Not applicable: the value is not above the exclusive threshold `min`.
pub(super) fn not_above(t: &Tender, min: Option<i64>) -> Applies {
    Applies::No(format!(
        "the value ({}) is not above {}",
        nok(t.value),
        shown(min)
    ))
}

/// Met, or what to add.
pub(super) fn ok(yes: bool, missing: &str) -> Result<(), String> {
    if yes {
        Ok(())
    } else {
        Err(missing.to_string())
    }
}

pub(super) fn has(t: &Tender, code: RequirementCode, ok: impl Fn(&Requirement) -> bool) -> bool {
    t.requirements.iter().any(|r| r.code == code && ok(r))
}

/// A minimum requirement or contract clause with this code.
pub(super) fn firm(t: &Tender, code: RequirementCode) -> bool {
    has(t, code, Requirement::firm)
}
