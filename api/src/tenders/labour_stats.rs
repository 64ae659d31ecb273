//! Labour statistics over checked tenders (docs/rules.md, Labour statistics). Pure.
//!
//! "Applicable" reads the check (as recorded): the rule applied to the tender. "Required"
//! reads the tender: it has a firm requirement of that kind, the annual report's "utlysninger
//! med krav til lærlinger", whether or not the rule applied.

use chrono::NaiveDate;

use super::{
    catalogue::RuleId,
    check::{FindingStatus, RequirementCode},
    stats::{Counted, Statuses, in_period},
};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabourFigures {
    pub tender_count: usize,
    pub apprentice_applicable: usize,
    pub apprentice_required: usize,
    pub skilled_applicable: usize,
    pub skilled_required: usize,
    pub hmsreg_applicable: usize,
    pub hmsreg_required: usize,
}

fn applies(status: Option<FindingStatus>) -> bool {
    matches!(
        status,
        Some(FindingStatus::Satisfied | FindingStatus::Missing | FindingStatus::Exempted)
    )
}

/// Adds one tender to a rule's two counts.
fn tally<S: Statuses>(
    tender: &Counted<S>,
    (rule, code): (RuleId, RequirementCode),
    applicable: &mut usize,
    required: &mut usize,
) {
    if applies(tender.check.status(rule)) {
        *applicable += 1;
    }
    if tender.firm.has(code) {
        *required += 1;
    }
}

/// Counts over `tenders`, each with its check.
pub fn labour<'a, S: Statuses + 'a>(
    tenders: impl IntoIterator<Item = &'a Counted<S>>,
) -> LabourFigures {
    let mut f = LabourFigures::default();
    for t in tenders {
        f.tender_count += 1;
        tally(
            t,
            (RuleId::Apprentices, RequirementCode::Apprentices),
            &mut f.apprentice_applicable,
            &mut f.apprentice_required,
        );
        tally(
            t,
            (RuleId::SkilledWorkers, RequirementCode::SkilledWorkers),
            &mut f.skilled_applicable,
            &mut f.skilled_required,
        );
        tally(
            t,
            (RuleId::Hmsreg, RequirementCode::HmsregRegistration),
            &mut f.hmsreg_applicable,
            &mut f.hmsreg_required,
        );
    }
    f
}

/// The figures over the tenders announced in [from, to].
pub fn over_period<S: Statuses>(
    tenders: &[Counted<S>],
    from: NaiveDate,
    to: NaiveDate,
) -> LabourFigures {
    labour(in_period(tenders, from, to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        domain::kinds::ProcurementCategory,
        tenders::{
            catalogue::{Catalogue, DEFAULT},
            check::{
                Check, Exemption, Requirement, RequirementForm, RiskLevel, Tender, Verdict, check,
            },
            recorded::{RecordedCheck, RecordedFinding},
        },
    };

    fn tender(
        category: ProcurementCategory,
        nok: i64,
        months: i32,
        requirements: &[(RequirementCode, RequirementForm)],
    ) -> Tender {
        Tender {
            category,
            value: nok * 100,
            duration_months: months,
            announced_on: "2025-06-01".parse().unwrap(),
            includes_transport: false,
            building_site: false,
            apprentice_trades: true,
            risk: RiskLevel::Low,
            requirements: requirements
                .iter()
                .map(|(code, form)| Requirement {
                    code: *code,
                    form: *form,
                    weight_percent: None,
                    max_tiers: None,
                    machine_types: vec![],
                })
                .collect(),
            exemptions: vec![],
        }
    }

    #[test]
    fn applicable_reads_the_check_and_required_the_firm_requirements() {
        use ProcurementCategory::*;
        use RequirementCode::*;
        use RequirementForm::*;
        let c = Catalogue::parse(DEFAULT).unwrap();
        // A: construction, NOK 2,000,000, 12 months, apprentice trades, a site. Apprentices
        // applies (>= 1,300,000, > 3 months) and is met (firm): applicable, required. Skilled
        // workers applies (> 500,000) but only as an award criterion: MISSING, applicable, not
        // required. HMSREG applies and is met by a clause: applicable, required.
        let mut a = tender(
            Construction,
            2_000_000,
            12,
            &[
                (Apprentices, MinimumRequirement),
                (SkilledWorkers, AwardCriterion),
                (HmsregRegistration, ContractClause),
            ],
        );
        a.building_site = true;
        // B: goods, NOK 2,000,000: no labour rule applies, yet a firm apprentice clause is a
        // tender "with a requirement for apprentices".
        let b = tender(Goods, 2_000_000, 12, &[(Apprentices, ContractClause)]);
        // C: cleaning, NOK 900,000: apprentices below 1,300,000 (not applicable); skilled
        // workers applies and is exempted; HMSREG applies, only an award criterion: MISSING.
        let mut c_tender = tender(
            Cleaning,
            900_000,
            24,
            &[(HmsregRegistration, AwardCriterion)],
        );
        c_tender.exemptions = vec![Exemption {
            rule_id: "labour.skilled-workers".into(),
            justification: "Ingen fagbrev finnes for denne tjenesten.".into(),
        }];
        // D: services, NOK 3,000,000 over 2 months: apprentices not applicable (not more
        // than 3 months), skilled workers and HMSREG not (services, no site); a firm
        // skilled-worker requirement all the same.
        let d = tender(
            Services,
            3_000_000,
            2,
            &[(SkilledWorkers, MinimumRequirement)],
        );
        let checked: Vec<Counted<Check>> = [a, b, c_tender, d]
            .iter()
            .map(|t| Counted::new(t, check(t, &c)))
            .collect();
        assert_eq!(
            labour(&checked),
            LabourFigures {
                tender_count: 4,
                apprentice_applicable: 1,
                apprentice_required: 2,
                skilled_applicable: 2,
                skilled_required: 1,
                hmsreg_applicable: 2,
                hmsreg_required: 1,
            }
        );
        let none: Vec<Counted<Check>> = Vec::new();
        assert_eq!(labour(&none), LabourFigures::default());
    }

    #[test]
    fn a_recorded_check_counts_as_recorded() {
        // Services for NOK 100,000 over 2 months: no labour rule applies today. The check
        // recorded under an older catalogue said apprentices were MISSING and HMSREG not
        // applicable: it counts as applicable for apprentices only. No firm requirement.
        let t = tender(
            ProcurementCategory::Services,
            100_000,
            2,
            &[(
                RequirementCode::Apprentices,
                RequirementForm::AwardCriterion,
            )],
        );
        let finding = |rule: RuleId, status| RecordedFinding {
            rule_id: rule.as_str().into(),
            status,
            message: String::new(),
            title: String::new(),
            source: String::new(),
        };
        let recorded = RecordedCheck {
            verdict: Verdict::NonCompliant,
            findings: vec![
                finding(RuleId::Apprentices, FindingStatus::Missing),
                finding(RuleId::Hmsreg, FindingStatus::NotApplicable),
            ],
            rules_version: "old".into(),
            checked_at: chrono::Utc::now(),
        };
        let f = labour(&[Counted::new(&t, recorded)]);
        assert_eq!(
            (
                f.tender_count,
                f.apprentice_applicable,
                f.apprentice_required,
                f.skilled_applicable,
                f.hmsreg_applicable
            ),
            (1, 1, 0, 0, 0)
        );
    }
}
