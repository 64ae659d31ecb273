//! A contract's follow-up status for one requirement. Pure.

use sea_orm::{DeriveActiveEnum, EnumIter};

/// Whether a contract meets what its tender required.
#[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[sea_orm(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FollowUpStatus {
    /// No firm requirement, or no tender names the contract.
    NotRequired,
    /// Required, but no relevant hours yet.
    NoHours,
    /// The share is at or above the target.
    Meets,
    Below,
}

/// The status of a requirement given the measured share (`None`: no relevant hours).
pub fn status(required: bool, share: Option<f64>, target: f64) -> FollowUpStatus {
    match (required, share) {
        (false, _) => FollowUpStatus::NotRequired,
        (true, None) => FollowUpStatus::NoHours,
        (true, Some(s)) if s >= target => FollowUpStatus::Meets,
        (true, Some(_)) => FollowUpStatus::Below,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_status_from_its_case() {
        assert_eq!(status(false, Some(0.0), 10.0), FollowUpStatus::NotRequired);
        assert_eq!(status(false, None, 10.0), FollowUpStatus::NotRequired);
        assert_eq!(status(true, None, 10.0), FollowUpStatus::NoHours);
        // The target itself meets it (>=); just under does not.
        assert_eq!(status(true, Some(10.0), 10.0), FollowUpStatus::Meets);
        assert_eq!(status(true, Some(9.99), 10.0), FollowUpStatus::Below);
        assert_eq!(status(true, Some(0.0), 10.0), FollowUpStatus::Below);
    }
}
