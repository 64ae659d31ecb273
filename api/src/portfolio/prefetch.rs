//! A page of agreements with the nested rows its selection asks for, fetched by the page's own
//! resolver. The batched loaders would send the same statements, but each through a spawned
//! task that waits for the request to settle, and with a hand-off per field of the page; the
//! page knows its keys when its rows arrive, so it asks for the areas and the suppliers (with
//! their watchlist flags) at once, side by side. What is not asked for is not fetched.

use std::collections::HashMap;

use async_graphql::{Context, dataloader::Loader};
use chrono::NaiveDate;
use entity::agreement;
use sea_orm::DatabaseConnection;

use super::loaders::{AreaById, SuppliersOfAgreement};
use crate::{
    error::AppError,
    graphql::{
        loaders::load_error,
        nodes::{Agreement, Prefetched},
    },
};

/// The page's agreements as nodes, each with what `edges { node { area suppliers } }` asks.
pub async fn nodes(
    ctx: &Context<'_>,
    db: &DatabaseConnection,
    rows: Vec<agreement::Model>,
    today: NaiveDate,
) -> Result<Vec<Agreement>, AppError> {
    let node = ctx.look_ahead().field("edges").field("node");
    let wants_area = node.field("area").exists();
    let wants_suppliers = node.field("suppliers").exists();
    if rows.is_empty() || !(wants_area || wants_suppliers) {
        return Ok(rows.into_iter().map(Agreement::from).collect());
    }
    let area_ids: Vec<i64> = rows.iter().map(|r| r.area_id).collect();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let areas = async {
        match wants_area {
            true => AreaById(db.clone()).load(&dedup(area_ids)).await.map(Some),
            false => Ok(None),
        }
    };
    let suppliers = async {
        let loader = SuppliersOfAgreement {
            db: db.clone(),
            day: today,
        };
        match wants_suppliers {
            true => loader.load(&ids).await.map(Some),
            false => Ok(None),
        }
    };
    let (areas, suppliers) = futures_util::future::join(areas, suppliers).await;
    let areas = areas.map_err(load_error)?;
    let mut suppliers = suppliers.map_err(load_error)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let prefetched = Prefetched {
                area: areas.as_ref().and_then(|a| a.get(&row.area_id).cloned()),
                suppliers: suppliers
                    .as_mut()
                    .map(|s: &mut HashMap<_, _>| s.remove(&row.id).unwrap_or_default()),
            };
            Agreement::prefetched(row, prefetched)
        })
        .collect())
}

/// The distinct keys, for an IN list without repeats (50 agreements share a few areas).
fn dedup(mut keys: Vec<i64>) -> Vec<i64> {
    keys.sort_unstable();
    keys.dedup();
    keys
}
