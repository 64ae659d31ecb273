//! Hours and shares as GraphQL returns them: `workforceShares`, an import's total and
//! `supplierStatus.workforce` all use it.

use async_graphql::SimpleObject;

use crate::{graphql::scalars::Decimal, hmsreg::shares::Share};

#[derive(SimpleObject, Clone)]
pub struct WorkforceShare {
    /// "total"; agency; org number; contract; trade; "2026-03"; "2026-Q1"; "2026".
    pub key: String,
    pub skilled_hours: Decimal,
    pub apprentice_hours: Decimal,
    pub unskilled_hours: Decimal,
    pub administrative_hours: Decimal,
    /// The denominator (default: skilled + apprentice + unskilled).
    pub relevant_hours: Decimal,
    /// Percent 0-100, hour-weighted; null when relevantHours is 0.
    pub skilled_share: Option<f64>,
    pub apprentice_share: Option<f64>,
    /// Plain mean of the per-contract shares in this group (contracts with relevant hours).
    pub average_contract_skilled_share: Option<f64>,
    pub average_contract_apprentice_share: Option<f64>,
    /// Distinct apprentices.
    pub apprentice_count: i32,
    pub meets_skilled_target: Option<bool>,
    pub meets_apprentice_target: Option<bool>,
}

impl From<Share> for WorkforceShare {
    fn from(s: Share) -> Self {
        Self {
            key: s.key,
            skilled_hours: Decimal::from_hundredths(s.hours.skilled),
            apprentice_hours: Decimal::from_hundredths(s.hours.apprentice),
            unskilled_hours: Decimal::from_hundredths(s.hours.unskilled),
            administrative_hours: Decimal::from_hundredths(s.hours.administrative),
            relevant_hours: Decimal::from_hundredths(s.relevant),
            skilled_share: s.skilled_share,
            apprentice_share: s.apprentice_share,
            average_contract_skilled_share: s.average_contract_skilled_share,
            average_contract_apprentice_share: s.average_contract_apprentice_share,
            apprentice_count: i32::try_from(s.apprentice_count).unwrap_or(i32::MAX),
            meets_skilled_target: s.meets_skilled_target,
            meets_apprentice_target: s.meets_apprentice_target,
        }
    }
}
