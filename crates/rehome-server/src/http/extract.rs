//! Request extractors whose every rejection is a problem+json 4xx.

use crate::problem::Problem;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use rehome_model::ErrorCode;
use serde::de::DeserializeOwned;

/// A JSON body. Malformed JSON is a 400 `bad_request`; a wrong type, a missing
/// or an unknown field is a 422 `bad_request` naming the field's path; a body over
/// the limit is a 413 `too_large`; a wrong content type is a 415.
pub struct ApiJson<T>(pub T);

/// Parses a JSON body the way [`ApiJson`] does (see [`crate::body::parse_json`]).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    crate::body::parse_json(bytes).map_err(|e| {
        let status = if e.data {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::BAD_REQUEST
        };
        let problem = Problem::new(status, ErrorCode::BadRequest, e.message);
        match e.field {
            Some(f) => problem.with_field(f),
            None => problem,
        }
    })
}

fn unknown_field_name(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest.split('`').next()?.to_owned())
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let v = v.split(';').next().unwrap_or("").trim();
                v.eq_ignore_ascii_case("application/json")
            })
            .unwrap_or(false);
        if !is_json {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::BadRequest,
                "Send the body as application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rej| {
            if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Problem::too_large("The request body is over the limit")
            } else {
                Problem::bad_request(rej.body_text())
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Query-string parameters; a bad one is a 400 `bad_request` (or `invalid`).
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|err| {
                let path = err.path().to_string();
                let message = err.into_inner().to_string();
                let mut p = Problem::bad_request(format!("Bad query parameter: {message}"));
                if path != "." && !path.is_empty() {
                    p = p.with_field(path);
                } else if let Some(f) = unknown_field_name(&message) {
                    p = p.with_field(f);
                }
                p
            })
    }
}

/// A path parameter; one that does not decode (bad percent-encoding, not UTF-8)
/// names nothing we have: a 404 problem.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|e| Problem::not_found(format!("No such resource: {}", e.body_text())))
    }
}
