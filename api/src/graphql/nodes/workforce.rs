//! Hours and shares as GraphQL returns them: `workforceShares`, an import's total and
//! `supplierStatus.workforce` all use it.

use async_graphql::SimpleObject;

use crate::{graphql::scalars::Decimal, hmsreg::shares::Share};

/// Hours by category and the skilled-worker and apprentice shares of one group. Each share
/// has its own denominator: hours in craft trades for the skilled share, hours in apprentice
/// trades for the apprentice share (hours without a trade, or in a trade the catalogue does
/// not know, count in both).
#[derive(SimpleObject, Clone)]
pub struct WorkforceShare {
    /// "total"; agency; org number; contract; trade; "2026-03"; "2026-Q1"; "2026".
    pub key: String,
    /// The thenBy key, as `key` is written for that grouping; null without thenBy.
    pub sub_key: Option<String>,
    pub skilled_hours: Decimal,
    pub apprentice_hours: Decimal,
    pub unskilled_hours: Decimal,
    pub administrative_hours: Decimal,
    /// Skilled + apprentice + unskilled (+ administrative when the setting says so), over
    /// every trade.
    pub relevant_hours: Decimal,
    /// The skilled share's denominator: relevant hours in craft trades.
    pub skilled_base_hours: Decimal,
    /// The apprentice share's denominator: relevant hours in apprentice trades.
    pub apprentice_base_hours: Decimal,
    /// Percent 0-100, hour-weighted: skilled hours in craft trades over skilledBaseHours;
    /// null when skilledBaseHours is 0.
    pub skilled_share: Option<f64>,
    /// Percent 0-100: apprentice hours in apprentice trades over apprenticeBaseHours; null
    /// when apprenticeBaseHours is 0.
    pub apprentice_share: Option<f64>,
    /// Plain mean of the per-contract shares in this group (contracts with a denominator > 0).
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
            sub_key: s.sub_key,
            skilled_hours: Decimal::from_hundredths(s.hours.skilled),
            apprentice_hours: Decimal::from_hundredths(s.hours.apprentice),
            unskilled_hours: Decimal::from_hundredths(s.hours.unskilled),
            administrative_hours: Decimal::from_hundredths(s.hours.administrative),
            relevant_hours: Decimal::from_hundredths(s.relevant),
            skilled_base_hours: Decimal::from_hundredths(s.skilled_base),
            apprentice_base_hours: Decimal::from_hundredths(s.apprentice_base),
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
