//! Agencies as records know them: by a key made from the name, so that "Oslobygg KF" and
//! " oslobygg  kf" are one agency.

use super::Scope;

/// The agency key for HMSREG hours without an agency.
pub const NO_AGENCY: &str = "(none)";

/// The key an agency name is stored and compared by: collapsed and lower-cased (Unicode).
pub fn key(name: &str) -> String {
    super::text::search_key(name)
}

/// The agency key a scope limits records to; `None` for every agency.
pub fn scope_key(scope: &Scope) -> Option<String> {
    match scope {
        Scope::All => None,
        Scope::Agency(a) => Some(key(a)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_other_spacing_and_case_are_one_agency() {
        assert_eq!(key("  Oslobygg   KF "), key("oslobygg kf"));
        assert_eq!(key("Bymiljøetaten ØST"), "bymiljøetaten øst");
        assert_eq!(scope_key(&Scope::All), None);
        assert_eq!(
            scope_key(&Scope::Agency("Oslobygg KF".into())),
            Some("oslobygg kf".into())
        );
    }
}
