//! Which earlier hours a new file replaces, and which suppliers it would drop.
//!
//! Pure logic over what the store step read, so that it can be tested without a database.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::{
    domain::{hundredths, month},
    hmsreg::import::{
        aggregate::{LabelKind, Parsed},
        issue::{Issue, Severity},
    },
};

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
#[path = "replacement_tests.rs"]
mod tests;
