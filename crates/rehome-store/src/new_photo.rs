//! A photo to attach: JPEG bytes with the facts the store records about them
//! (SHA-256, width, height). Its bytes are checked once, however it is made:
//!
//! - [`NewPhoto::from_pipeline`] takes the photo pipeline's own result
//!   (`rehome_photo::Encoded`), whose encoder hashed and measured the bytes
//!   it wrote: the facts are taken as they are and nothing is read again.
//! - [`NewPhoto::checked`] is for bytes from anywhere else, with a claimed
//!   hash: they are hashed here, and refused when the claim is wrong.

use crate::error::StoreError;
use sha2::{Digest, Sha256};

/// The largest photo file the store accepts (already compressed by the pipeline).
pub const PHOTO_BYTES_MAX: usize = 16 * 1024 * 1024;

/// A photo to attach. Made only by [`NewPhoto::from_pipeline`] or
/// [`NewPhoto::checked`], so its size is in bounds and its hash is its bytes'.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPhoto {
    jpeg: Vec<u8>,
    width: u32,
    height: u32,
    /// Lower-case hex SHA-256 of `jpeg`.
    sha256: String,
}

impl NewPhoto {
    /// The photo pipeline's result (`rehome_photo::Encoded`: its JPEG, size
    /// and SHA-256, computed while encoding): nothing is hashed or parsed
    /// again. Refused only when the bytes are out of bounds (empty, or over
    /// `PHOTO_BYTES_MAX`, 16 MiB).
    pub fn from_pipeline(
        jpeg: Vec<u8>,
        width: u32,
        height: u32,
        sha256: [u8; 32],
    ) -> Result<NewPhoto, StoreError> {
        check_len(jpeg.len())?;
        Ok(NewPhoto {
            jpeg,
            width,
            height,
            sha256: rehome_model::hex(&sha256),
        })
    }

    /// JPEG bytes that did not come from the pipeline on this device, with the
    /// lower-case (or upper-case) hex SHA-256 their sender claims: the bytes
    /// are hashed once, here, and refused (`Invalid`, field `photos`) when out
    /// of bounds or when the hash is not theirs.
    pub fn checked(
        jpeg: Vec<u8>,
        width: u32,
        height: u32,
        claimed_sha256: &str,
    ) -> Result<NewPhoto, StoreError> {
        check_len(jpeg.len())?;
        let sha256 = format!("{:x}", Sha256::digest(&jpeg));
        if sha256 != claimed_sha256.to_ascii_lowercase() {
            return Err(StoreError::invalid(
                Some("photos"),
                "the photo's SHA-256 does not match its bytes",
            ));
        }
        Ok(NewPhoto {
            jpeg,
            width,
            height,
            sha256,
        })
    }

    pub fn jpeg(&self) -> &[u8] {
        &self.jpeg
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    /// Lower-case hex SHA-256 of [`NewPhoto::jpeg`].
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The bytes, for the file the edit writes.
    pub(crate) fn into_jpeg(self) -> Vec<u8> {
        self.jpeg
    }
}

fn check_len(len: usize) -> Result<(), StoreError> {
    if len == 0 || len > PHOTO_BYTES_MAX {
        return Err(StoreError::invalid(
            Some("photos"),
            format!(
                "a photo must be 1 byte to {} MiB (got {len} bytes)",
                PHOTO_BYTES_MAX >> 20
            ),
        ));
    }
    Ok(())
}
