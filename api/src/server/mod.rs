//! The HTTP server: routes, sign-in, security headers, request tracing.

mod assets;
mod body;
mod graphql;
mod multipart;

use std::{io, net::TcpListener, sync::Arc};

use actix_web::{
    App, HttpResponse, HttpServer, dev::Server, http::header, middleware::DefaultHeaders, web,
};
use sea_orm::DatabaseConnection;
use serde_json::json;
use tracing_actix_web::TracingLogger;

use crate::{
    auth::Authenticator, config::Limits, db, exports, hmsreg::service::HmsregConfig,
    http::AppState, schema, tenders::catalogue::Catalogue,
};

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
            gate: schema::gate(&limits),
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
                .route("/graphql", web::get().to(assets::graphiql))
                .route("/assets/graphiql/{file}", web::get().to(assets::asset_file))
                .route("/import", web::get().to(assets::import_page))
                .route("/assets/import/{file}", web::get().to(assets::asset_file))
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
                .route(
                    "/exports/quarterly-report.xlsx",
                    web::get().to(exports::quarterly::quarterly_report),
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
