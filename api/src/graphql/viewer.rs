//! `Query.viewer`: who the token says the caller is.

use async_graphql::{Context, Object};

use crate::{
    auth::{self, Viewer},
    error::GqlResult,
};

#[derive(Default)]
pub struct ViewerQuery;

#[Object]
impl ViewerQuery {
    /// The signed-in user, as the token names them.
    async fn viewer(&self, ctx: &Context<'_>) -> GqlResult<Viewer> {
        Ok(auth::viewer(ctx)?.clone())
    }
}
