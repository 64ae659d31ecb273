//! Which earlier hours a new file replaces, and which suppliers it would drop: pure logic over
//! what the store step read, so that it can be tested without a database.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::parse::{Issue, LabelKind, Parsed, Severity};
use crate::domain::{hundredths, month};

/// A (contract key, `yyyymm`) pair.
pub type Pair = (String, u32);

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Per earlier import, the pairs of this file it also had: their hours are replaced.
    pub replaced: BTreeMap<i64, BTreeSet<Pair>>,
    /// Suppliers with earlier hours in a replaced pair that this file lacks for that pair:
    /// org number -> (hundredths of an hour, the pairs).
    pub dropped: BTreeMap<String, (i64, BTreeSet<Pair>)>,
}

/// `earlier` is (import id, contract, month, org number, hundredths) of the contracts in the
/// file; only rows of a pair the file also has are replaced.
pub fn plan(
    parsed: &Parsed,
    pairs: &BTreeSet<(&str, u32)>,
    earlier: Vec<(i64, String, i32, String, i64)>,
) -> Plan {
    let mut in_file: HashMap<(&str, u32), BTreeSet<&str>> = HashMap::new();
    for key in parsed.facts.keys() {
        in_file
            .entry((key.contract.as_str(), key.month))
            .or_default()
            .insert(key.org_number.as_str());
    }
    let mut plan = Plan::default();
    for (import_id, contract, month, org, hours) in earlier {
        let Ok(month) = u32::try_from(month) else {
            continue;
        };
        if !pairs.contains(&(contract.as_str(), month)) {
            continue;
        }
        let kept = in_file
            .get(&(contract.as_str(), month))
            .is_some_and(|orgs| orgs.contains(org.as_str()));
        if !kept {
            let entry = plan.dropped.entry(org).or_default();
            entry.0 = entry.0.saturating_add(hours);
            entry.1.insert((contract.clone(), month));
        }
        plan.replaced
            .entry(import_id)
            .or_default()
            .insert((contract, month));
    }
    plan
}

/// Up to five pairs as the user wrote the contracts, and how many more.
fn sample(parsed: &Parsed, which: &BTreeSet<Pair>) -> String {
    let label = |(c, m): &Pair| {
        let shown = parsed
            .labels
            .get(&(LabelKind::Contract, c.clone()))
            .cloned()
            .unwrap_or_else(|| c.clone());
        format!("{shown} {}", month::label(*m))
    };
    let shown: Vec<String> = which.iter().take(5).map(label).collect();
    let more = if which.len() > 5 {
        format!(" and {} more", which.len() - 5)
    } else {
        String::new()
    };
    format!("{}{more}", shown.join(", "))
}

/// A REPLACED warning per earlier import and a SUPPLIER_DROPPED warning per supplier.
pub fn issues(parsed: &Parsed, plan: &Plan, names: &HashMap<i64, String>) -> Vec<Issue> {
    let mut issues = Vec::new();
    for (import_id, which) in &plan.replaced {
        issues.push(Issue::file(
            Severity::Warning,
            "REPLACED",
            format!(
                "replaces the hours of import {import_id} ('{}') for {}",
                names.get(import_id).map(String::as_str).unwrap_or("?"),
                sample(parsed, which)
            ),
        ));
    }
    for (org, (hours, which)) in &plan.dropped {
        issues.push(Issue::file(
            Severity::Warning,
            "SUPPLIER_DROPPED",
            format!(
                "supplier {org} had {} hours in contract-months this file replaces ({}) and is not in this file for them: those hours would be removed",
                hundredths::plain(*hours),
                sample(parsed, which)
            ),
        ));
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hmsreg::parse::{FactKey, Hours};

    fn parsed(facts: &[(&str, u32, &str)]) -> Parsed {
        let mut p = Parsed::default();
        for (contract, month, org) in facts {
            p.facts.insert(
                FactKey {
                    month: *month,
                    agency: "a".into(),
                    org_number: (*org).into(),
                    contract: (*contract).into(),
                    trade: "t".into(),
                },
                Hours::default(),
            );
        }
        p
    }

    #[test]
    fn a_supplier_missing_from_a_replaced_pair_is_dropped_with_its_hours() {
        // The new file has K1 in March for supplier A only; the earlier import 7 had A and B
        // in March (B: 12.50 + 3.00 hours over two trades) and B in April, which the file lacks.
        let p = parsed(&[("k1", 202603, "A")]);
        let pairs: BTreeSet<(&str, u32)> = [("k1", 202603)].into_iter().collect();
        let earlier = vec![
            (7, "k1".into(), 202603, "A".into(), 10_000),
            (7, "k1".into(), 202603, "B".into(), 1_250),
            (8, "k1".into(), 202603, "B".into(), 300),
            (7, "k1".into(), 202604, "B".into(), 99_900),
        ];
        let plan = plan(&p, &pairs, earlier);
        assert_eq!(plan.replaced.len(), 2);
        assert_eq!(
            plan.replaced[&7],
            [("k1".to_string(), 202603)].into_iter().collect()
        );
        assert_eq!(plan.dropped.len(), 1);
        assert_eq!(plan.dropped["B"].0, 1_550);
        let issues = issues(&p, &plan, &HashMap::new());
        let dropped: Vec<&Issue> = issues
            .iter()
            .filter(|i| i.code == "SUPPLIER_DROPPED")
            .collect();
        assert_eq!(dropped.len(), 1);
        assert!(dropped[0].message.contains("supplier B had 15.50 hours"));
        assert!(dropped[0].message.contains("k1 2026-03"));
    }

    #[test]
    fn nothing_is_dropped_when_every_supplier_is_still_there() {
        let p = parsed(&[("k1", 202603, "A"), ("k1", 202603, "B")]);
        let pairs: BTreeSet<(&str, u32)> = [("k1", 202603)].into_iter().collect();
        let earlier = vec![(7, "k1".into(), 202603, "B".into(), 1_250)];
        let plan = plan(&p, &pairs, earlier);
        assert!(plan.dropped.is_empty());
        assert_eq!(plan.replaced.len(), 1);
    }
}
