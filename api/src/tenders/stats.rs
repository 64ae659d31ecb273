//! Climate statistics over checked tenders (docs/rules.md, Climate statistics), and what the
//! climate and labour statistics share. Pure.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{
    catalogue::RuleId,
    check::{Check, FindingStatus, Requirement, RequirementCode, Tender},
    recorded::{RecordedCheck, RuleStatuses},
};

/// A check as the statistics read it: the status of each rule. The figures count recorded
/// checks; a fresh check serves the unit tests.
pub trait Statuses {
    fn status(&self, id: RuleId) -> Option<FindingStatus>;
}

impl Statuses for Check {
    fn status(&self, id: RuleId) -> Option<FindingStatus> {
        self.findings
            .iter()
            .find(|f| f.rule_id == id.as_str())
            .map(|f| f.status)
    }
}

impl Statuses for RecordedCheck {
    fn status(&self, id: RuleId) -> Option<FindingStatus> {
        RecordedCheck::status(self, id)
    }
}

impl Statuses for RuleStatuses {
    fn status(&self, id: RuleId) -> Option<FindingStatus> {
        self.get(id)
    }
}

/// What the statistics read of a tender's requirements: the codes it has as a minimum
/// requirement or contract clause, and the machine types its firm ZERO_EMISSION_MACHINES
/// requirements name (trimmed, lower case, each once). Recorded with the check: requirements
/// change only by a write, and every write records.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FirmRequirements {
    pub codes: Vec<RequirementCode>,
    pub machine_types: Vec<String>,
}

impl FirmRequirements {
    pub fn of(requirements: &[Requirement]) -> Self {
        let mut codes: Vec<RequirementCode> = Vec::new();
        let mut machine_types: Vec<String> = Vec::new();
        for r in requirements.iter().filter(|r| r.firm()) {
            if !codes.contains(&r.code) {
                codes.push(r.code);
            }
            if r.code == RequirementCode::ZeroEmissionMachines {
                machine_types.extend(r.machine_types.iter().map(|m| m.trim().to_lowercase()));
            }
        }
        // A tender counts once per machine type, however many requirements name it.
        machine_types.retain(|m| !m.is_empty());
        machine_types.sort();
        machine_types.dedup();
        Self {
            codes,
            machine_types,
        }
    }

    pub fn has(&self, code: RequirementCode) -> bool {
        self.codes.contains(&code)
    }
}

/// What the statistics read of a stored tender: when it was announced, its firm requirements
/// and its check.
#[derive(Clone, Debug, PartialEq)]
pub struct Counted<S> {
    pub announced_on: NaiveDate,
    pub firm: FirmRequirements,
    pub check: S,
}

impl<S> Counted<S> {
    pub fn new(tender: &Tender, check: S) -> Self {
        Self {
            announced_on: tender.announced_on,
            firm: FirmRequirements::of(&tender.requirements),
            check,
        }
    }
}

/// The tenders announced in [from, to].
pub fn in_period<S>(
    tenders: &[Counted<S>],
    from: NaiveDate,
    to: NaiveDate,
) -> impl Iterator<Item = &Counted<S>> {
    tenders
        .iter()
        .filter(move |t| t.announced_on >= from && t.announced_on <= to)
}

/// The figures over the tenders announced in [from, to].
pub fn over_period<S: Statuses>(
    tenders: &[Counted<S>],
    from: NaiveDate,
    to: NaiveDate,
) -> ClimateFigures {
    climate(in_period(tenders, from, to))
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClimateFigures {
    pub tender_count: usize,
    pub transport_applicable: usize,
    pub transport_satisfied: usize,
    pub transport_exempted: usize,
    pub site_applicable: usize,
    pub site_satisfied: usize,
    pub site_exempted: usize,
    pub zero_emission_minimum: usize,
    /// Most tenders first, then by name.
    pub machine_types: Vec<(String, usize)>,
}

impl ClimateFigures {
    /// 100 x satisfied / applicable; `None` when none apply.
    pub fn transport_share(&self) -> Option<f64> {
        (self.transport_applicable > 0)
            .then(|| self.transport_satisfied as f64 * 100.0 / self.transport_applicable as f64)
    }
}

/// Counts over `tenders`, each with its check.
pub fn climate<'a, S: Statuses + 'a>(
    tenders: impl IntoIterator<Item = &'a Counted<S>>,
) -> ClimateFigures {
    let mut f = ClimateFigures::default();
    let mut machines: BTreeMap<String, usize> = BTreeMap::new();
    for tender in tenders {
        f.tender_count += 1;
        let count = |s: Option<FindingStatus>,
                     applicable: &mut usize,
                     satisfied: &mut usize,
                     exempted: &mut usize| match s {
            Some(FindingStatus::Satisfied) => {
                *applicable += 1;
                *satisfied += 1;
            }
            Some(FindingStatus::Exempted) => {
                *applicable += 1;
                *exempted += 1;
            }
            Some(FindingStatus::Missing) => *applicable += 1,
            _ => {}
        };
        count(
            tender.check.status(RuleId::Transport),
            &mut f.transport_applicable,
            &mut f.transport_satisfied,
            &mut f.transport_exempted,
        );
        count(
            tender.check.status(RuleId::Site),
            &mut f.site_applicable,
            &mut f.site_satisfied,
            &mut f.site_exempted,
        );
        if tender.firm.has(RequirementCode::ZeroEmissionMachines) {
            f.zero_emission_minimum += 1;
        }
        for m in &tender.firm.machine_types {
            *machines.entry(m.clone()).or_default() += 1;
        }
    }
    let mut types: Vec<(String, usize)> = machines.into_iter().collect();
    types.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    f.machine_types = types;
    f
}

/// The calendar quarters [from, to] touches, each cut to [from, to].
pub fn quarters(from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut start = from;
    while start <= to {
        let q_first_month = (start.month() - 1) / 3 * 3 + 1;
        let next = if q_first_month == 10 {
            NaiveDate::from_ymd_opt(start.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(start.year(), q_first_month + 3, 1)
        };
        let Some(next) = next else { break };
        let end = next.pred_opt().unwrap_or(next).min(to);
        out.push((start, end));
        start = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        domain::kinds::ProcurementCategory,
        tenders::{
            catalogue::{Catalogue, DEFAULT},
            check::{Requirement, RequirementForm, RiskLevel, check},
        },
    };

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn tender(transport: bool, site: bool, requirements: Vec<Requirement>) -> Tender {
        Tender {
            category: ProcurementCategory::Construction,
            value: 1_000_000 * 100,
            duration_months: 12,
            announced_on: d("2025-06-01"),
            includes_transport: transport,
            building_site: site,
            apprentice_trades: false,
            risk: RiskLevel::Low,
            requirements,
            exemptions: Vec::new(),
        }
    }

    fn zem(form: RequirementForm, types: &[&str]) -> Requirement {
        Requirement {
            code: RequirementCode::ZeroEmissionMachines,
            form,
            weight_percent: None,
            max_tiers: None,
            machine_types: types.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn counts_applicable_satisfied_exempted_and_machine_types() {
        let c = Catalogue::parse(DEFAULT).unwrap();
        let transport_ok = Requirement {
            code: RequirementCode::ZeroEmissionTransport,
            form: RequirementForm::MinimumRequirement,
            weight_percent: None,
            max_tiers: None,
            machine_types: vec![],
        };
        let mut exempted = tender(true, false, vec![]);
        exempted.exemptions = vec![crate::tenders::check::Exemption {
            rule_id: "transport.zero-emission".into(),
            justification: "Ingen leverandører kan levere dette.".into(),
        }];
        let tenders = [
            // Transport satisfied; site missing (ZEM firm but no heating/drying); excavator, wheel loader.
            tender(
                true,
                true,
                vec![
                    transport_ok.clone(),
                    zem(
                        RequirementForm::MinimumRequirement,
                        &["Excavator", " wheel loader "],
                    ),
                ],
            ),
            // Transport missing; site missing; ZEM as award criterion does not count.
            tender(
                true,
                true,
                vec![zem(RequirementForm::AwardCriterion, &["crane"])],
            ),
            // Transport exempted; no site.
            exempted,
            // Neither applies; ZEM clause naming excavator twice counts once.
            tender(
                false,
                false,
                vec![
                    zem(RequirementForm::ContractClause, &["excavator"]),
                    zem(RequirementForm::ContractClause, &["EXCAVATOR"]),
                ],
            ),
        ];
        let checked: Vec<Counted<Check>> = tenders
            .iter()
            .map(|t| Counted::new(t, check(t, &c)))
            .collect();
        let f = climate(&checked);
        assert_eq!(f.tender_count, 4);
        assert_eq!(
            (
                f.transport_applicable,
                f.transport_satisfied,
                f.transport_exempted
            ),
            (3, 1, 1)
        );
        assert_eq!(
            (f.site_applicable, f.site_satisfied, f.site_exempted),
            (2, 0, 0)
        );
        assert_eq!(f.zero_emission_minimum, 2);
        assert_eq!(
            f.machine_types,
            vec![
                ("excavator".to_string(), 2),
                ("wheel loader".to_string(), 1)
            ]
        );
        assert_eq!(f.transport_share(), Some(100.0 / 3.0));
        let none: Vec<Counted<Check>> = Vec::new();
        assert_eq!(climate(&none).transport_share(), None);
    }

    #[test]
    fn quarters_are_cut_to_the_period() {
        assert_eq!(
            quarters(d("2025-02-15"), d("2025-08-10")),
            vec![
                (d("2025-02-15"), d("2025-03-31")),
                (d("2025-04-01"), d("2025-06-30")),
                (d("2025-07-01"), d("2025-08-10"))
            ]
        );
        assert_eq!(
            quarters(d("2025-10-01"), d("2026-01-31")),
            vec![
                (d("2025-10-01"), d("2025-12-31")),
                (d("2026-01-01"), d("2026-01-31"))
            ]
        );
        assert!(quarters(d("2025-02-01"), d("2025-01-01")).is_empty());
    }
}
