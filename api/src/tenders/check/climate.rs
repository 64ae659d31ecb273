//! Rule climate.award-weight: climate and environment weighed as an award criterion.

use super::{
    model::{RequirementCode, RequirementForm, Tender},
    rule::{Applies, at_least, below, has, nok, ok},
};
use crate::tenders::catalogue::Version;

pub(super) fn applies(v: &Version, t: &Tender) -> Applies {
    if !at_least(t, v.min_value) {
        return below(t, v.min_value);
    }
    Applies::Yes(format!("the value is {}", nok(t.value)))
}

pub(super) fn satisfied(v: &Version, t: &Tender) -> Result<(), String> {
    let min = v.min_weight_percent.unwrap_or(30.0);
    ok(
        has(t, RequirementCode::ClimateAwardWeight, |r| {
            r.form == RequirementForm::AwardCriterion && r.weight_percent.is_some_and(|w| w >= min)
        }),
        &format!("weigh climate and environment at least {min} % as an award criterion"),
    )
}
