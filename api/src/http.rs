//! What the HTTP handlers share: the application state, sign-in from the `Authorization`
//! header, and the GraphQL-shaped error body for failures before the schema runs.

use std::sync::Arc;

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
};
use sea_orm::DatabaseConnection;
use serde_json::json;

use crate::{
    auth::{Authenticator, Viewer},
    config::Limits,
    graphql::limits::QueryGate,
    hmsreg::service::HmsregConfig,
    schema::AppSchema,
    tenders::catalogue::Catalogue,
};

pub struct AppState {
    pub schema: AppSchema,
    pub gate: QueryGate,
    pub auth: Authenticator,
    pub db: DatabaseConnection,
    pub limits: Limits,
    pub catalogue: Arc<Catalogue>,
    pub hmsreg: HmsregConfig,
}

/// A GraphQL-shaped error body for failures before the schema runs.
pub fn error_response(status: StatusCode, code: &str, message: &str) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    if status == StatusCode::UNAUTHORIZED {
        response.insert_header((header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""));
    }
    response.json(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] }))
}

/// `None` without a token. A token that is present but not valid fails the whole request:
/// the caller meant to sign in and should learn why it did not work.
pub fn viewer_from_header(
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
