//! Small files the app rewrites whole (settings, the signed-in account, kept
//! originals): a kill leaves either the old file or the new one, never half.

use crate::AppError;
use std::io::Write;
use std::path::Path;

/// Writes `name` in `dir` through a synced temp file and a rename.
pub(crate) fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), AppError> {
    write_with_mode(dir, name, bytes, 0o644)
}

/// [`write`], readable and writable by this user only (mode 0600 from the
/// moment the file exists, before any byte is in it).
pub(crate) fn write_private(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), AppError> {
    write_with_mode(dir, name, bytes, 0o600)
}

fn write_with_mode(dir: &Path, name: &str, bytes: &[u8], mode: u32) -> Result<(), AppError> {
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::create_dir_all(dir).map_err(|e| AppError::io(dir, e))?;
    let write = || -> std::io::Result<()> {
        let _ = std::fs::remove_file(&tmp);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
        #[cfg(not(unix))]
        let _ = mode;
        let mut file = options.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        std::fs::File::open(dir)?.sync_all()
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        AppError::io(&path, e)
    })
}
