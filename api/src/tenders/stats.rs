//! Climate statistics over checked tenders (docs/rules.md, Climate statistics). Pure.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::{
    catalogue::{Catalogue, RuleId},
    check::{self, Check, FindingStatus, RequirementCode, Tender},
    service::TenderRecord,
};
use crate::error::AppError;

/// The figures over the stored tenders announced in [from, to], each checked against `catalogue`.
pub fn over_period(
    records: &[TenderRecord],
    catalogue: &Catalogue,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<ClimateFigures, AppError> {
    let mut checked = Vec::new();
    for r in records
        .iter()
        .filter(|r| r.model.announced_on >= from && r.model.announced_on <= to)
    {
        let t = r.tender()?;
        let c = check::check(&t, catalogue);
        checked.push((t, c));
    }
    Ok(climate(&checked))
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

fn status(check: &Check, id: RuleId) -> Option<FindingStatus> {
    check
        .findings
        .iter()
        .find(|f| f.rule_id == id.as_str())
        .map(|f| f.status)
}

/// Counts over `tenders`, each with its check.
pub fn climate(tenders: &[(Tender, Check)]) -> ClimateFigures {
    let mut f = ClimateFigures {
        tender_count: tenders.len(),
        ..Default::default()
    };
    let mut machines: BTreeMap<String, usize> = BTreeMap::new();
    for (tender, check) in tenders {
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
            status(check, RuleId::Transport),
            &mut f.transport_applicable,
            &mut f.transport_satisfied,
            &mut f.transport_exempted,
        );
        count(
            status(check, RuleId::Site),
            &mut f.site_applicable,
            &mut f.site_satisfied,
            &mut f.site_exempted,
        );
        let firm_zem: Vec<_> = tender
            .requirements
            .iter()
            .filter(|r| r.code == RequirementCode::ZeroEmissionMachines && r.firm())
            .collect();
        if !firm_zem.is_empty() {
            f.zero_emission_minimum += 1;
        }
        // A tender counts once per machine type, however many requirements name it.
        let mut named: Vec<String> = firm_zem
            .iter()
            .flat_map(|r| r.machine_types.iter().map(|m| m.trim().to_lowercase()))
            .filter(|m| !m.is_empty())
            .collect();
        named.sort();
        named.dedup();
        for m in named {
            *machines.entry(m).or_default() += 1;
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
        let tenders = vec![
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
        let checked: Vec<(Tender, Check)> = tenders
            .into_iter()
            .map(|t| {
                let k = check(&t, &c);
                (t, k)
            })
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
        assert_eq!(climate(&[]).transport_share(), None);
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
