//! Stored tenders: the `tenders` list and `tender` lookup, `createTender`, `updateTender` and
//! `recheckTenders`.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use sea_orm::DatabaseConnection;

use super::{
    input::{TenderFilter, TenderInput, validate_input},
    output::StoredTender,
};
use crate::{
    auth::{self, Permission},
    config::Limits,
    error::{AppError, GqlResult},
    graphql::{
        pagination::{Page, PageRequest, page},
        parse_id,
    },
    tenders::{
        catalogue::Catalogue,
        check,
        recorded::{self, MAX_RECHECK},
        service::{self, TenderQuery},
    },
    validate,
};

#[derive(Default)]
pub struct TenderReadQueries;

#[Object]
impl TenderReadQueries {
    /// Tenders, newest announcement first. A buyer sees its own agency's only.
    async fn tenders(
        &self,
        ctx: &Context<'_>,
        filter: Option<TenderFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Page<StoredTender>> {
        let (_, scope) = auth::require_scope(ctx, Permission::ReadTenders).await?;
        let request = PageRequest::new(first, after.as_deref(), ctx.data_unchecked::<Limits>())?;
        let f = filter.unwrap_or_default();
        let query = TenderQuery {
            agency: validate::optional_text("agency", f.agency.as_deref(), 200)?,
            announced_from: f.announced_from.map(|d| d.0),
            announced_to: f.announced_to.map(|d| d.0),
        };
        let mut records =
            service::list(ctx.data_unchecked::<DatabaseConnection>(), &query, &scope).await?;
        // The verdict depends on the catalogue in force, so it is worked out, not stored.
        if let Some(verdict) = f.verdict {
            let catalogue = ctx.data_unchecked::<Arc<Catalogue>>();
            let mut kept = Vec::with_capacity(records.len());
            for r in records {
                if check::check(&r.tender()?, catalogue).verdict == verdict {
                    kept.push(r);
                }
            }
            records = kept;
        }
        let total = records.len() as u64;
        let nodes = records
            .into_iter()
            .skip(request.offset as usize)
            .take(request.limit as usize)
            .map(StoredTender)
            .collect();
        Ok(page(request, Some(total), nodes))
    }

    async fn tender(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Option<StoredTender>> {
        let (_, scope) = auth::require_scope(ctx, Permission::ReadTenders).await?;
        let Some(id) = parse_id(&id) else {
            return Ok(None);
        };
        Ok(
            service::get(ctx.data_unchecked::<DatabaseConnection>(), id, &scope)
                .await?
                .map(StoredTender),
        )
    }
}

#[derive(Default)]
pub struct StoredTenderMutations;

#[Object]
impl StoredTenderMutations {
    /// Stores a tender. A buyer stores only its own agency's (FORBIDDEN otherwise).
    async fn create_tender(
        &self,
        ctx: &Context<'_>,
        input: TenderInput,
    ) -> GqlResult<StoredTender> {
        let (viewer, scope) = auth::require_scope(ctx, Permission::WriteTenders).await?;
        let valid = validate_input(input)?;
        let txn = crate::db::begin_write(ctx.data_unchecked::<DatabaseConnection>()).await?;
        let catalogue = ctx.data_unchecked::<Arc<Catalogue>>();
        let record = service::create(&txn, viewer.actor(), &scope, valid, catalogue).await?;
        txn.commit().await?;
        Ok(StoredTender(record))
    }

    /// Replaces a tender; CONFLICT, changing nothing, when it is no longer at expectedVersion.
    async fn update_tender(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: TenderInput,
    ) -> GqlResult<StoredTender> {
        let (viewer, scope) = auth::require_scope(ctx, Permission::WriteTenders).await?;
        let id =
            parse_id(&id).ok_or_else(|| AppError::NotFound("no tender with this id".into()))?;
        let valid = validate_input(input)?;
        let txn = crate::db::begin_write(ctx.data_unchecked::<DatabaseConnection>()).await?;
        let catalogue = ctx.data_unchecked::<Arc<Catalogue>>();
        let record = service::update(
            &txn,
            viewer.actor(),
            &scope,
            id,
            expected_version,
            valid,
            catalogue,
        )
        .await?;
        txn.commit().await?;
        Ok(StoredTender(record))
    }

    /// Records a fresh check of each tender against the catalogue in force (ADMIN only), with
    /// an audit event each; returns them in the order given. At most 1,000; an unknown id is
    /// NOT_FOUND and nothing is rechecked. This moves the statistics of their periods.
    async fn recheck_tenders(
        &self,
        ctx: &Context<'_>,
        ids: Vec<ID>,
    ) -> GqlResult<Vec<StoredTender>> {
        let viewer = auth::require(ctx, Permission::RecheckTenders)?;
        if ids.len() > MAX_RECHECK {
            return Err(AppError::bad_input(
                "ids",
                format!("at most {MAX_RECHECK} tenders at a time"),
            )
            .into());
        }
        let ids = ids
            .iter()
            .map(|id| {
                parse_id(id).ok_or_else(|| {
                    AppError::NotFound(format!(
                        "no tender with id {}; nothing was rechecked",
                        id.as_str()
                    ))
                })
            })
            .collect::<Result<Vec<i64>, AppError>>()?;
        let catalogue = ctx.data_unchecked::<Arc<Catalogue>>();
        let txn = crate::db::begin_write(ctx.data_unchecked::<DatabaseConnection>()).await?;
        let records = recorded::recheck(&txn, viewer.actor(), &ids, catalogue).await?;
        txn.commit().await?;
        Ok(records.into_iter().map(StoredTender).collect())
    }
}
