//! tus 1.0's headers: the version handshake, `Upload-Metadata`, the offset
//! headers, and problems that carry `Tus-Resumable`.

use crate::problem::Problem;
use crate::storage::UploadRow;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rehome_model::ErrorCode;

pub const TUS_VERSION: &str = "1.0.0";

pub(super) fn h(name: &'static str) -> HeaderName {
    HeaderName::from_static(name)
}

pub(super) fn value(s: impl ToString) -> HeaderValue {
    HeaderValue::from_str(&s.to_string()).unwrap_or(HeaderValue::from_static(""))
}

pub(super) fn http_date(ms: i64) -> String {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms.max(0) as u64);
    httpdate::fmt_http_date(t)
}

pub(super) fn tus_headers(res: &mut Response) {
    res.headers_mut()
        .insert(h("tus-resumable"), HeaderValue::from_static(TUS_VERSION));
}

pub(super) fn with_tus(mut res: Response) -> Response {
    tus_headers(&mut res);
    res
}

/// A tus-flavoured problem (still problem+json, with `Tus-Resumable`).
pub(super) fn tus_problem(p: Problem) -> Response {
    with_tus(p.into_response())
}

pub(super) fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

pub(super) fn require_tus(headers: &HeaderMap) -> Result<(), Box<Response>> {
    match header_str(headers, "tus-resumable") {
        Some(TUS_VERSION) => Ok(()),
        _ => {
            let mut res = Problem::new(
                StatusCode::PRECONDITION_FAILED,
                ErrorCode::BadRequest,
                "Send Tus-Resumable: 1.0.0",
            )
            .with_field("Tus-Resumable")
            .into_response();
            res.headers_mut()
                .insert(h("tus-version"), HeaderValue::from_static(TUS_VERSION));
            Err(Box::new(with_tus(res)))
        }
    }
}

/// `Upload-Checksum: sha256 <base64 digest>`, decoded (the only algorithm offered).
pub(super) fn upload_checksum(headers: &HeaderMap) -> Result<Option<Vec<u8>>, Problem> {
    match header_str(headers, "upload-checksum") {
        None => Ok(None),
        Some(v) => {
            let (algo, b64) = v.trim().split_once(' ').unwrap_or((v, ""));
            if !algo.eq_ignore_ascii_case("sha256") {
                return Err(Problem::bad_request("Only sha256 checksums are supported")
                    .with_field("Upload-Checksum"));
            }
            let digest = STANDARD
                .decode(b64.trim())
                .ok()
                .filter(|d| d.len() == 32)
                .ok_or_else(|| {
                    Problem::bad_request("Upload-Checksum is `sha256 <base64 digest>`")
                        .with_field("Upload-Checksum")
                })?;
            Ok(Some(digest))
        }
    }
}

/// `Upload-Metadata: key base64,key base64`
pub(super) fn metadata(headers: &HeaderMap) -> Result<Vec<(String, String)>, Problem> {
    let Some(raw) = header_str(headers, "upload-metadata") else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, val) = pair.split_once(' ').unwrap_or((pair, ""));
        let val = STANDARD
            .decode(val.trim())
            .ok()
            .and_then(|v| String::from_utf8(v).ok())
            .ok_or_else(|| {
                Problem::bad_request("Upload-Metadata values are base64")
                    .with_field("Upload-Metadata")
            })?;
        out.push((key.to_owned(), val));
    }
    Ok(out)
}

pub(super) fn offset_headers(res: &mut Response, row: &UploadRow, offset: u64) {
    let hs = res.headers_mut();
    hs.insert(h("upload-offset"), value(offset));
    hs.insert(h("upload-length"), value(row.length));
    hs.insert(h("upload-expires"), value(http_date(row.expires_at)));
    hs.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}
