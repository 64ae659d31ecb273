//! Checks a tender against the catalogue (docs/rules.md, Tender rules). Pure: a tender and the
//! catalogue in, one finding per rule out, in catalogue order, with a message a buyer can act on.

mod climate;
mod labour;
mod model;
mod rule;
mod site;
mod transport;

pub use model::{
    Check, Exemption, Finding, FindingStatus, MIN_JUSTIFICATION, Requirement, RequirementCode,
    RequirementForm, RiskLevel, Tender, Verdict,
};
use rule::Applies;
pub use rule::nok;

use super::catalogue::{Catalogue, Rule, RuleId, Version};

/// Whether the rule applies to the tender, with the reason either way.
fn applies(id: RuleId, v: &Version, t: &Tender) -> Applies {
    match id {
        RuleId::Transport => transport::applies(v, t),
        RuleId::Site => site::applies(v, t),
        RuleId::ClimateWeight => climate::applies(v, t),
        RuleId::Apprentices => labour::apprentices_apply(v, t),
        RuleId::SkilledWorkers => labour::skilled_workers_apply(v, t),
        RuleId::Hmsreg => labour::hmsreg_applies(v, t),
        RuleId::SubcontractorChain => labour::chain_applies(v, t),
    }
}

/// Whether the tender meets an applicable rule; else what to add.
fn satisfied(id: RuleId, v: &Version, t: &Tender) -> Result<(), String> {
    match id {
        RuleId::Transport => transport::satisfied(v, t),
        RuleId::Site => site::satisfied(v, t),
        RuleId::ClimateWeight => climate::satisfied(v, t),
        RuleId::Apprentices => labour::apprentices_satisfied(t),
        RuleId::SkilledWorkers => labour::skilled_workers_satisfied(t),
        RuleId::Hmsreg => labour::hmsreg_satisfied(t),
        RuleId::SubcontractorChain => labour::chain_satisfied(v, t),
    }
}

/// The tender's exemption from the rule, if justified at length enough to count.
fn exemption(t: &Tender, id: RuleId) -> Option<&Exemption> {
    t.exemptions.iter().find(|e| {
        e.rule_id == id.as_str() && e.justification.trim().chars().count() >= MIN_JUSTIFICATION
    })
}

fn finding(rule: &Rule, t: &Tender) -> Finding {
    let day = t.announced_on;
    let (status, message) = match rule.version_on(day) {
        None => (
            FindingStatus::NotApplicable,
            format!("not in force on {day}"),
        ),
        Some(v) => match applies(rule.id, v, t) {
            Applies::No(why) => (FindingStatus::NotApplicable, why),
            Applies::Yes(why) => match satisfied(rule.id, v, t) {
                Ok(()) => (
                    FindingStatus::Satisfied,
                    format!("{why}: the requirement is in place"),
                ),
                Err(missing) => match exemption(t, rule.id) {
                    Some(e) => (
                        FindingStatus::Exempted,
                        format!(
                            "{why}: exempted, justified as \"{}\"",
                            e.justification.trim()
                        ),
                    ),
                    None => (
                        FindingStatus::Missing,
                        format!("{why}: {missing}, or justify an exemption"),
                    ),
                },
            },
        },
    };
    Finding {
        rule_id: rule.id.as_str(),
        title: rule.title.clone(),
        source: rule.source.clone(),
        status,
        message,
    }
}

/// Every rule of the catalogue, in order, and the verdict.
pub fn check(t: &Tender, catalogue: &Catalogue) -> Check {
    let findings: Vec<Finding> = catalogue.rules.iter().map(|r| finding(r, t)).collect();
    let verdict = if findings.iter().any(|f| f.status == FindingStatus::Missing) {
        Verdict::NonCompliant
    } else {
        Verdict::Compliant
    };
    Check {
        verdict,
        findings,
        rules_version: catalogue.version.clone(),
    }
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;
