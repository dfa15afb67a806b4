//! A photo to attach, and the checks its bytes pass before the store takes them.

use crate::error::StoreError;
use sha2::{Digest, Sha256};

/// The largest photo file the store accepts (already compressed by the pipeline).
pub const PHOTO_BYTES_MAX: usize = 16 * 1024 * 1024;

/// A photo to attach: JPEG bytes as the photo pipeline produced them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPhoto {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Lower-case hex SHA-256 of `jpeg` (checked).
    pub sha256: String,
}

/// Checks a photo's size and hash; returns its lower-case hex SHA-256.
pub(crate) fn checked_sha256(photo: &NewPhoto) -> Result<String, StoreError> {
    if photo.jpeg.is_empty() || photo.jpeg.len() > PHOTO_BYTES_MAX {
        return Err(StoreError::invalid(
            Some("photos"),
            format!(
                "a photo must be 1 byte to {} MiB (got {} bytes)",
                PHOTO_BYTES_MAX >> 20,
                photo.jpeg.len()
            ),
        ));
    }
    let sha = format!("{:x}", Sha256::digest(&photo.jpeg));
    if sha != photo.sha256.to_ascii_lowercase() {
        return Err(StoreError::invalid(
            Some("photos"),
            "the photo's SHA-256 does not match its bytes",
        ));
    }
    Ok(sha)
}
