//! `POST /graphql`: sign-in, body limits, then the schema under a time limit, a response-size
//! limit and a guard that turns a panic into an INTERNAL_SERVER_ERROR.

use std::{panic::AssertUnwindSafe, time::Duration};

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web,
};
use async_graphql::{ErrorExtensions, Response, http::MultipartOptions};
use futures_util::FutureExt;

use super::{
    body::{Overflow, limited_reader, limited_stream},
    multipart::{self, MultipartError, MultipartLimits},
};
use crate::http::{AppState, error_response, viewer_from_header};
use crate::{auth::Permission, graphql::errors::add_missing_codes};

/// Longest error message sent back: a syntax error in a huge query would otherwise quote it.
const MAX_MESSAGE_CHARS: usize = 300;

pub async fn graphql(
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
    // Only imports take files: whoever may not import is refused before a byte is read.
    if is_upload {
        let refused = match &viewer {
            None => Some((
                StatusCode::UNAUTHORIZED,
                "UNAUTHENTICATED",
                "sign in to upload a file".to_string(),
            )),
            Some(v) => v
                .require(Permission::ImportHmsreg)
                .err()
                .map(|e| (StatusCode::FORBIDDEN, e.code(), e.to_string())),
        };
        if let Some((status, code, message)) = refused {
            return error_response(status, code, &message);
        }
    }
    let (limit, setting) = if is_upload {
        (state.limits.upload_bytes, "SAMKJOP_MAX_UPLOAD_BYTES")
    } else {
        (state.limits.json_body_bytes, "SAMKJOP_MAX_BODY_BYTES")
    };
    let too_large =
        |message: String| error_response(StatusCode::PAYLOAD_TOO_LARGE, "BAD_USER_INPUT", &message);
    let over = || format!("the request body is larger than {limit} bytes (setting {setting})");
    // Refuse an announced oversize body before reading any of it.
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > limit) {
        return too_large(over());
    }

    let overflow = Overflow::default();
    let request = if is_upload {
        let limits = MultipartLimits {
            json_bytes: state.limits.json_body_bytes,
            upload_bytes: limit,
            max_files: 4,
        };
        let body = limited_stream(payload, limit, overflow.clone());
        match multipart::receive(content_type.as_deref().unwrap_or_default(), body, &limits).await {
            Ok(request) => request,
            Err(_) if overflow.happened() => return too_large(over()),
            Err(MultipartError::TooLarge(message)) => return too_large(message),
            Err(err) => {
                return error_response(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", &err.to_string());
            }
        }
    } else {
        let body = limited_reader(payload, limit, overflow.clone());
        match async_graphql::http::receive_body(content_type, body, MultipartOptions::default())
            .await
        {
            Ok(request) => request,
            Err(_) if overflow.happened() => return too_large(over()),
            Err(async_graphql::ParseRequestError::PayloadTooLarge) => return too_large(over()),
            Err(_) => {
                return error_response(
                    StatusCode::BAD_REQUEST,
                    "BAD_USER_INPUT",
                    "the request is not a GraphQL request: send JSON with a 'query' string",
                );
            }
        }
    };
    let variables = request
        .variables
        .clone()
        .into_value()
        .into_json()
        .unwrap_or_default();
    let mut request = request;
    let mut response = match state.gate.refusal(&mut request) {
        Some(refused) => Response::from_errors(vec![refused]),
        None => {
            let request = crate::wiring::attach_loaders(request.data(viewer), &state.db);
            guarded(state.schema.execute(request), state.limits.request_timeout).await
        }
    };
    add_missing_codes(&mut response, &variables);
    for error in &mut response.errors {
        shorten(&mut error.message);
    }
    respond(&req, &response, state.limits.response_bytes)
}

/// Runs `execution` under the time limit, turning a panic anywhere in it into an
/// INTERNAL_SERVER_ERROR (the cause goes to the log) and an overrun into TIMEOUT. Dropping
/// the future on a timeout drops its open transaction, which rolls it back.
async fn guarded(execution: impl Future<Output = Response>, limit: Duration) -> Response {
    let execution = AssertUnwindSafe(execution).catch_unwind();
    match tokio::time::timeout(limit, execution).await {
        Ok(Ok(response)) => response,
        Ok(Err(panic)) => {
            tracing::error!(cause = panic_text(&*panic), "a request panicked");
            single_error("internal server error", "INTERNAL_SERVER_ERROR")
        }
        Err(_) => single_error(
            &format!(
                "the request took longer than {} and was stopped (setting SAMKJOP_REQUEST_TIMEOUT)",
                humantime::format_duration(limit)
            ),
            "TIMEOUT",
        ),
    }
}

fn single_error(message: &str, code: &str) -> Response {
    let error = async_graphql::Error::new(message).extend_with(|_, e| e.set("code", code));
    Response::from_errors(vec![error.into_server_error(Default::default())])
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
}

fn shorten(message: &mut String) {
    if let Some((cut, _)) = message.char_indices().nth(MAX_MESSAGE_CHARS) {
        message.truncate(cut);
        message.push_str("...");
    }
}

/// Whether the request failed before execution: it did not parse, did not validate, its
/// variables did not coerce, or it was over a query limit. Such errors carry no path, and
/// `data` was never produced.
fn is_request_error(response: &Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| {
            e.path.is_empty()
                && e.extensions
                    .as_ref()
                    .and_then(|x| x.get("code"))
                    .is_some_and(|c| *c == async_graphql::Value::from("BAD_USER_INPUT"))
        })
}

/// The response as JSON: without `data` for a request error to a client that speaks
/// `application/graphql-response+json`, as the GraphQL-over-HTTP specification asks.
fn body_of(response: &Response, drop_data: bool) -> serde_json::Result<Vec<u8>> {
    if !drop_data {
        return serde_json::to_vec(response);
    }
    let mut value = serde_json::to_value(response)?;
    if let Some(object) = value.as_object_mut() {
        object.remove("data");
    }
    serde_json::to_vec(&value)
}

/// Serialises the response, refusing one over `limit` bytes; the media type is the one the
/// client asked for (`application/json` unless it prefers `application/graphql-response+json`).
/// With `application/graphql-response+json`, a request error is HTTP 400 without `data`; with
/// `application/json` every GraphQL answer is 200, as clients of that type expect.
fn respond(req: &HttpRequest, response: &Response, limit: usize) -> HttpResponse {
    let wants_graphql_type = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("application/graphql-response+json"));
    let request_error = wants_graphql_type && is_request_error(response);
    let body = match body_of(response, request_error) {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "a response could not be serialised");
            return error_response(
                StatusCode::OK,
                "INTERNAL_SERVER_ERROR",
                "internal server error",
            );
        }
    };
    if body.len() > limit {
        return error_response(
            StatusCode::OK,
            "RESPONSE_TOO_LARGE",
            &format!(
                "the answer would be larger than {limit} bytes (setting SAMKJOP_MAX_RESPONSE_BYTES): ask for fewer fields or a smaller page"
            ),
        );
    }
    let media = if wants_graphql_type {
        "application/graphql-response+json"
    } else {
        "application/json"
    };
    let status = if request_error {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    HttpResponse::build(status).content_type(media).body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(response: &Response) -> String {
        let json = serde_json::to_value(response).unwrap();
        json["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    #[tokio::test]
    async fn a_panic_is_an_internal_error_and_an_overrun_a_timeout() {
        let panicking = async {
            // An index out of bounds, as a bug in a resolver would make.
            let cells: Vec<u32> = Vec::new();
            Response::new(async_graphql::Value::from(cells[3]))
        };
        let r = guarded(panicking, Duration::from_secs(5)).await;
        assert_eq!(code(&r), "INTERNAL_SERVER_ERROR");
        assert_eq!(r.errors[0].message, "internal server error");

        let slow = async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Response::new(async_graphql::Value::Null)
        };
        let r = guarded(slow, Duration::from_millis(10)).await;
        assert_eq!(code(&r), "TIMEOUT");

        let quick = async { Response::new(async_graphql::Value::Null) };
        assert!(
            guarded(quick, Duration::from_secs(1))
                .await
                .errors
                .is_empty()
        );
    }

    #[test]
    fn only_errors_before_execution_are_request_errors() {
        let with = |code: &str, path: bool| {
            let mut e = async_graphql::ServerError::new("x", None);
            let mut ext = async_graphql::ErrorExtensionValues::default();
            ext.set("code", code);
            e.extensions = Some(ext);
            if path {
                e.path = vec![async_graphql::PathSegment::Field("agreements".into())];
            }
            Response::from_errors(vec![e])
        };
        assert!(is_request_error(&with("BAD_USER_INPUT", false)));
        // A resolver's error has a path; a timeout or a panic is the server's, not the request's.
        assert!(!is_request_error(&with("BAD_USER_INPUT", true)));
        assert!(!is_request_error(&with("TIMEOUT", false)));
        assert!(!is_request_error(&with("INTERNAL_SERVER_ERROR", false)));
        assert!(!is_request_error(&Response::new(
            async_graphql::Value::Null
        )));
        let body: serde_json::Value =
            serde_json::from_slice(&body_of(&with("BAD_USER_INPUT", false), true).unwrap())
                .unwrap();
        assert!(body.get("data").is_none() && body.get("errors").is_some());
    }

    #[test]
    fn long_messages_are_cut() {
        let mut m = "x".repeat(10_000);
        shorten(&mut m);
        assert_eq!(m.chars().count(), MAX_MESSAGE_CHARS + 3);
        let mut short = "fine".to_string();
        shorten(&mut short);
        assert_eq!(short, "fine");
    }
}
