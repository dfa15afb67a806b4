//! Small files the app rewrites whole (settings, the signed-in account, kept
//! originals): a kill leaves either the old file or the new one, never half.

use crate::AppError;
use std::io::Write;
use std::path::Path;

/// Writes `name` in `dir` through a synced temp file and a rename.
pub(crate) fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), AppError> {
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::create_dir_all(dir).map_err(|e| AppError::io(dir, e))?;
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
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
