//! The GraphQL shape of a group's workforce shares. The HMSREG import that fills it is
//! issue 4; until it lands, `supplierStatus.workforce` is null.

use async_graphql::SimpleObject;

use crate::graphql::scalars::Decimal;

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
    /// Plain mean of the per-contract shares in this group.
    pub average_contract_skilled_share: Option<f64>,
    pub average_contract_apprentice_share: Option<f64>,
    /// Distinct apprentices.
    pub apprentice_count: i32,
    pub meets_skilled_target: Option<bool>,
    pub meets_apprentice_target: Option<bool>,
}
