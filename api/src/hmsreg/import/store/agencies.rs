//! UNKNOWN_AGENCY: agency texts in a file that match no agency of the register. The hours are
//! kept under the text; adding it as an alias counts them under the agency later.

use super::super::{
    aggregate::{AgencyRows, LabelKind, Parsed},
    issue::{Issue, Severity},
};
use crate::domain::agency::Register;

/// One warning per agency text of `parsed` that `register` does not know, by text.
pub(super) fn unknown(parsed: &Parsed, register: &Register) -> Vec<Issue> {
    let mut unknown: Vec<(&str, &AgencyRows)> = parsed
        .agency_rows
        .iter()
        .filter(|(key, _)| register.find(key).is_none())
        .map(|(key, rows)| {
            let label = parsed
                .labels
                .get(&(LabelKind::Agency, key.clone()))
                .map_or(key.as_str(), String::as_str);
            (label, rows)
        })
        .collect();
    unknown.sort_by(|a, b| a.0.cmp(b.0));
    unknown
        .into_iter()
        .map(|(label, rows)| {
            let shown = rows
                .rows
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            let more = if rows.count > rows.rows.len() as u64 {
                format!(" and {} more", rows.count - rows.rows.len() as u64)
            } else {
                String::new()
            };
            let rows_word = if rows.count == 1 { "row" } else { "rows" };
            Issue {
                severity: Severity::Warning,
                code: "UNKNOWN_AGENCY".into(),
                message: format!(
                    "agency '{label}' matches no agency in the register ({rows_word} {shown}{more} of sheet {}): its hours are kept under this name; add it as an alias to count them under an agency",
                    rows.sheet
                ),
                sheet: Some(rows.sheet.clone()),
                row: rows.rows.first().copied(),
                column: rows.column.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::agency::Agency;

    #[test]
    fn names_each_unknown_text_with_its_rows() {
        let register = Register::new(
            vec![Agency {
                id: 1,
                name: "Oslobygg KF".into(),
                org_number: None,
                aliases: vec!["Oslobygg".into()],
            }],
            [("oslobygg kf".into(), 1), ("oslobygg".into(), 1)],
        );
        let mut parsed = Parsed::default();
        for (key, label, rows) in [
            ("oslobygg", "Oslobygg", vec![2, 3]),
            ("bydel majorstua", "Bydel Majorstua", (5..17).collect()),
        ] {
            parsed
                .labels
                .insert((LabelKind::Agency, key.into()), label.into());
            parsed.agency_rows.insert(
                key.into(),
                AgencyRows {
                    sheet: "Timer".into(),
                    column: Some("D".into()),
                    rows: rows.iter().copied().take(AgencyRows::SHOWN).collect(),
                    count: rows.len() as u64,
                },
            );
        }
        let issues = unknown(&parsed, &register);
        assert_eq!(issues.len(), 1);
        let i = &issues[0];
        assert_eq!(i.code, "UNKNOWN_AGENCY");
        assert_eq!(i.severity, Severity::Warning);
        assert_eq!(
            (i.sheet.as_deref(), i.row, i.column.as_deref()),
            (Some("Timer"), Some(5), Some("D"))
        );
        assert!(
            i.message
                .contains("'Bydel Majorstua' matches no agency in the register (rows 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 and 2 more of sheet Timer)"),
            "{}",
            i.message
        );
    }
}
