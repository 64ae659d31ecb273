//! The HTTP server: routes, sign-in, security headers, request tracing.

mod body;
mod graphql;
mod multipart;

use std::{io, net::TcpListener, sync::Arc};

use actix_web::{
    App, HttpRequest, HttpResponse, HttpServer,
    dev::Server,
    http::{StatusCode, header},
    middleware::DefaultHeaders,
    web,
};
use async_graphql::http::GraphiQLSource;
use sea_orm::DatabaseConnection;
use serde_json::json;
use tracing_actix_web::TracingLogger;

use crate::{
    auth::{Authenticator, Viewer},
    config::Limits,
    db, exports,
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
                .route("/graphql", web::post().to(graphql::graphql))
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
