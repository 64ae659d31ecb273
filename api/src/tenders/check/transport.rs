//! Rule transport.zero-emission: zero-emission or biogas vehicles when transport is delivered.

use super::{
    model::{Requirement, RequirementCode, Tender},
    rule::{Applies, at_least, below, has, nok, ok},
};
use crate::tenders::catalogue::Version;

pub(super) fn applies(v: &Version, t: &Tender) -> Applies {
    if !t.includes_transport {
        return Applies::No("transport is not part of the delivery".into());
    }
    if !at_least(t, v.min_value) {
        return below(t, v.min_value);
    }
    Applies::Yes(format!(
        "transport is part of the delivery and the value is {}",
        nok(t.value)
    ))
}

pub(super) fn satisfied(v: &Version, t: &Tender) -> Result<(), String> {
    // Some versions let an award criterion count as much as a firm requirement.
    let award_counts = v.award_criterion_counts == Some(true);
    let counts = |r: &Requirement| r.firm() || award_counts;
    let met = has(t, RequirementCode::ZeroEmissionTransport, counts)
        || has(t, RequirementCode::BiogasTransport, counts);
    let form = if award_counts {
        "a minimum requirement, contract clause or award criterion"
    } else {
        "a minimum requirement or contract clause"
    };
    ok(
        met,
        &format!("add {form} for zero-emission or biogas vehicles"),
    )
}
