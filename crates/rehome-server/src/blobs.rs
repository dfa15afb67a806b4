//! Photo bytes on disk, named by their SHA-256: `DIR/blobs/<sha256>.jpg`.
//! Content addressing makes dedupe free and every file immutable, so it can be
//! served with a strong ETag and cached forever.
//!
//! A row naming a blob must never outlive its file. Whoever writes files and
//! then records them (an upload's finish, a demo drawing), relies on a file
//! being there (dedupe), or deletes rows and then their files (the upload GC)
//! does so holding [`BlobStore::lock`], so none of them sees another half done.

use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Clone, Debug)]
pub struct BlobStore {
    dir: PathBuf,
    files: Arc<Mutex<()>>,
}

/// The right to change which blob files exist (see the module doc).
pub struct FilesGuard<'a>(#[allow(dead_code)] MutexGuard<'a, ()>);

/// The lower-case hex SHA-256 of `bytes` (a blob's name).
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// True for a lower-case hex SHA-256.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl BlobStore {
    pub fn open(data_dir: &Path) -> std::io::Result<Self> {
        let dir = data_dir.join("blobs");
        std::fs::create_dir_all(&dir)?;
        Ok(Self {
            dir,
            files: Arc::default(),
        })
    }

    /// Waits for the right to write, rely on or remove blob files.
    pub fn lock(&self) -> FilesGuard<'_> {
        FilesGuard(self.files.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// True if the file for `sha256` is really there.
    pub fn has(&self, sha256: &str) -> bool {
        self.path_of(sha256).is_file()
    }

    /// Removes the file for `sha256` (nothing if it is not there).
    pub fn remove(&self, _files: &FilesGuard<'_>, sha256: &str) {
        let _ = std::fs::remove_file(self.path_of(sha256));
    }

    pub fn path_of(&self, sha256: &str) -> PathBuf {
        self.dir.join(format!("{sha256}.jpg"))
    }

    /// Stores `bytes` (temp file, fsync, rename, fsync of the directory)
    /// unless present; returns the hash.
    pub fn put(&self, _files: &FilesGuard<'_>, bytes: &[u8]) -> std::io::Result<String> {
        let sha = sha256_hex(bytes);
        let path = self.path_of(&sha);
        if path.exists() {
            return Ok(sha);
        }
        // A name of its own per writer: two requests may store the same content at once.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = self
            .dir
            .join(format!(".{sha}.{}.{n}.tmp", std::process::id()));
        let written = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            drop(f);
            std::fs::rename(&tmp, &path)?;
            // The rename itself is durable only once the directory is synced.
            #[cfg(unix)]
            std::fs::File::open(&self.dir)?.sync_all()?;
            Ok(())
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written.map(|()| sha)
    }
}
