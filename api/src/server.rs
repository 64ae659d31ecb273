//! The HTTP server: routes, body limits, sign-in, security headers, request tracing.

use std::{
    io,
    net::TcpListener,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
};

use actix_web::{
    App, HttpRequest, HttpResponse, HttpServer, Responder,
    dev::Server,
    http::{StatusCode, header},
    middleware::DefaultHeaders,
    web,
};
use async_graphql::http::{GraphiQLSource, MultipartOptions};
use async_graphql_actix_web::GraphQLResponse;
use futures_util::{StreamExt, TryStreamExt, stream};
use sea_orm::DatabaseConnection;
use serde_json::json;
use tracing_actix_web::TracingLogger;

use crate::{
    auth::{Authenticator, Viewer},
    config::Limits,
    db, exports,
    graphql::errors::add_missing_codes,
    hmsreg::service::HmsregConfig,
    schema::{self, AppSchema},
    tenders::catalogue::Catalogue,
};

pub struct AppState {
    pub schema: AppSchema,
    pub auth: Authenticator,
    pub db: DatabaseConnection,
    pub limits: Limits,
    pub catalogue: Arc<Catalogue>,
    pub hmsreg: HmsregConfig,
}

/// A bound, not yet running server; `port()` tells where it listens (tests bind port 0).
pub struct Application {
    server: Server,
    port: u16,
}

impl Application {
    pub fn build(
        bind: &str,
        db: DatabaseConnection,
        auth: Authenticator,
        limits: Limits,
        hmsreg: HmsregConfig,
        catalogue: Arc<Catalogue>,
    ) -> io::Result<Self> {
        let listener = TcpListener::bind(bind)?;
        let port = listener.local_addr()?.port();
        let state = web::Data::new(AppState {
            schema: schema::build(db.clone(), &limits, hmsreg.clone(), catalogue.clone()),
            catalogue,
            hmsreg,
            auth,
            db,
            limits,
        });
        let server = HttpServer::new(move || {
            App::new()
                .wrap(TracingLogger::default())
                .wrap(
                    DefaultHeaders::new()
                        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                        .add((header::REFERRER_POLICY, "no-referrer")),
                )
                .app_data(state.clone())
                .route("/graphql", web::post().to(graphql))
                .route("/graphql", web::get().to(graphiql))
                .route("/health", web::get().to(health))
                .route("/ready", web::get().to(ready))
                .route("/schema.graphql", web::get().to(schema_sdl))
                .route(
                    "/exports/climate-stats.xlsx",
                    web::get().to(exports::climate_stats),
                )
                .route(
                    "/exports/workforce-shares.xlsx",
                    web::get().to(exports::workforce_shares),
                )
        })
        .listen(listener)?
        .run();
        Ok(Self { server, port })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> io::Result<()> {
        self.server.await
    }
}

async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

async fn ready(state: web::Data<AppState>) -> HttpResponse {
    if db::ping(&state.db).await {
        HttpResponse::Ok().json(json!({ "status": "ready" }))
    } else {
        HttpResponse::ServiceUnavailable().json(json!({ "status": "database unreachable" }))
    }
}

async fn schema_sdl(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(state.schema.sdl())
}

async fn graphiql() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .title("samkjop")
                .finish(),
        )
}

/// A GraphQL-shaped error body for failures before the schema runs.
pub(crate) fn error_response(status: StatusCode, code: &str, message: &str) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    if status == StatusCode::UNAUTHORIZED {
        response.insert_header((header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""));
    }
    response.json(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] }))
}

/// `None` without a token. A token that is present but not valid fails the whole request:
/// the caller meant to sign in and should learn why it did not work.
pub(crate) fn viewer_from_header(
    req: &HttpRequest,
    auth: &Authenticator,
) -> Result<Option<Viewer>, String> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| "the Authorization header is not readable text".to_string())?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .ok_or_else(|| "the Authorization header must be 'Bearer <token>'".to_string())?;
    auth.verify(token).map(Some).map_err(|e| e.to_string())
}

async fn graphql(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    let viewer = match viewer_from_header(&req, &state.auth) {
        Ok(viewer) => viewer,
        Err(message) => {
            return error_response(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", &message);
        }
    };
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let is_upload = content_type
        .as_deref()
        .is_some_and(|ct| ct.starts_with("multipart/form-data"));
    let (limit, setting) = if is_upload {
        (state.limits.upload_bytes, "SAMKJOP_MAX_UPLOAD_BYTES")
    } else {
        (state.limits.json_body_bytes, "SAMKJOP_MAX_BODY_BYTES")
    };
    let too_large = || {
        error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            "BAD_USER_INPUT",
            &format!("the request body is larger than {limit} bytes (setting {setting})"),
        )
    };
    // Refuse an announced oversize body before reading any of it.
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > limit) {
        return too_large();
    }

    let overflowed = Arc::new(AtomicBool::new(false));
    let body = limited_body(payload, limit, overflowed.clone());
    let options = MultipartOptions::default()
        .max_file_size(limit)
        .max_num_files(4);
    let request = match async_graphql::http::receive_body(content_type, body, options).await {
        Ok(request) => request,
        Err(_) if overflowed.load(Ordering::Relaxed) => return too_large(),
        Err(async_graphql::ParseRequestError::PayloadTooLarge) => return too_large(),
        Err(err) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "BAD_USER_INPUT",
                &format!("the request is not a GraphQL request: {err}"),
            );
        }
    };
    let variables = request
        .variables
        .clone()
        .into_value()
        .into_json()
        .unwrap_or_default();
    let request = crate::graphql::loaders::attach(request.data(viewer), &state.db);
    let mut response = state.schema.execute(request).await;
    add_missing_codes(&mut response, &variables);
    GraphQLResponse::from(response)
        .respond_to(&req)
        .map_into_boxed_body()
}

/// The request body as an `AsyncRead` that fails once more than `limit` bytes have come.
/// actix's payload is not `Send`, so a local task forwards it through a channel.
fn limited_body(
    mut payload: web::Payload,
    limit: usize,
    overflowed: Arc<AtomicBool>,
) -> impl futures_util::AsyncRead + Send + 'static {
    let (tx, rx) = tokio::sync::mpsc::channel::<io::Result<web::Bytes>>(16);
    actix_web::rt::spawn(async move {
        let mut seen = 0usize;
        while let Some(chunk) = payload.next().await {
            let item = match chunk {
                Ok(bytes) => {
                    seen += bytes.len();
                    if seen > limit {
                        overflowed.store(true, Ordering::Relaxed);
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
    .into_async_read()
}
