//! Agencies: the register's identities and how a written name finds its agency
//! (docs/rules.md, Agencies).

use std::collections::HashMap;

/// The agency key for HMSREG hours without an agency.
pub const NO_AGENCY: &str = "(none)";

/// The key an agency name is stored and compared by: collapsed and lower-cased (Unicode).
/// HMSREG hours and labels are stored under this key.
pub fn key(name: &str) -> String {
    super::text::search_key(name)
}

/// The key a name matches an agency by: as `key`, and `.` ignored, so "St. Hanshaugen" and
/// "st hanshaugen" are one name. Works on a stored `key` as well as on the text itself.
pub fn match_key(name: &str) -> String {
    key(&name.replace('.', ""))
}

/// One agency of the register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agency {
    pub id: i64,
    pub name: String,
    pub org_number: Option<String>,
    /// Other texts that match it, in the order they were added.
    pub aliases: Vec<String>,
}

/// The whole register, small enough (a few hundred names) to load for a request.
#[derive(Clone, Debug, Default)]
pub struct Register {
    agencies: Vec<Agency>,
    by_match_key: HashMap<String, usize>,
    by_id: HashMap<i64, usize>,
}

impl Register {
    /// The register from its agencies; `names` gives (match key, agency id) for every name and
    /// alias.
    pub fn new(agencies: Vec<Agency>, names: impl IntoIterator<Item = (String, i64)>) -> Self {
        let by_id: HashMap<i64, usize> = agencies
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id, i))
            .collect();
        let by_match_key = names
            .into_iter()
            .filter_map(|(k, id)| by_id.get(&id).map(|i| (k, *i)))
            .collect();
        Self {
            agencies,
            by_match_key,
            by_id,
        }
    }

    /// Every agency, by name.
    pub fn all(&self) -> &[Agency] {
        &self.agencies
    }

    /// The agency `text` (a name as written, or a stored key) matches.
    pub fn find(&self, text: &str) -> Option<&Agency> {
        self.by_match_key
            .get(&match_key(text))
            .map(|i| &self.agencies[*i])
    }

    pub fn by_id(&self, id: i64) -> Option<&Agency> {
        self.by_id.get(&id).map(|i| &self.agencies[*i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_other_spacing_and_case_are_one_agency() {
        assert_eq!(key("  Oslobygg   KF "), key("oslobygg kf"));
        assert_eq!(key("Bymiljøetaten ØST"), "bymiljøetaten øst");
    }

    #[test]
    fn matching_ignores_case_spacing_and_dots() {
        assert_eq!(match_key(" Bydel  St. Hanshaugen"), "bydel st hanshaugen");
        assert_eq!(match_key("BYDEL ST HANSHAUGEN"), "bydel st hanshaugen");
        // "St . Hanshaugen": the dot goes, and the spaces around it become one.
        assert_eq!(match_key("St . Hanshaugen"), "st hanshaugen");
        // A stored key matches as its text does.
        assert_eq!(match_key(&key("O.B.Y.")), match_key("oby"));
    }

    #[test]
    fn the_register_finds_agencies_by_name_and_alias() {
        let oby = Agency {
            id: 7,
            name: "Oslobygg KF".into(),
            org_number: None,
            aliases: vec!["Oslobygg".into()],
        };
        let register = Register::new(
            vec![oby.clone()],
            [("oslobygg kf".to_string(), 7), ("oslobygg".to_string(), 7)],
        );
        assert_eq!(register.find("  OSLOBYGG "), Some(&oby));
        assert_eq!(register.find("Oslobygg K.F."), Some(&oby));
        assert_eq!(register.find("Oslobyg"), None);
        assert_eq!(register.by_id(7), Some(&oby));
        assert_eq!(register.by_id(8), None);
    }
}
