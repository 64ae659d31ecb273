//! A page of agreements with the nested rows its selection asks for, fetched by the page's own
//! resolver. The batched loaders would send more statements (the areas apart), each through a
//! spawned task that waits for the request to settle, with a hand-off per field of the page.
//! The page knows what it needs before it runs: the areas come joined to the agreements, and
//! the suppliers with their watchlist flags in one statement after. What is not asked for is
//! not fetched.

use std::collections::HashMap;

use async_graphql::{Context, dataloader::Loader};
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use super::{
    loaders::SuppliersOfAgreement,
    service::{self, AgreementQuery},
};
use crate::{
    error::AppError,
    graphql::{
        loaders::load_error,
        nodes::{Agreement, Prefetched},
        pagination::PageRequest,
    },
};

/// One page of the agreements `query` selects, as nodes with what `edges { node { area
/// suppliers } }` asks: the areas joined into the page's own statement, then the suppliers of
/// the whole page in one more. The total is counted only if the selection shows it.
pub async fn page(
    ctx: &Context<'_>,
    db: &DatabaseConnection,
    query: &AgreementQuery,
    request: PageRequest,
    today: NaiveDate,
) -> Result<(Option<u64>, Vec<Agreement>), AppError> {
    let node = ctx.look_ahead().field("edges").field("node");
    let (total, rows) = match node.field("area").exists() {
        true => service::list_with_areas(db, query, request, today).await?,
        false => {
            let (total, rows) = service::list(db, query, request, today).await?;
            (total, rows.into_iter().map(|r| (r, None)).collect())
        }
    };
    let mut suppliers = match node.field("suppliers").exists() && !rows.is_empty() {
        true => {
            let ids: Vec<i64> = rows.iter().map(|(r, _)| r.id).collect();
            let loader = SuppliersOfAgreement {
                db: db.clone(),
                day: today,
            };
            Some(loader.load(&ids).await.map_err(load_error)?)
        }
        false => None,
    };
    let nodes = rows
        .into_iter()
        .map(|(row, area)| {
            let prefetched = Prefetched {
                area,
                suppliers: suppliers
                    .as_mut()
                    .map(|s: &mut HashMap<_, _>| s.remove(&row.id).unwrap_or_default()),
            };
            Agreement::prefetched(row, prefetched)
        })
        .collect();
    Ok((total, nodes))
}
