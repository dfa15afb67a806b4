//! Photo files: `photos/<sha256>.jpg`, content-addressed, so a duplicated draft
//! shares its files and an identical photo is stored once.
//!
//! Writing: a temp file, fsync, rename over the final name, fsync the folder;
//! all inside the edit's write transaction, before the row is inserted. A crash
//! anywhere leaves at worst a temp file or an unreferenced file, which the
//! start-up reconciliation removes; never a row without its complete file.

use crate::error::{self, StoreError};
use crate::failpoint;
use rusqlite::{Connection, TransactionBehavior};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

/// What the start-up reconciliation did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReconcileReport {
    /// Temp files left by an interrupted write, removed.
    pub temp_removed: Vec<String>,
    /// Complete files no row refers to, removed.
    pub orphans_removed: Vec<String>,
    /// Photos whose file is gone or damaged: (draft, photo), flagged on the row
    /// and shown on the draft.
    pub missing: Vec<(String, String)>,
}

impl ReconcileReport {
    pub fn is_clean(&self) -> bool {
        self.temp_removed.is_empty() && self.orphans_removed.is_empty() && self.missing.is_empty()
    }
}

pub(crate) fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
    let final_path = dir.join(name);
    if let Ok(meta) = std::fs::metadata(&final_path)
        && meta.len() == bytes.len() as u64
    {
        // Content-addressed and renamed into place only when complete: the
        // same name and length is the same photo.
        return Ok(());
    }
    let tmp = dir.join(format!(".{name}.tmp"));
    let io = |e| error::from_io(dir, e, "the photo");
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        f.write_all(bytes).map_err(io)?;
        failpoint::hit("photo:after_temp_write");
        f.sync_all().map_err(io)?;
        drop(f);
        failpoint::hit("photo:after_fsync");
        std::fs::rename(&tmp, &final_path).map_err(io)?;
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io)?;
        failpoint::hit("photo:after_rename");
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Removes `file` if no photo row refers to it any more (after a commit that
/// deleted a row). The check and the removal run under the write lock, so
/// another process attaching the same photo (which writes the file inside its
/// own write transaction) cannot lose its file in between. A crash before this
/// leaves an orphan for the next start-up.
pub(crate) fn release_file(conn: &Connection, dir: &Path, file: &str) {
    if conn.execute_batch("BEGIN IMMEDIATE").is_err() {
        return; // The next start-up collects it.
    }
    let used: Result<bool, _> = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM photos WHERE file = ?1)",
        [file],
        |r| r.get(0),
    );
    if let Ok(false) = used
        && let Err(e) = std::fs::remove_file(dir.join(file))
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(file, error = %e, "could not remove a released photo file");
    }
    let _ = conn.execute_batch("COMMIT");
}

/// Start-up: temp files and unreferenced files are removed; rows whose file is
/// gone (or has the wrong length) are flagged `file_missing`, and rows whose
/// file came back are unflagged. Runs under the write lock, so it cannot race
/// an edit that is writing a file.
pub(crate) fn reconcile(
    conn: &mut Connection,
    db: &Path,
    dir: &Path,
) -> Result<ReconcileReport, StoreError> {
    let err = |e| error::from_sqlite(db, e, "the photo check");
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(err)?;
    let mut report = ReconcileReport::default();
    let rows: Vec<(String, String, String, i64, bool)> = {
        let mut stmt = tx
            .prepare("SELECT id, listing_id, file, byte_len, file_missing FROM photos")
            .map_err(err)?;
        stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get::<_, i64>(4)? != 0,
            ))
        })
        .map_err(err)?
        .collect::<Result<_, _>>()
        .map_err(err)?
    };
    let referenced: BTreeSet<&str> = rows.iter().map(|r| r.2.as_str()).collect();
    let entries = std::fs::read_dir(dir).map_err(|e| error::from_io(dir, e, "the photo folder"))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".tmp") {
            if std::fs::remove_file(entry.path()).is_ok() {
                report.temp_removed.push(name);
            }
        } else if !referenced.contains(name.as_str())
            && name.ends_with(".jpg")
            && std::fs::remove_file(entry.path()).is_ok()
        {
            report.orphans_removed.push(name);
        }
    }
    for (id, listing, file, len, flagged) in &rows {
        let ok = std::fs::metadata(dir.join(file))
            .map(|m| m.len() == *len as u64)
            .unwrap_or(false);
        if !ok {
            report.missing.push((listing.clone(), id.clone()));
        }
        if ok == *flagged {
            tx.execute(
                "UPDATE photos SET file_missing = ?2 WHERE id = ?1",
                rusqlite::params![id, !ok as i64],
            )
            .map_err(err)?;
        }
    }
    tx.commit().map_err(err)?;
    report.temp_removed.sort();
    report.orphans_removed.sort();
    Ok(report)
}
