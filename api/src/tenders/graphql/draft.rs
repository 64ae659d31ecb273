//! The rules and the check of an unsaved tender: `complianceRules` and `checkTenderDraft`.

use std::sync::Arc;

use async_graphql::{Context, Object};

use super::{
    input::{TenderInput, validate_input},
    output::{ComplianceRule, TenderCheck},
};
use crate::{
    auth::{self, Permission},
    clock,
    error::GqlResult,
    graphql::scalars::Date,
    tenders::{catalogue::Catalogue, check},
};

#[derive(Default)]
pub struct TenderQueries;

#[Object]
impl TenderQueries {
    /// The rules in force on asOf (default today), in the order checks list them.
    async fn compliance_rules(
        &self,
        ctx: &Context<'_>,
        as_of: Option<Date>,
    ) -> GqlResult<Vec<ComplianceRule>> {
        auth::viewer(ctx)?;
        let day = as_of.map_or_else(clock::today, |d| d.0);
        let catalogue = ctx.data_unchecked::<Arc<Catalogue>>();
        Ok(catalogue
            .rules
            .iter()
            .filter_map(|rule| {
                rule.version_on(day).map(|v| ComplianceRule {
                    id: rule.id.as_str().to_string(),
                    title: rule.title.clone(),
                    source: rule.source.clone(),
                    valid_from: Date(v.valid_from),
                    valid_to: v.valid_to.map(Date),
                    description: rule.description.clone(),
                })
            })
            .collect())
    }
}

#[derive(Default)]
pub struct TenderMutations;

#[Object]
impl TenderMutations {
    /// Checks a tender that is not saved: what applies, what is in place, what to add.
    async fn check_tender_draft(
        &self,
        ctx: &Context<'_>,
        input: TenderInput,
    ) -> GqlResult<TenderCheck> {
        auth::require(ctx, Permission::CheckTenderDraft)?;
        let valid = validate_input(input)?;
        let catalogue = ctx.data_unchecked::<Arc<Catalogue>>();
        Ok(check::check(&valid.tender, catalogue).into())
    }
}
