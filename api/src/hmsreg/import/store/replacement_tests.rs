//! Replaced pairs and dropped suppliers, without a database.

use super::*;
use crate::hmsreg::import::aggregate::{FactKey, Hours};

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
