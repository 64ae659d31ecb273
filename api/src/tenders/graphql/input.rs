//! The GraphQL input types of tenders and their conversion to the draft the validation reads.

use async_graphql::InputObject;

pub use crate::tenders::valid::{RuleExemptionInput, TenderInput, TenderRequirementInput};
use crate::{
    error::AppError,
    graphql::scalars::Date,
    tenders::{
        check::Verdict,
        valid::{self, ValidTender},
    },
};

#[derive(InputObject, Default)]
pub struct TenderFilter {
    /// Case-insensitive.
    pub agency: Option<String>,
    pub announced_from: Option<Date>,
    pub announced_to: Option<Date>,
    pub verdict: Option<Verdict>,
}

/// A tender input checked as every caller's is (see `valid::validate`).
pub fn validate_input(input: TenderInput) -> Result<ValidTender, AppError> {
    valid::validate(input)
}
