//! GraphQL multipart requests (file uploads), read with the JSON limit on `operations` and
//! `map` and the upload limit on files. async-graphql's own reader applies one limit to every
//! part, so a 20 MB query in `operations` would be parsed; this one refuses it.

use std::{collections::HashMap, io};

use async_graphql::{Request, UploadValue};
use futures_util::Stream;
use multer::{Constraints, Multipart, SizeLimit};

/// Why a multipart body was refused; `TooLarge` is answered with 413.
#[derive(Debug, thiserror::Error)]
pub enum MultipartError {
    #[error("{0}")]
    TooLarge(String),
    #[error("the upload is not a GraphQL multipart request: {0}")]
    Malformed(String),
}

pub struct MultipartLimits {
    pub json_bytes: usize,
    pub upload_bytes: usize,
    pub max_files: usize,
}

fn malformed(m: impl Into<String>) -> MultipartError {
    MultipartError::Malformed(m.into())
}

fn from_multer(err: multer::Error, limits: &MultipartLimits) -> MultipartError {
    match err {
        multer::Error::FieldSizeExceeded { field_name, .. }
            if matches!(field_name.as_deref(), Some("operations" | "map")) =>
        {
            MultipartError::TooLarge(format!(
                "the '{}' part is larger than {} bytes (setting SAMKJOP_MAX_BODY_BYTES)",
                field_name.unwrap_or_default(),
                limits.json_bytes
            ))
        }
        multer::Error::FieldSizeExceeded { .. } | multer::Error::StreamSizeExceeded { .. } => {
            MultipartError::TooLarge(format!(
                "the upload is larger than {} bytes (setting SAMKJOP_MAX_UPLOAD_BYTES)",
                limits.upload_bytes
            ))
        }
        other => malformed(other.to_string()),
    }
}

/// Reads `operations`, then `map`, then the files the map names, in the order the GraphQL
/// multipart request specification sets; anything else is refused before it is buffered.
pub async fn receive(
    content_type: &str,
    body: impl Stream<Item = io::Result<actix_web::web::Bytes>> + Send + 'static,
    limits: &MultipartLimits,
) -> Result<Request, MultipartError> {
    let boundary = multer::parse_boundary(content_type).map_err(|e| malformed(e.to_string()))?;
    let json = limits.json_bytes as u64;
    let constraints = Constraints::new().size_limit(
        SizeLimit::new()
            .whole_stream(limits.upload_bytes as u64)
            .per_field(limits.upload_bytes as u64)
            .for_field("operations", json)
            .for_field("map", json),
    );
    let mut multipart = Multipart::with_constraints(body, boundary, constraints);
    let mut request: Option<Request> = None;
    let mut map: Option<HashMap<String, Vec<String>>> = None;
    let mut files = 0usize;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| from_multer(e, limits))?
    {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "operations" => {
                let bytes = field.bytes().await.map_err(|e| from_multer(e, limits))?;
                let parsed: Request = serde_json::from_slice(&bytes).map_err(|_| {
                    malformed("'operations' must be one GraphQL request as JSON (batches are not accepted)")
                })?;
                request = Some(parsed);
            }
            "map" => {
                let bytes = field.bytes().await.map_err(|e| from_multer(e, limits))?;
                map = Some(serde_json::from_slice(&bytes).map_err(|_| {
                    malformed(
                        "'map' must be a JSON object of part names to lists of variable paths",
                    )
                })?);
            }
            _ => {
                let (Some(request), Some(map)) = (request.as_mut(), map.as_ref()) else {
                    return Err(malformed(
                        "'operations' and 'map' must come before the files",
                    ));
                };
                let Some(paths) = map.get(&name) else {
                    return Err(malformed(format!(
                        "the part '{name}' is not named in 'map'"
                    )));
                };
                files += 1;
                if files > limits.max_files {
                    return Err(malformed(format!(
                        "at most {} files per request",
                        limits.max_files
                    )));
                }
                let filename = field.file_name().unwrap_or("upload").to_string();
                let content_type = field.content_type().map(ToString::to_string);
                let mut file = tempfile::tempfile().map_err(|e| malformed(e.to_string()))?;
                while let Some(chunk) = field.chunk().await.map_err(|e| from_multer(e, limits))? {
                    io::Write::write_all(&mut file, &chunk)
                        .map_err(|e| malformed(e.to_string()))?;
                }
                io::Seek::rewind(&mut file).map_err(|e| malformed(e.to_string()))?;
                let upload = UploadValue {
                    filename,
                    content_type,
                    content: file,
                };
                for path in paths {
                    let copy = upload.try_clone().map_err(|e| malformed(e.to_string()))?;
                    request.set_upload(path, copy);
                }
            }
        }
    }
    let request = request.ok_or_else(|| malformed("the 'operations' part is missing"))?;
    if map.is_none() {
        return Err(malformed("the 'map' part is missing"));
    }
    Ok(request)
}
