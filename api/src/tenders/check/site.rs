//! Rule site.fossil-free: a fossil-free, later emission-free, building site.

use super::{
    model::{RequirementCode, Tender},
    rule::{Applies, at_least, below, firm, has, nok, ok},
};
use crate::tenders::catalogue::{SiteStandard, Version};

pub(super) fn applies(v: &Version, t: &Tender) -> Applies {
    if !t.building_site {
        return Applies::No("the tender runs no building site".into());
    }
    if !at_least(t, v.min_value) {
        return below(t, v.min_value);
    }
    Applies::Yes(format!(
        "the tender runs a building site and the value is {}",
        nok(t.value)
    ))
}

pub(super) fn satisfied(v: &Version, t: &Tender) -> Result<(), String> {
    match v.site_standard {
        Some(SiteStandard::EmissionFree) => ok(
            firm(t, RequirementCode::ZeroEmissionMachines)
                && firm(t, RequirementCode::EmissionFreeHeatingDrying),
            "add minimum requirements for zero-emission machines and for emission-free heating and drying",
        ),
        // The fossil-free standard accepts zero-emission machines in any form.
        _ => ok(
            firm(t, RequirementCode::FossilFreeSite)
                && firm(t, RequirementCode::EmissionFreeHeatingDrying)
                && has(t, RequirementCode::ZeroEmissionMachines, |_| true),
            "add minimum requirements for a fossil-free site and emission-free heating and drying, and zero-emission machines in any form",
        ),
    }
}
