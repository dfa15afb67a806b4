//! Photos on the device: every photo the feed showed once is kept, so it still
//! shows offline. Files are content the server vouched for (checked to be a
//! JPEG), written atomically: a crash never leaves half a photo behind.

use crate::AppError;
use crate::http::{MAX_PHOTO_BYTES, ServerClient};
use rehome_model::PhotoId;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Which rendition of a photo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoVariant {
    /// Up to 1600 px on the long edge: the listing page.
    Full,
    /// About 400 px: cards and grids.
    Thumb,
}

impl PhotoVariant {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "full" => Some(PhotoVariant::Full),
            "thumb" => Some(PhotoVariant::Thumb),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            PhotoVariant::Full => "full",
            PhotoVariant::Thumb => "thumb",
        }
    }
}

pub(crate) struct ImageCache {
    dir: PathBuf,
}

impl ImageCache {
    pub(crate) fn open(dir: PathBuf) -> Result<Self, AppError> {
        std::fs::create_dir_all(&dir).map_err(|e| AppError::io(&dir, e))?;
        Ok(Self { dir })
    }

    fn path(&self, id: PhotoId, variant: PhotoVariant) -> PathBuf {
        self.dir.join(format!("{id}-{}.jpg", variant.as_str()))
    }

    pub(crate) async fn get_or_fetch(
        &self,
        server: &ServerClient,
        id: PhotoId,
        variant: PhotoVariant,
    ) -> Result<Vec<u8>, AppError> {
        let path = self.path(id, variant);
        match std::fs::read(&path) {
            Ok(bytes) => return Ok(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(AppError::io(path, e)),
        }
        let url = match variant {
            PhotoVariant::Full => format!("/v1/photos/{id}"),
            PhotoVariant::Thumb => format!("/v1/photos/{id}/thumb"),
        };
        let bytes = server.get_bytes(&url, MAX_PHOTO_BYTES).await?;
        if !bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Err(server.bad_reply(format!("photo {id} is not a JPEG")));
        }
        if let Err(e) = write_atomically(&path, &bytes) {
            tracing::warn!(error = %e, "could not cache a photo");
        }
        Ok(bytes)
    }
}

/// Write to a temporary file beside `path`, fsync it, then rename it over `path`.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        std::process::id()
    ));
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        AppError::io(path, e)
    })
}
