//! UNKNOWN_TRADE: trade texts in a file that the trade catalogue does not have. Their hours
//! count in both shares, as hours without a trade do; the warning says so, so that the unit
//! can add the text to the catalogue (as a spelling of a trade or an office role).

use std::collections::HashMap;

use super::super::{
    aggregate::{LabelKind, NO_TRADE, Parsed},
    cells::show_hours,
    issue::{Issue, Severity},
};
use crate::hmsreg::trades::TradeCatalogue;

/// One warning per trade text of `parsed` that `catalogue` lacks, by text, with its hours.
pub(super) fn unknown(parsed: &Parsed, catalogue: &TradeCatalogue) -> Vec<Issue> {
    let mut hours: HashMap<&str, i64> = HashMap::new();
    for (key, h) in &parsed.facts {
        if key.trade != NO_TRADE && catalogue.find(&key.trade).is_none() {
            *hours.entry(key.trade.as_str()).or_default() +=
                h.skilled + h.apprentice + h.unskilled + h.administrative;
        }
    }
    let mut unknown: Vec<(&str, &str, i64)> = hours
        .into_iter()
        .map(|(key, h)| {
            let label = parsed
                .labels
                .get(&(LabelKind::Trade, key.to_string()))
                .map_or(key, String::as_str);
            (label, key, h)
        })
        .collect();
    unknown.sort();
    unknown
        .into_iter()
        .map(|(label, key, h)| {
            let first = parsed.trade_rows.get(key);
            let place = first.map_or_else(String::new, |f| {
                format!(" (first on row {} of sheet {})", f.row, f.sheet)
            });
            Issue {
                severity: Severity::Warning,
                code: "UNKNOWN_TRADE".into(),
                message: format!(
                    "trade '{label}' is not in the trade catalogue{place}: its {} hours count in both the skilled and the apprentice share, like hours without a trade; add it to the catalogue as a trade or an office role",
                    show_hours(h)
                ),
                sheet: first.map(|f| f.sheet.clone()),
                row: first.map(|f| f.row),
                column: first.and_then(|f| f.column.clone()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hmsreg::import::{FactKey, Hours};

    #[test]
    fn names_each_unknown_trade_with_its_hours_and_first_cell() {
        let catalogue = TradeCatalogue::parse(
            r#"{ "trades": [ { "name": "Tømrer", "craft": true, "apprenticeTrade": true } ] }"#,
        )
        .unwrap();
        let mut parsed = Parsed::default();
        let fact = |month: u32, contract: &str, trade: &str| FactKey {
            month,
            agency: "oslobygg kf".into(),
            org_number: "974760673".into(),
            contract: contract.into(),
            trade: trade.into(),
        };
        let h = |skilled: i64, administrative: i64| Hours {
            skilled,
            administrative,
            ..Default::default()
        };
        // "Sjakkmester": 7.5 + 4 hours in March, 2.25 in April on another contract: 13.75.
        parsed
            .facts
            .insert(fact(202603, "k-1", "sjakkmester"), h(750, 400));
        parsed
            .facts
            .insert(fact(202604, "k-2", "sjakkmester"), h(225, 0));
        parsed
            .facts
            .insert(fact(202603, "k-1", "tømrer"), h(800, 0));
        parsed
            .facts
            .insert(fact(202603, "k-1", NO_TRADE), h(100, 0));
        parsed.labels.insert(
            (LabelKind::Trade, "sjakkmester".into()),
            "Sjakkmester".into(),
        );
        parsed.trade_rows.insert(
            "sjakkmester".into(),
            super::super::super::aggregate::FirstSeen {
                sheet: "Timer".into(),
                row: 7,
                column: Some("G".into()),
            },
        );
        let issues = unknown(&parsed, &catalogue);
        assert_eq!(issues.len(), 1, "{issues:?}");
        let i = &issues[0];
        assert_eq!(
            (i.code.as_str(), i.severity),
            ("UNKNOWN_TRADE", Severity::Warning)
        );
        assert_eq!(
            (i.sheet.as_deref(), i.row, i.column.as_deref()),
            (Some("Timer"), Some(7), Some("G"))
        );
        assert!(
            i.message.starts_with(
                "trade 'Sjakkmester' is not in the trade catalogue (first on row 7 of sheet Timer): its 13.75 hours count in both"
            ),
            "{}",
            i.message
        );
    }
}
