//! The rule catalogue: ids, titles, sources, dated versions and thresholds, read from a JSON
//! file so that an adviser can raise a threshold or add a dated version without a release.

use chrono::NaiveDate;
use serde::Deserialize;

/// The catalogue shipped with the binary (`fixtures/rules/compliance-rules.json`).
pub const DEFAULT: &str = include_str!("../../../fixtures/rules/compliance-rules.json");

/// The seven rules, in the order every check lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleId {
    Transport,
    Site,
    ClimateWeight,
    Apprentices,
    SkilledWorkers,
    Hmsreg,
    SubcontractorChain,
}

impl RuleId {
    pub const ALL: [RuleId; 7] = [
        RuleId::Transport,
        RuleId::Site,
        RuleId::ClimateWeight,
        RuleId::Apprentices,
        RuleId::SkilledWorkers,
        RuleId::Hmsreg,
        RuleId::SubcontractorChain,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::Transport => "transport.zero-emission",
            RuleId::Site => "site.fossil-free",
            RuleId::ClimateWeight => "climate.award-weight",
            RuleId::Apprentices => "labour.apprentices",
            RuleId::SkilledWorkers => "labour.skilled-workers",
            RuleId::Hmsreg => "labour.hmsreg",
            RuleId::SubcontractorChain => "labour.subcontractor-chain",
        }
    }

    pub fn parse(text: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The parameters a version of this rule must give.
    fn required(self) -> &'static [&'static str] {
        match self {
            RuleId::Transport => &["minValue", "awardCriterionCounts"],
            RuleId::Site => &["minValue", "siteStandard"],
            RuleId::ClimateWeight => &["minValue", "minWeightPercent"],
            RuleId::Apprentices => &["minValue", "minDurationMonthsExclusive"],
            RuleId::SkilledWorkers | RuleId::Hmsreg => &["minValueExclusive"],
            RuleId::SubcontractorChain => &[
                "minValueExclusive",
                "riskMinValue",
                "maxTiersLowRisk",
                "maxTiersOtherRisk",
            ],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SiteStandard {
    /// Fossil-free machines and transport, emission-free heating and drying.
    FossilFree,
    /// The whole site emission free.
    EmissionFree,
}

/// One dated version of a rule. Values in whole NOK.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Version {
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub min_value: Option<i64>,
    pub min_value_exclusive: Option<i64>,
    pub risk_min_value: Option<i64>,
    pub min_duration_months_exclusive: Option<i32>,
    pub min_weight_percent: Option<f64>,
    pub max_tiers_low_risk: Option<i32>,
    pub max_tiers_other_risk: Option<i32>,
    pub award_criterion_counts: Option<bool>,
    pub site_standard: Option<SiteStandard>,
}

impl Version {
    fn has(&self, name: &str) -> bool {
        match name {
            "minValue" => self.min_value.is_some(),
            "minValueExclusive" => self.min_value_exclusive.is_some(),
            "riskMinValue" => self.risk_min_value.is_some(),
            "minDurationMonthsExclusive" => self.min_duration_months_exclusive.is_some(),
            "minWeightPercent" => self.min_weight_percent.is_some(),
            "maxTiersLowRisk" => self.max_tiers_low_risk.is_some(),
            "maxTiersOtherRisk" => self.max_tiers_other_risk.is_some(),
            "awardCriterionCounts" => self.award_criterion_counts.is_some(),
            "siteStandard" => self.site_standard.is_some(),
            _ => false,
        }
    }

    pub fn in_force(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|to| day <= to)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub id: RuleId,
    pub title: String,
    pub source: String,
    pub description: String,
    /// Oldest first, not overlapping.
    pub versions: Vec<Version>,
}

impl Rule {
    pub fn version_on(&self, day: NaiveDate) -> Option<&Version> {
        self.versions.iter().find(|v| v.in_force(day))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Catalogue {
    /// Named in every check, so a finding can be traced to the rules it was made by.
    pub version: String,
    /// In [`RuleId::ALL`] order.
    pub rules: Vec<Rule>,
}

#[derive(Debug, PartialEq, thiserror::Error)]
pub enum CatalogueError {
    #[error("the rule file is not valid JSON at line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the rule file is wrong about {rule}: {message}")]
    Invalid { rule: String, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: String,
    rules: Vec<FileRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRule {
    id: String,
    title: String,
    source: String,
    description: String,
    versions: Vec<Version>,
}

fn invalid(rule: &str, message: impl Into<String>) -> CatalogueError {
    CatalogueError::Invalid {
        rule: rule.to_string(),
        message: message.into(),
    }
}

impl Catalogue {
    /// Reads and checks a rule file: every rule once, versions in order without overlaps, and
    /// each version with the parameters its rule needs.
    pub fn parse(text: &str) -> Result<Self, CatalogueError> {
        let file: File = serde_json::from_str(text).map_err(|e| CatalogueError::Syntax {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        if file.version.trim().is_empty() {
            return Err(invalid("version", "the catalogue needs a version name"));
        }
        let mut rules: Vec<Rule> = Vec::new();
        for r in file.rules {
            let id = RuleId::parse(&r.id)
                .ok_or_else(|| invalid(&r.id, "not a rule this checker knows"))?;
            if rules.iter().any(|x| x.id == id) {
                return Err(invalid(&r.id, "listed twice"));
            }
            if r.versions.is_empty() {
                return Err(invalid(&r.id, "no versions"));
            }
            for (i, v) in r.versions.iter().enumerate() {
                if let Some(missing) = id.required().iter().find(|p| !v.has(p)) {
                    return Err(invalid(
                        &r.id,
                        format!("the version from {} lacks {missing}", v.valid_from),
                    ));
                }
                if v.valid_to.is_some_and(|to| to < v.valid_from) {
                    return Err(invalid(
                        &r.id,
                        format!("the version from {} ends before it starts", v.valid_from),
                    ));
                }
                if let Some(next) = r.versions.get(i + 1) {
                    let ends = v.valid_to.ok_or_else(|| {
                        invalid(
                            &r.id,
                            format!(
                                "the version from {} has no validTo but a later version follows",
                                v.valid_from
                            ),
                        )
                    })?;
                    if ends >= next.valid_from {
                        return Err(invalid(
                            &r.id,
                            format!(
                                "the versions from {} and {} overlap",
                                v.valid_from, next.valid_from
                            ),
                        ));
                    }
                }
            }
            rules.push(Rule {
                id,
                title: r.title,
                source: r.source,
                description: r.description,
                versions: r.versions,
            });
        }
        for id in RuleId::ALL {
            if !rules.iter().any(|r| r.id == id) {
                return Err(invalid(id.as_str(), "missing from the file"));
            }
        }
        rules.sort_by_key(|r| RuleId::ALL.iter().position(|x| *x == r.id));
        Ok(Self {
            version: file.version,
            rules,
        })
    }

    pub fn rule(&self, id: RuleId) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

impl Catalogue {
    /// The catalogue from `SAMKJOP_RULES_FILE`, or the shipped one; a broken file is an error
    /// naming the file and the line.
    pub fn from_settings(
        settings: &crate::config::Settings,
    ) -> Result<Self, crate::config::ConfigError> {
        crate::config::data_file(
            "SAMKJOP_RULES_FILE",
            settings.rules_file.as_deref(),
            DEFAULT,
            Self::parse,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_is_valid_and_ordered() {
        let c = Catalogue::parse(DEFAULT).unwrap();
        let ids: Vec<RuleId> = c.rules.iter().map(|r| r.id).collect();
        assert_eq!(ids, RuleId::ALL);
        let transport = c.rule(RuleId::Transport).unwrap();
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(transport.version_on(d("2019-12-31")), None);
        assert_eq!(
            transport
                .version_on(d("2024-12-31"))
                .unwrap()
                .award_criterion_counts,
            Some(true)
        );
        assert_eq!(
            transport
                .version_on(d("2025-01-01"))
                .unwrap()
                .award_criterion_counts,
            Some(false)
        );
    }

    #[test]
    fn broken_files_say_where() {
        let e = Catalogue::parse("{\n  \"version\": \"x\",\n  \"rules\": [ oops ]\n}").unwrap_err();
        assert!(matches!(e, CatalogueError::Syntax { line: 3, .. }), "{e}");
        let missing_param = DEFAULT.replace("\"minWeightPercent\": 30", "\"minValueExclusive\": 1");
        let e = Catalogue::parse(&missing_param).unwrap_err();
        assert!(
            e.to_string().contains("climate.award-weight")
                && e.to_string().contains("minWeightPercent"),
            "{e}"
        );
        let overlap = DEFAULT.replace(
            "\"validTo\": \"2024-12-31\", \"minValue\": 500000",
            "\"validTo\": \"2025-06-30\", \"minValue\": 500000",
        );
        assert!(
            Catalogue::parse(&overlap)
                .unwrap_err()
                .to_string()
                .contains("overlap")
        );
        let unknown = DEFAULT.replace("labour.hmsreg", "labour.hms");
        assert!(Catalogue::parse(&unknown).is_err());
        let typo = DEFAULT.replace(
            "\"minValueExclusive\": 500000,",
            "\"minValueExcl\": 500000,",
        );
        assert!(matches!(
            Catalogue::parse(&typo),
            Err(CatalogueError::Syntax { .. })
        ));
    }
}
