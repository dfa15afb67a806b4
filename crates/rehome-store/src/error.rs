//! What the store can fail with. Disk full, a read-only folder and a damaged
//! database each get their own variant and message, because the user can do
//! something different about each.

use rehome_model::ErrorCode;
use rehome_model::draft::Readiness;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the device is full: {context} could not be saved. Free some space; nothing you typed is lost"
    )]
    DiskFull { context: String },
    #[error("the data folder {} cannot be written ({reason}): the change was not saved", path.display())]
    ReadOnly { path: PathBuf, reason: String },
    #[error("the local database {} is damaged ({reason}); it was left as it is for recovery", path.display())]
    Corrupt { path: PathBuf, reason: String },
    #[error(
        "the local database {} was written by a newer version of the app (schema {found}, this app knows {known})", path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{what} not found")]
    NotFound { what: String },
    #[error("{message}")]
    Invalid {
        field: Option<String>,
        message: String,
    },
    #[error("not ready to publish: {}", missing_summary(.0))]
    NotReady(Readiness),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Sqlite(#[source] rusqlite::Error),
    #[error("a stored value could not be read: {0}")]
    Decode(String),
    /// The listing already holds `limit` photos (`draft::PHOTOS_MAX`).
    #[error("a listing holds at most {limit} photos; remove one to add another")]
    TooManyPhotos { limit: usize },
}

fn missing_summary(r: &Readiness) -> String {
    r.missing()
        .map(|i| i.note.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

impl StoreError {
    pub fn code(&self) -> ErrorCode {
        match self {
            StoreError::DiskFull { .. } => ErrorCode::DiskFull,
            StoreError::ReadOnly { .. } => ErrorCode::ReadOnly,
            StoreError::Corrupt { .. } | StoreError::TooNew { .. } => ErrorCode::Corrupt,
            StoreError::NotFound { .. } => ErrorCode::NotFound,
            StoreError::Invalid { .. } | StoreError::NotReady(_) => ErrorCode::Invalid,
            StoreError::Io { source, .. } => match io_kind(source) {
                IoKind::Full => ErrorCode::DiskFull,
                IoKind::ReadOnly => ErrorCode::ReadOnly,
                IoKind::Other => ErrorCode::Internal,
            },
            StoreError::Sqlite(_) | StoreError::Decode(_) => ErrorCode::Internal,
            StoreError::TooManyPhotos { .. } => ErrorCode::TooManyPhotos,
        }
    }

    /// The field the error is about, where there is one.
    pub fn field(&self) -> Option<String> {
        match self {
            StoreError::Invalid { field, .. } => field.clone(),
            StoreError::NotReady(r) => r
                .missing()
                .find_map(|i| i.field)
                .map(|f| f.as_str().to_owned()),
            StoreError::TooManyPhotos { .. } => Some("photos".to_owned()),
            _ => None,
        }
    }

    /// Is this a condition of the device (full, read-only, damaged) rather than
    /// of the request? Edits that fail this way are kept in memory by the app.
    pub fn is_device_fault(&self) -> bool {
        matches!(
            self.code(),
            ErrorCode::DiskFull | ErrorCode::ReadOnly | ErrorCode::Corrupt | ErrorCode::Internal
        )
    }

    pub(crate) fn not_found(what: impl Into<String>) -> Self {
        StoreError::NotFound { what: what.into() }
    }

    pub(crate) fn invalid(field: Option<&str>, message: impl Into<String>) -> Self {
        StoreError::Invalid {
            field: field.map(str::to_owned),
            message: message.into(),
        }
    }
}

enum IoKind {
    Full,
    ReadOnly,
    Other,
}

fn io_kind(e: &std::io::Error) -> IoKind {
    match e.raw_os_error() {
        Some(28) | Some(122) => IoKind::Full, // ENOSPC, EDQUOT
        Some(30) | Some(13) | Some(1) => IoKind::ReadOnly, // EROFS, EACCES, EPERM
        _ => IoKind::Other,
    }
}

/// Turns an IO error on `path` into the right variant.
pub(crate) fn from_io(path: &Path, e: std::io::Error, context: &str) -> StoreError {
    match io_kind(&e) {
        IoKind::Full => StoreError::DiskFull {
            context: context.to_owned(),
        },
        IoKind::ReadOnly => StoreError::ReadOnly {
            path: path.to_owned(),
            reason: e.to_string(),
        },
        IoKind::Other => StoreError::Io {
            path: path.to_owned(),
            source: e,
        },
    }
}

/// Turns a SQLite error on the database in `dir` into the right variant. When
/// SQLite's own code is not specific (it cannot open a file, or an IO error),
/// the folder is probed for writability, so a read-only folder says so.
pub(crate) fn from_sqlite(db: &Path, e: rusqlite::Error, context: &str) -> StoreError {
    use rusqlite::ErrorCode as C;
    let code = match &e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    };
    match code {
        Some(C::DiskFull) => StoreError::DiskFull {
            context: context.to_owned(),
        },
        Some(C::DatabaseCorrupt) | Some(C::NotADatabase) => StoreError::Corrupt {
            path: db.to_owned(),
            reason: e.to_string(),
        },
        Some(C::ReadOnly)
        | Some(C::CannotOpen)
        | Some(C::SystemIoFailure)
        | Some(C::PermissionDenied) => match probe_writable(db) {
            Err(p) => p,
            Ok(()) if code == Some(C::ReadOnly) => StoreError::ReadOnly {
                path: db.to_owned(),
                reason: e.to_string(),
            },
            Ok(()) => StoreError::Sqlite(e),
        },
        _ => StoreError::Sqlite(e),
    }
}

/// Creates and removes a probe file beside the database: the honest test of
/// "can we write here" (permissions, a read-only mount, a full disk).
pub(crate) fn probe_writable(db: &Path) -> Result<(), StoreError> {
    let dir = db.parent().unwrap_or(Path::new("."));
    let probe = dir.join(".rehome-write-probe");
    let result = std::fs::write(&probe, b"probe");
    let _ = std::fs::remove_file(&probe);
    match result {
        Ok(()) => Ok(()),
        Err(e) => Err(from_io(dir, e, "the probe file")),
    }
}

pub(crate) fn migration_error(db: &Path, e: rusqlite_migration::Error) -> StoreError {
    match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => from_sqlite(db, err, "the upgrade"),
        other => StoreError::Decode(format!("migration: {other}")),
    }
}
