//! `contractFollowUp`: did the contract that required apprentices get them?

use async_graphql::{Context, InputObject, Object, SimpleObject};
use sea_orm::DatabaseConnection;

use super::output::StoredTender;
use crate::{
    auth::{self, Permission},
    domain::month,
    error::{AppError, GqlResult},
    graphql::{nodes::WorkforceShare, scalars::Date},
    hmsreg::service::HmsregConfig,
    tenders::followup::{self, FollowUpQuery, FollowUpRow, FollowUpStatus},
    validate,
};

/// Months count, as for workforceShares: `from` and `to` select the months they fall in.
#[derive(InputObject, Default)]
pub struct FollowUpFilter {
    pub agency: Option<String>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Rows where the apprentice or the skilled-worker status is this one.
    pub status: Option<FollowUpStatus>,
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ContractFollowUp {
    /// As the tender names it, or as HMSREG first wrote it.
    pub contract: String,
    /// The tender's agency, or the agency most of the hours are registered under.
    pub agency: Option<String>,
    #[graphql(skip)]
    tender: Option<crate::tenders::service::TenderRecord>,
    /// The tender has a firm APPRENTICES requirement.
    pub requires_apprentices: bool,
    /// The tender has a firm SKILLED_WORKERS requirement.
    pub requires_skilled_workers: bool,
    /// The contract's hours in the months asked; null without any.
    pub workforce: Option<WorkforceShare>,
    pub apprentice_status: FollowUpStatus,
    pub skilled_status: FollowUpStatus,
}

#[async_graphql::ComplexObject]
impl ContractFollowUp {
    /// The tender that led to the contract, if one names it.
    async fn tender(&self) -> Option<StoredTender> {
        self.tender.clone().map(StoredTender)
    }
}

impl From<FollowUpRow> for ContractFollowUp {
    fn from(r: FollowUpRow) -> Self {
        Self {
            contract: r.contract,
            agency: r.agency,
            tender: r.tender,
            requires_apprentices: r.requires_apprentices,
            requires_skilled_workers: r.requires_skilled_workers,
            workforce: r.share.map(WorkforceShare::from),
            apprentice_status: r.apprentice_status,
            skilled_status: r.skilled_status,
        }
    }
}

#[derive(Default)]
pub struct FollowUpQueries;

#[Object]
impl FollowUpQueries {
    /// One row per contract with hours in the months asked or named by a tender: what the
    /// tender required and what HMSREG measured. Sorted by agency, then contract. A buyer sees
    /// its own agency's contracts.
    async fn contract_follow_up(
        &self,
        ctx: &Context<'_>,
        filter: Option<FollowUpFilter>,
    ) -> GqlResult<Vec<ContractFollowUp>> {
        let (_, scope) = auth::require_scope(ctx, Permission::ReadWorkforce).await?;
        let f = filter.unwrap_or_default();
        if let (Some(from), Some(to)) = (f.from, f.to)
            && from > to
        {
            return Err(AppError::bad_input("to", "to is before from").into());
        }
        let query = FollowUpQuery {
            agency: validate::search_term("agency", f.agency)?,
            from_month: f.from.map(|d| month::of(d.0)),
            to_month: f.to.map(|d| month::of(d.0)),
            status: f.status,
        };
        let settings = &ctx.data_unchecked::<HmsregConfig>().shares;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let rows = followup::follow_up(db, &query, &scope, settings).await?;
        Ok(rows.into_iter().map(ContractFollowUp::from).collect())
    }
}
