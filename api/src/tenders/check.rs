//! Checks a tender against the catalogue (rules.md, Tender rules). Pure: a tender and the
//! catalogue in, one finding per rule out, in catalogue order, with a message a buyer can act on.

use chrono::NaiveDate;

use super::catalogue::{Catalogue, Rule, RuleId, SiteStandard, Version};
use crate::{portfolio::kinds::ProcurementCategory, stored_enum};

stored_enum!(
    /// A requirement a tender declares.
    RequirementCode {
        ZeroEmissionTransport => "ZERO_EMISSION_TRANSPORT",
        BiogasTransport => "BIOGAS_TRANSPORT",
        FossilFreeSite => "FOSSIL_FREE_SITE",
        ZeroEmissionMachines => "ZERO_EMISSION_MACHINES",
        EmissionFreeHeatingDrying => "EMISSION_FREE_HEATING_DRYING",
        ClimateAwardWeight => "CLIMATE_AWARD_WEIGHT",
        Apprentices => "APPRENTICES",
        SkilledWorkers => "SKILLED_WORKERS",
        HmsregRegistration => "HMSREG_REGISTRATION",
        SubcontractorChainLimit => "SUBCONTRACTOR_CHAIN_LIMIT",
    }
);

stored_enum!(
    /// How a requirement binds: minimum requirement and contract clause are "firm".
    RequirementForm {
        MinimumRequirement => "MINIMUM_REQUIREMENT",
        ContractClause => "CONTRACT_CLAUSE",
        AwardCriterion => "AWARD_CRITERION",
    }
);

stored_enum!(
    /// The risk of labour crime in the delivery.
    RiskLevel {
        Low => "LOW",
        Medium => "MEDIUM",
        High => "HIGH",
    }
);

#[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum FindingStatus {
    Satisfied,
    Missing,
    NotApplicable,
    Exempted,
}

#[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum Verdict {
    Compliant,
    NonCompliant,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Requirement {
    pub code: RequirementCode,
    pub form: RequirementForm,
    pub weight_percent: Option<f64>,
    pub max_tiers: Option<i32>,
    pub machine_types: Vec<String>,
}

impl Requirement {
    pub fn firm(&self) -> bool {
        self.form != RequirementForm::AwardCriterion
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Exemption {
    pub rule_id: String,
    pub justification: String,
}

/// What the checker needs of a tender.
#[derive(Clone, Debug, PartialEq)]
pub struct Tender {
    pub category: ProcurementCategory,
    /// Estimated value excluding VAT, in øre.
    pub value: i64,
    pub duration_months: i32,
    pub announced_on: NaiveDate,
    pub includes_transport: bool,
    pub building_site: bool,
    pub apprentice_trades: bool,
    pub risk: RiskLevel,
    pub requirements: Vec<Requirement>,
    pub exemptions: Vec<Exemption>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule_id: &'static str,
    pub title: String,
    pub source: String,
    pub status: FindingStatus,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    pub rules_version: String,
}

/// A justification shorter than this (after trimming) does not exempt a tender from a rule.
pub const MIN_JUSTIFICATION: usize = 20;

/// `2400000_00` øre -> `NOK 2,400,000` (`NOK 2,400,000.50` with øre).
pub fn nok(ore: i64) -> String {
    let whole = (ore / 100).abs().to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if ore < 0 { "-" } else { "" };
    match ore.abs() % 100 {
        0 => format!("NOK {sign}{grouped}"),
        r => format!("NOK {sign}{grouped}.{r:02}"),
    }
}

fn kroner(nok: i64) -> i64 {
    nok * 100
}

/// Whether the rule applies, with the reason either way.
enum Applies {
    Yes(String),
    No(String),
}

fn has(t: &Tender, code: RequirementCode, ok: impl Fn(&Requirement) -> bool) -> bool {
    t.requirements.iter().any(|r| r.code == code && ok(r))
}

fn firm(t: &Tender, code: RequirementCode) -> bool {
    has(t, code, Requirement::firm)
}

fn applies(id: RuleId, v: &Version, t: &Tender) -> Applies {
    use Applies::{No, Yes};
    let value = nok(t.value);
    let at_least = |threshold: Option<i64>| threshold.is_some_and(|n| t.value >= kroner(n));
    let above = |threshold: Option<i64>| threshold.is_some_and(|n| t.value > kroner(n));
    let shown = |threshold: Option<i64>| nok(kroner(threshold.unwrap_or(0)));
    let below_min = || {
        No(format!(
            "the value ({value}) is below {}",
            shown(v.min_value)
        ))
    };
    let not_above_min = || {
        No(format!(
            "the value ({value}) is not above {}",
            shown(v.min_value_exclusive)
        ))
    };
    let goods = t.category == ProcurementCategory::Goods;
    let building = matches!(
        t.category,
        ProcurementCategory::Construction | ProcurementCategory::Cleaning
    );
    match id {
        RuleId::Transport if !t.includes_transport => {
            No("transport is not part of the delivery".into())
        }
        RuleId::Transport if !at_least(v.min_value) => below_min(),
        RuleId::Transport => Yes(format!(
            "transport is part of the delivery and the value is {value}"
        )),
        RuleId::Site if !t.building_site => No("the tender runs no building site".into()),
        RuleId::Site if !at_least(v.min_value) => below_min(),
        RuleId::Site => Yes(format!(
            "the tender runs a building site and the value is {value}"
        )),
        RuleId::ClimateWeight if !at_least(v.min_value) => below_min(),
        RuleId::ClimateWeight => Yes(format!("the value is {value}")),
        RuleId::Apprentices if goods => {
            No("goods deliveries have no apprentice requirement".into())
        }
        RuleId::Apprentices if !at_least(v.min_value) => below_min(),
        RuleId::Apprentices
            if v.min_duration_months_exclusive
                .is_some_and(|m| t.duration_months <= m) =>
        {
            No(format!(
                "the contract runs {} months, not more than {}",
                t.duration_months,
                v.min_duration_months_exclusive.unwrap_or(0)
            ))
        }
        RuleId::Apprentices if !t.apprentice_trades => {
            No("the trades have no particular need for apprentices".into())
        }
        RuleId::Apprentices => Yes(format!(
            "the value is {value}, the contract runs {} months and the trades need apprentices",
            t.duration_months
        )),
        RuleId::SkilledWorkers if !building => {
            No("only building, construction and cleaning require skilled workers".into())
        }
        RuleId::SkilledWorkers if !above(v.min_value_exclusive) => not_above_min(),
        RuleId::SkilledWorkers => Yes(format!(
            "a building, construction or cleaning contract worth {value}"
        )),
        RuleId::Hmsreg if !(building || t.building_site) => {
            No("neither building, construction or cleaning, nor a building site".into())
        }
        RuleId::Hmsreg if !above(v.min_value_exclusive) => not_above_min(),
        RuleId::Hmsreg => Yes(format!(
            "building, construction, cleaning or a building site, worth {value}"
        )),
        RuleId::SubcontractorChain if goods => {
            No("goods deliveries have no subcontractor chain limit".into())
        }
        RuleId::SubcontractorChain if above(v.min_value_exclusive) => {
            Yes(format!("the value is {value}"))
        }
        RuleId::SubcontractorChain if t.risk != RiskLevel::Low && at_least(v.risk_min_value) => {
            Yes(format!(
                "the value is {value} and the risk of labour crime is {}",
                t.risk.as_str().to_lowercase()
            ))
        }
        RuleId::SubcontractorChain => No(format!(
            "the value ({value}) is not above {} and the risk is low or the value below {}",
            shown(v.min_value_exclusive),
            shown(v.risk_min_value)
        )),
    }
}

/// Whether the tender meets an applicable rule; else what to add.
fn satisfied(id: RuleId, v: &Version, t: &Tender) -> Result<(), String> {
    let ok = |yes: bool, missing: &str| {
        if yes {
            Ok(())
        } else {
            Err(missing.to_string())
        }
    };
    match id {
        RuleId::Transport => {
            let counts = |r: &Requirement| r.firm() || v.award_criterion_counts == Some(true);
            let met = has(t, RequirementCode::ZeroEmissionTransport, counts)
                || has(t, RequirementCode::BiogasTransport, counts);
            let form = if v.award_criterion_counts == Some(true) {
                "a minimum requirement, contract clause or award criterion"
            } else {
                "a minimum requirement or contract clause"
            };
            ok(
                met,
                &format!("add {form} for zero-emission or biogas vehicles"),
            )
        }
        RuleId::Site => match v.site_standard {
            Some(SiteStandard::EmissionFree) => ok(
                firm(t, RequirementCode::ZeroEmissionMachines)
                    && firm(t, RequirementCode::EmissionFreeHeatingDrying),
                "add minimum requirements for zero-emission machines and for emission-free heating and drying",
            ),
            _ => ok(
                firm(t, RequirementCode::FossilFreeSite)
                    && firm(t, RequirementCode::EmissionFreeHeatingDrying)
                    && has(t, RequirementCode::ZeroEmissionMachines, |_| true),
                "add minimum requirements for a fossil-free site and emission-free heating and drying, and zero-emission machines in any form",
            ),
        },
        RuleId::ClimateWeight => {
            let min = v.min_weight_percent.unwrap_or(30.0);
            ok(
                has(t, RequirementCode::ClimateAwardWeight, |r| {
                    r.form == RequirementForm::AwardCriterion
                        && r.weight_percent.is_some_and(|w| w >= min)
                }),
                &format!("weigh climate and environment at least {min} % as an award criterion"),
            )
        }
        RuleId::Apprentices => ok(
            firm(t, RequirementCode::Apprentices),
            "add a minimum requirement or contract clause for apprentices",
        ),
        RuleId::SkilledWorkers => ok(
            firm(t, RequirementCode::SkilledWorkers),
            "add a minimum requirement or contract clause for skilled workers",
        ),
        RuleId::Hmsreg => ok(
            firm(t, RequirementCode::HmsregRegistration),
            "add a contract clause on registration in HMSREG",
        ),
        RuleId::SubcontractorChain => {
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
    }
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
                Err(missing) => match t.exemptions.iter().find(|e| {
                    e.rule_id == rule.id.as_str()
                        && e.justification.trim().chars().count() >= MIN_JUSTIFICATION
                }) {
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
mod tests {
    use super::*;
    use crate::tenders::catalogue::DEFAULT;
    use FindingStatus::*;
    use RequirementCode as C;
    use RequirementForm as F;

    /// Whole kroner in øre.
    fn kr(n: i64) -> i64 {
        n * 100
    }

    fn catalogue() -> Catalogue {
        Catalogue::parse(DEFAULT).unwrap()
    }

    fn tender(category: ProcurementCategory, value_nok: i64, day: &str) -> Tender {
        Tender {
            category,
            value: value_nok * 100,
            duration_months: 12,
            announced_on: day.parse().unwrap(),
            includes_transport: false,
            building_site: false,
            apprentice_trades: false,
            risk: RiskLevel::Low,
            requirements: Vec::new(),
            exemptions: Vec::new(),
        }
    }

    fn req(code: RequirementCode, form: RequirementForm) -> Requirement {
        Requirement {
            code,
            form,
            weight_percent: None,
            max_tiers: None,
            machine_types: Vec::new(),
        }
    }

    fn status(t: &Tender, id: RuleId) -> FindingStatus {
        check(t, &catalogue())
            .findings
            .into_iter()
            .find(|f| f.rule_id == id.as_str())
            .unwrap()
            .status
    }

    #[test]
    fn every_check_lists_all_seven_rules_in_order() {
        let c = check(
            &tender(ProcurementCategory::Goods, 0, "2025-06-01"),
            &catalogue(),
        );
        let ids: Vec<&str> = c.findings.iter().map(|f| f.rule_id).collect();
        assert_eq!(ids, RuleId::ALL.map(RuleId::as_str));
        assert!(c.findings.iter().all(|f| f.status == NotApplicable));
        assert_eq!(c.verdict, Verdict::Compliant);
        assert_eq!(c.rules_version, "oslo-2026-11");
        assert_eq!(c.findings[0].source, "Byrådssak 1123/19");
    }

    #[test]
    fn zero_emission_transport_threshold_dates_and_forms() {
        let mut t = tender(ProcurementCategory::Services, 499_999, "2025-06-01");
        t.includes_transport = true;
        assert_eq!(status(&t, RuleId::Transport), NotApplicable);
        t.value = kr(500_000);
        assert_eq!(status(&t, RuleId::Transport), Missing);
        assert_eq!(check(&t, &catalogue()).verdict, Verdict::NonCompliant);
        t.requirements = vec![req(C::BiogasTransport, F::ContractClause)];
        assert_eq!(status(&t, RuleId::Transport), Satisfied);
        t.requirements = vec![req(C::ZeroEmissionTransport, F::MinimumRequirement)];
        assert_eq!(status(&t, RuleId::Transport), Satisfied);
        // An award criterion counted until 2024-12-31, not from 2025-01-01.
        t.requirements = vec![req(C::ZeroEmissionTransport, F::AwardCriterion)];
        t.announced_on = "2024-12-31".parse().unwrap();
        assert_eq!(status(&t, RuleId::Transport), Satisfied);
        t.announced_on = "2025-01-01".parse().unwrap();
        assert_eq!(status(&t, RuleId::Transport), Missing);
        // In force from 2020-01-01.
        t.announced_on = "2019-12-31".parse().unwrap();
        assert_eq!(status(&t, RuleId::Transport), NotApplicable);
        t.announced_on = "2020-01-01".parse().unwrap();
        assert_eq!(status(&t, RuleId::Transport), Satisfied);
        t.includes_transport = false;
        assert_eq!(status(&t, RuleId::Transport), NotApplicable);
    }

    #[test]
    fn the_message_says_what_to_add() {
        let mut t = tender(ProcurementCategory::Services, 2_400_000, "2025-06-01");
        t.includes_transport = true;
        let f = &check(&t, &catalogue()).findings[0];
        assert_eq!(
            f.message,
            "transport is part of the delivery and the value is NOK 2,400,000: add a minimum requirement or contract clause for zero-emission or biogas vehicles, or justify an exemption"
        );
        assert_eq!(nok(kr(123_456_789) + 5), "NOK 123,456,789.05");
        assert_eq!(nok(kr(100_000)), "NOK 100,000");
        assert_eq!(nok(0), "NOK 0");
    }

    #[test]
    fn fossil_free_site_before_and_from_2025() {
        let mut t = tender(ProcurementCategory::Construction, 100_000, "2024-12-31");
        t.building_site = true;
        let before = vec![
            req(C::FossilFreeSite, F::MinimumRequirement),
            req(C::EmissionFreeHeatingDrying, F::ContractClause),
            req(C::ZeroEmissionMachines, F::AwardCriterion),
        ];
        t.requirements = before.clone();
        assert_eq!(status(&t, RuleId::Site), Satisfied);
        t.requirements = before[..2].to_vec();
        assert_eq!(
            status(&t, RuleId::Site),
            Missing,
            "zero-emission machines in some form are needed"
        );
        // From 2025 the same is not enough: zero-emission machines must be firm.
        t.requirements = before.clone();
        t.announced_on = "2025-01-01".parse().unwrap();
        assert_eq!(status(&t, RuleId::Site), Missing);
        t.requirements = vec![
            req(C::ZeroEmissionMachines, F::MinimumRequirement),
            req(C::EmissionFreeHeatingDrying, F::MinimumRequirement),
        ];
        assert_eq!(status(&t, RuleId::Site), Satisfied);
        t.value = kr(99_999) + 99;
        assert_eq!(status(&t, RuleId::Site), NotApplicable);
        t.value = kr(100_000);
        t.building_site = false;
        assert_eq!(status(&t, RuleId::Site), NotApplicable);
        t.building_site = true;
        t.announced_on = "2019-12-31".parse().unwrap();
        assert_eq!(status(&t, RuleId::Site), NotApplicable);
    }

    #[test]
    fn climate_weight_from_2024_and_thirty_percent() {
        let mut t = tender(ProcurementCategory::Goods, 100_000, "2024-01-01");
        let weight = |w: f64, form: RequirementForm| Requirement {
            weight_percent: Some(w),
            ..req(C::ClimateAwardWeight, form)
        };
        assert_eq!(status(&t, RuleId::ClimateWeight), Missing);
        t.requirements = vec![weight(30.0, F::AwardCriterion)];
        assert_eq!(status(&t, RuleId::ClimateWeight), Satisfied);
        t.requirements = vec![weight(29.9, F::AwardCriterion)];
        assert_eq!(status(&t, RuleId::ClimateWeight), Missing);
        t.requirements = vec![weight(40.0, F::MinimumRequirement)];
        assert_eq!(
            status(&t, RuleId::ClimateWeight),
            Missing,
            "only as an award criterion"
        );
        t.announced_on = "2023-12-31".parse().unwrap();
        assert_eq!(status(&t, RuleId::ClimateWeight), NotApplicable);
        t.announced_on = "2024-01-01".parse().unwrap();
        t.value = kr(99_999) + 99;
        assert_eq!(status(&t, RuleId::ClimateWeight), NotApplicable);
    }

    #[test]
    fn apprentices_need_value_duration_trades_and_not_goods() {
        let mut t = tender(ProcurementCategory::Services, 1_300_000, "2025-06-01");
        t.duration_months = 4;
        t.apprentice_trades = true;
        assert_eq!(status(&t, RuleId::Apprentices), Missing);
        t.requirements = vec![req(C::Apprentices, F::ContractClause)];
        assert_eq!(status(&t, RuleId::Apprentices), Satisfied);
        t.requirements = vec![req(C::Apprentices, F::AwardCriterion)];
        assert_eq!(status(&t, RuleId::Apprentices), Missing);
        t.duration_months = 3;
        assert_eq!(status(&t, RuleId::Apprentices), NotApplicable);
        t.duration_months = 4;
        t.value = kr(1_299_999) + 99;
        assert_eq!(status(&t, RuleId::Apprentices), NotApplicable);
        t.value = kr(1_300_000);
        t.apprentice_trades = false;
        assert_eq!(status(&t, RuleId::Apprentices), NotApplicable);
        t.apprentice_trades = true;
        t.category = ProcurementCategory::Goods;
        assert_eq!(status(&t, RuleId::Apprentices), NotApplicable);
    }

    #[test]
    fn skilled_workers_and_hmsreg_above_half_a_million() {
        let mut t = tender(ProcurementCategory::Construction, 500_000, "2025-06-01");
        assert_eq!(
            status(&t, RuleId::SkilledWorkers),
            NotApplicable,
            "not above 500,000"
        );
        assert_eq!(status(&t, RuleId::Hmsreg), NotApplicable);
        t.value = kr(500_000) + 1;
        assert_eq!(status(&t, RuleId::SkilledWorkers), Missing);
        assert_eq!(status(&t, RuleId::Hmsreg), Missing);
        t.requirements = vec![
            req(C::SkilledWorkers, F::MinimumRequirement),
            req(C::HmsregRegistration, F::ContractClause),
        ];
        assert_eq!(status(&t, RuleId::SkilledWorkers), Satisfied);
        assert_eq!(status(&t, RuleId::Hmsreg), Satisfied);
        t.category = ProcurementCategory::Cleaning;
        assert_eq!(status(&t, RuleId::SkilledWorkers), Satisfied);
        // Services: no skilled-worker rule; HMSREG only with a building site.
        t.category = ProcurementCategory::Services;
        t.requirements.clear();
        assert_eq!(status(&t, RuleId::SkilledWorkers), NotApplicable);
        assert_eq!(status(&t, RuleId::Hmsreg), NotApplicable);
        t.building_site = true;
        assert_eq!(status(&t, RuleId::Hmsreg), Missing);
    }

    #[test]
    fn subcontractor_chain_by_value_and_risk() {
        let chain = |tiers: Option<i32>, form: RequirementForm| Requirement {
            max_tiers: tiers,
            ..req(C::SubcontractorChainLimit, form)
        };
        let mut t = tender(ProcurementCategory::Services, 500_000, "2025-06-01");
        assert_eq!(
            status(&t, RuleId::SubcontractorChain),
            NotApplicable,
            "low risk, not above 500,000"
        );
        t.value = kr(500_000) + 1;
        assert_eq!(status(&t, RuleId::SubcontractorChain), Missing);
        t.requirements = vec![chain(Some(2), F::MinimumRequirement)];
        assert_eq!(
            status(&t, RuleId::SubcontractorChain),
            Satisfied,
            "two tiers at low risk"
        );
        t.requirements = vec![chain(Some(3), F::MinimumRequirement)];
        assert_eq!(status(&t, RuleId::SubcontractorChain), Missing);
        t.requirements = vec![chain(None, F::ContractClause)];
        assert_eq!(status(&t, RuleId::SubcontractorChain), Missing);
        t.requirements = vec![chain(Some(1), F::AwardCriterion)];
        assert_eq!(status(&t, RuleId::SubcontractorChain), Missing);
        // Medium risk: from 100,000, one tier.
        t.risk = RiskLevel::Medium;
        t.value = kr(100_000);
        t.requirements = vec![chain(Some(2), F::ContractClause)];
        assert_eq!(status(&t, RuleId::SubcontractorChain), Missing);
        t.requirements = vec![chain(Some(1), F::ContractClause)];
        assert_eq!(status(&t, RuleId::SubcontractorChain), Satisfied);
        t.value = kr(99_999) + 99;
        assert_eq!(status(&t, RuleId::SubcontractorChain), NotApplicable);
        t.risk = RiskLevel::High;
        t.value = kr(100_000);
        assert_eq!(status(&t, RuleId::SubcontractorChain), Satisfied);
        t.category = ProcurementCategory::Goods;
        t.value = kr(9_000_000);
        assert_eq!(status(&t, RuleId::SubcontractorChain), NotApplicable);
    }

    #[test]
    fn a_justified_exemption_exempts_and_a_short_one_does_not() {
        let mut t = tender(ProcurementCategory::Services, 600_000, "2025-06-01");
        t.includes_transport = true;
        let exempt = |text: &str| Exemption {
            rule_id: "transport.zero-emission".into(),
            justification: text.into(),
        };
        // 20 characters after trimming: "Ingen leverandører." is 19, with the extra "!" 20.
        t.exemptions = vec![exempt("  Ingen leverandører.  ")];
        assert_eq!(status(&t, RuleId::Transport), Missing);
        t.exemptions = vec![exempt("  Ingen leverandører.!  ")];
        assert_eq!(status(&t, RuleId::Transport), Exempted);
        // The chain rule (above 500,000) is still missing, so the verdict stays non-compliant.
        assert_eq!(check(&t, &catalogue()).verdict, Verdict::NonCompliant);
        t.requirements = vec![Requirement {
            max_tiers: Some(2),
            ..req(C::SubcontractorChainLimit, F::ContractClause)
        }];
        t.requirements.push(Requirement {
            weight_percent: Some(30.0),
            ..req(C::ClimateAwardWeight, F::AwardCriterion)
        });
        assert_eq!(check(&t, &catalogue()).verdict, Verdict::Compliant);
        // An exemption for a rule that is satisfied changes nothing.
        t.requirements
            .push(req(C::ZeroEmissionTransport, F::MinimumRequirement));
        assert_eq!(status(&t, RuleId::Transport), Satisfied);
    }
}
