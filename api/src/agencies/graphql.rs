//! GraphQL for the register: `agencies`, `createAgency`, `addAgencyAlias`.

use async_graphql::{Context, ID, InputObject, Object};
use sea_orm::DatabaseConnection;

use super::service::{self, NewAgency};
use crate::{
    auth::{self, Permission},
    error::{AppError, GqlResult},
    graphql::{nodes::Agency, parse_id},
};

#[derive(InputObject)]
pub struct CreateAgencyInput {
    pub name: String,
    pub org_number: Option<String>,
    pub aliases: Option<Vec<String>>,
}

#[derive(Default)]
pub struct AgencyQueries;

#[Object]
impl AgencyQueries {
    /// Every agency in the register, by name.
    async fn agencies(&self, ctx: &Context<'_>) -> GqlResult<Vec<Agency>> {
        auth::require(ctx, Permission::ReadPortfolio)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let register = service::load(db).await?;
        Ok(register.all().iter().cloned().map(Agency).collect())
    }
}

#[derive(Default)]
pub struct AgencyMutations;

#[Object]
impl AgencyMutations {
    /// Adds an agency with its aliases. A name or alias that already matches an agency is
    /// CONFLICT.
    async fn create_agency(
        &self,
        ctx: &Context<'_>,
        input: CreateAgencyInput,
    ) -> GqlResult<Agency> {
        let viewer = auth::require(ctx, Permission::ManageAgencies)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let input = NewAgency {
            name: input.name,
            org_number: input.org_number,
            aliases: input.aliases.unwrap_or_default(),
        };
        Ok(Agency(service::create(db, viewer.actor(), input).await?))
    }

    /// Adds an alias: HMSREG hours written under it count under the agency from now on, with
    /// no re-import. An alias that matches another agency is CONFLICT.
    async fn add_agency_alias(
        &self,
        ctx: &Context<'_>,
        agency_id: ID,
        alias: String,
    ) -> GqlResult<Agency> {
        let viewer = auth::require(ctx, Permission::ManageAgencies)?;
        let id = parse_id(&agency_id)
            .ok_or_else(|| AppError::NotFound(format!("no agency with id {}", agency_id.0)))?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(Agency(
            service::add_alias(db, viewer.actor(), id, &alias).await?,
        ))
    }
}
