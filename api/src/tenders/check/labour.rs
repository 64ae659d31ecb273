//! The labour rules: apprentices, skilled workers, HMSREG and the subcontractor chain limit.

use sea_orm::ActiveEnum as _;

use super::{
    model::{RequirementCode, RiskLevel, Tender},
    rule::{Applies, above, at_least, below, firm, has, nok, not_above, ok, shown},
};
use crate::{domain::kinds::ProcurementCategory, tenders::catalogue::Version};

fn goods(t: &Tender) -> bool {
    t.category == ProcurementCategory::Goods
}

/// Building and construction, or cleaning: the trades the skilled-worker and HMSREG rules name.
fn building(t: &Tender) -> bool {
    matches!(
        t.category,
        ProcurementCategory::Construction | ProcurementCategory::Cleaning
    )
}

pub(super) fn apprentices_apply(v: &Version, t: &Tender) -> Applies {
    if goods(t) {
        return Applies::No("goods deliveries have no apprentice requirement".into());
    }
    if !at_least(t, v.min_value) {
        return below(t, v.min_value);
    }
    if v.min_duration_months_exclusive
        .is_some_and(|m| t.duration_months <= m)
    {
        return Applies::No(format!(
            "the contract runs {} months, not more than {}",
            t.duration_months,
            v.min_duration_months_exclusive.unwrap_or(0)
        ));
    }
    if !t.apprentice_trades {
        return Applies::No("the trades have no particular need for apprentices".into());
    }
    Applies::Yes(format!(
        "the value is {}, the contract runs {} months and the trades need apprentices",
        nok(t.value),
        t.duration_months
    ))
}

pub(super) fn apprentices_satisfied(t: &Tender) -> Result<(), String> {
    ok(
        firm(t, RequirementCode::Apprentices),
        "add a minimum requirement or contract clause for apprentices",
    )
}

pub(super) fn skilled_workers_apply(v: &Version, t: &Tender) -> Applies {
    if !building(t) {
        return Applies::No(
            "only building, construction and cleaning require skilled workers".into(),
        );
    }
    if !above(t, v.min_value_exclusive) {
        return not_above(t, v.min_value_exclusive);
    }
    Applies::Yes(format!(
        "a building, construction or cleaning contract worth {}",
        nok(t.value)
    ))
}

pub(super) fn skilled_workers_satisfied(t: &Tender) -> Result<(), String> {
    ok(
        firm(t, RequirementCode::SkilledWorkers),
        "add a minimum requirement or contract clause for skilled workers",
    )
}

pub(super) fn hmsreg_applies(v: &Version, t: &Tender) -> Applies {
    if !(building(t) || t.building_site) {
        return Applies::No(
            "neither building, construction or cleaning, nor a building site".into(),
        );
    }
    if !above(t, v.min_value_exclusive) {
        return not_above(t, v.min_value_exclusive);
    }
    Applies::Yes(format!(
        "building, construction, cleaning or a building site, worth {}",
        nok(t.value)
    ))
}

pub(super) fn hmsreg_satisfied(t: &Tender) -> Result<(), String> {
    ok(
        firm(t, RequirementCode::HmsregRegistration),
        "add a contract clause on registration in HMSREG",
    )
}

/// Above one threshold the chain is always limited; with a risk of labour crime, from a lower one.
pub(super) fn chain_applies(v: &Version, t: &Tender) -> Applies {
    let value = nok(t.value);
    if goods(t) {
        return Applies::No("goods deliveries have no subcontractor chain limit".into());
    }
    if above(t, v.min_value_exclusive) {
        return Applies::Yes(format!("the value is {value}"));
    }
    if t.risk != RiskLevel::Low && at_least(t, v.risk_min_value) {
        return Applies::Yes(format!(
            "the value is {value} and the risk of labour crime is {}",
            t.risk.to_value().to_lowercase()
        ));
    }
    Applies::No(format!(
        "the value ({value}) is not above {} and the risk is low or the value below {}",
        shown(v.min_value_exclusive),
        shown(v.risk_min_value)
    ))
}

pub(super) fn chain_satisfied(v: &Version, t: &Tender) -> Result<(), String> {
    let limit = if t.risk == RiskLevel::Low {
        v.max_tiers_low_risk
    } else {
        v.max_tiers_other_risk
    }
    .unwrap_or(1);
    ok(
        has(t, RequirementCode::SubcontractorChainLimit, |r| {
            r.firm() && r.max_tiers.is_some_and(|m| m <= limit)
        }),
        &format!(
            "limit the subcontractor chain to at most {limit} tier{} in a minimum requirement or contract clause",
            if limit == 1 { "" } else { "s" }
        ),
    )
}
