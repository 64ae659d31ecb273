//! The request body as a `Send` stream that stops once more than a limit has come.

use std::{
    io,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
};

use actix_web::web;
use futures_util::{Stream, StreamExt, TryStreamExt, stream};

/// Set when the body passed its limit, so the caller can answer 413 rather than "malformed".
#[derive(Clone, Default)]
pub struct Overflow(Arc<AtomicBool>);

impl Overflow {
    pub fn happened(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// actix's payload is not `Send`, so a local task forwards it through a channel.
pub fn limited_stream(
    mut payload: web::Payload,
    limit: usize,
    overflow: Overflow,
) -> impl Stream<Item = io::Result<web::Bytes>> + Send + 'static {
    let (tx, rx) = tokio::sync::mpsc::channel::<io::Result<web::Bytes>>(16);
    actix_web::rt::spawn(async move {
        let mut seen = 0usize;
        while let Some(chunk) = payload.next().await {
            let item = match chunk {
                Ok(bytes) => {
                    seen = seen.saturating_add(bytes.len());
                    if seen > limit {
                        overflow.0.store(true, Ordering::Relaxed);
                        let _ = tx.send(Err(io::Error::other("body too large"))).await;
                        return;
                    }
                    Ok(bytes)
                }
                Err(e) => Err(io::Error::other(e.to_string())),
            };
            if tx.send(item).await.is_err() {
                return;
            }
        }
    });
    Box::pin(stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }))
}

/// The same, as an `AsyncRead` for async-graphql's JSON body reader.
pub fn limited_reader(
    payload: web::Payload,
    limit: usize,
    overflow: Overflow,
) -> impl futures_util::AsyncRead + Send + 'static {
    limited_stream(payload, limit, overflow).into_async_read()
}
