//! Per-request DataLoaders: nested lists cost one query per level, whatever the page size.

use std::{sync::Arc, time::Duration};

use async_graphql::{dataloader::DataLoader, futures_util::future::BoxFuture};
use sea_orm::DbErr;

use crate::error::AppError;

/// What a loader fails with: shared, because one failed batch answers many fields.
pub type LoadError = Arc<DbErr>;

pub fn load_error(err: LoadError) -> AppError {
    AppError::internal(anyhow::anyhow!("batched load failed: {err}"))
}

/// How many turns a batch gives the request before it takes its keys (see [`after_request_settles`]).
const SETTLE_TURNS: usize = 64;

/// Starts a loader's batch on the request's own single-threaded actix worker, after giving the
/// request's futures `SETTLE_TURNS` turns. async-graphql resolves a long list in slices (it
/// yields every 32 items), and a wall-clock window can end between two slices on a busy
/// machine, splitting the batch. A yielded request is runnable and takes the next turn, so
/// the batch starts only once every sibling field has asked for its key: a page costs the same
/// statements whatever its length and however loaded the machine.
fn after_request_settles(batch: BoxFuture<'static, ()>) -> actix_web::rt::task::JoinHandle<()> {
    actix_web::rt::spawn(async move {
        for _ in 0..SETTLE_TURNS {
            tokio::task::yield_now().await;
        }
        batch.await;
    })
}

/// A loader whose batches start once the request has settled.
pub fn batched<T: Send + Sync + 'static>(loader: T) -> DataLoader<T> {
    DataLoader::new(loader, after_request_settles).delay(Duration::ZERO)
}
