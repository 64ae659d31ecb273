//! Unit tests of the checker: every rule's thresholds, dates, forms and messages.

use super::*;
use crate::{domain::kinds::ProcurementCategory, tenders::catalogue::DEFAULT};
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
