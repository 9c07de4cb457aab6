//! Reading an uploaded document from a request: a raw body of an accepted media type, or the
//! `file` field of a `multipart/form-data` body.

use axum::body::Bytes;
use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{StatusCode, header};

use crate::api::problem::ApiError;
use crate::ingest::Upload;

/// Media types accepted as a raw body (and as a multipart part's type).
pub const ACCEPTED_TYPES: &[&str] =
    &["text/plain", "text/html", "application/xhtml+xml", "application/octet-stream"];

/// The upload in `request`: 415 for a media type not accepted, 400 for a broken multipart body
/// or one without exactly one `file` field, 413 over the size limit, 422 for an empty document.
pub async fn read_upload(request: Request) -> Result<Upload, ApiError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_owned())
        .unwrap_or_default();
    let essence = essence(&content_type);
    if ACCEPTED_TYPES.contains(&essence.as_str()) {
        let bytes = Bytes::from_request(request, &())
            .await
            .map_err(|rejection| body_error(rejection.status(), rejection.body_text()))?;
        return non_empty(Upload { bytes, content_type });
    }
    if essence == "multipart/form-data" {
        return non_empty(read_multipart(request).await?);
    }
    Err(ApiError::UnsupportedMediaType(format!(
        "{} is not accepted: send the document as {}, or as multipart/form-data with a `file` \
         field.",
        if content_type.is_empty() {
            "A body without Content-Type".to_owned()
        } else {
            format!("Content-Type `{}`", content_type.chars().take(80).collect::<String>())
        },
        ACCEPTED_TYPES.join(", ")
    )))
}

async fn read_multipart(request: Request) -> Result<Upload, ApiError> {
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|rejection| body_error(rejection.status(), rejection.body_text()))?;
    let broken =
        |e: MultipartError| body_error(e.status(), format!("The multipart body is broken: {e}."));
    let mut upload = None;
    // Read to the end: a second `file` is refused rather than silently dropped.
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        if field.name() != Some("file") {
            continue;
        }
        if upload.is_some() {
            return Err(ApiError::BadRequest(
                "The multipart body has more than one `file` field: send one document per \
                 request."
                    .to_owned(),
            ));
        }
        let content_type =
            field.content_type().map_or("application/octet-stream", str::trim).to_owned();
        if !ACCEPTED_TYPES.contains(&essence(&content_type).as_str()) {
            return Err(ApiError::UnsupportedMediaType(format!(
                "The `file` part's Content-Type `{}` is not accepted: send {}.",
                content_type.chars().take(80).collect::<String>(),
                ACCEPTED_TYPES.join(", ")
            )));
        }
        let bytes = field.bytes().await.map_err(broken)?;
        upload = Some(Upload { bytes, content_type });
    }
    upload.ok_or_else(|| {
        ApiError::BadRequest(
            "The multipart body has no `file` field: send the document as `file`.".to_owned(),
        )
    })
}

/// 422 for an upload of no bytes, said as such: there is nothing to parse.
fn non_empty(upload: Upload) -> Result<Upload, ApiError> {
    if upload.bytes.is_empty() {
        return Err(ApiError::UnrecognisedDocument {
            detail: "The document is empty: send its bytes as the body (or as the `file` field)."
                .to_owned(),
            found: Vec::new(),
            missing: vec!["any content: the document has 0 bytes".to_owned()],
        });
    }
    Ok(upload)
}

/// The media type without parameters, lower case.
fn essence(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// 413 when the body was over the limit, 400 when it could not be read otherwise.
fn body_error(status: StatusCode, message: String) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge(message)
    } else {
        ApiError::BadRequest(message)
    }
}
