//! Device faults for real: a full disk (a size-limited tmpfs), a read-only
//! folder (chmod when not root; a read-only bind mount when root, because root
//! ignores file permissions), and a damaged database file (garbage written
//! over it). Each gives its own error; nothing acknowledged is lost.
//!
//! Mounting needs root (CAP_SYS_ADMIN); without it the mount-based cases print
//! why they are skipped and return.

use crate::common::*;
use rehome_model::ErrorCode;
use rehome_model::draft::DraftField;
use rehome_store::{Edit, Store, StoreError};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

fn is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

/// A mount made for one test, undone when dropped.
pub struct Mount {
    path: PathBuf,
    _parent: tempfile::TempDir,
}

impl Mount {
    fn run(args: &[&str]) -> Result<(), String> {
        let out = Command::new("mount")
            .args(args)
            .output()
            .map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
        }
    }

    /// A tmpfs of `kib` KiB.
    pub fn tmpfs(kib: u64) -> Result<Mount, String> {
        let parent = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = parent.path().join("small");
        std::fs::create_dir(&path).map_err(|e| e.to_string())?;
        let p = path.to_str().unwrap().to_owned();
        Self::run(&["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs", &p])?;
        Ok(Mount {
            path,
            _parent: parent,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

/// Makes `dir` unwritable for real: a read-only bind mount over it when root
/// (root ignores permissions), chmod a-w of the folder and its files otherwise.
/// Returns what to undo.
enum ReadOnly {
    Bind(PathBuf),
    Chmod(Vec<(PathBuf, u32)>),
}

impl ReadOnly {
    fn apply(dir: &Path) -> Result<ReadOnly, String> {
        if is_root() {
            let p = dir.to_str().unwrap();
            Mount::run(&["--bind", p, p])?;
            if let Err(e) = Mount::run(&["-o", "remount,bind,ro", p]) {
                let _ = Command::new("umount").arg(p).status();
                return Err(e);
            }
            Ok(ReadOnly::Bind(dir.to_owned()))
        } else {
            let mut undo = Vec::new();
            let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            paths.push(dir.to_owned());
            for p in paths {
                let mode = std::fs::metadata(&p).unwrap().permissions().mode();
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode & !0o222))
                    .unwrap();
                undo.push((p, mode));
            }
            Ok(ReadOnly::Chmod(undo))
        }
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        match self {
            ReadOnly::Bind(p) => {
                let _ = Command::new("umount").arg(&*p).status();
            }
            ReadOnly::Chmod(undo) => {
                for (p, mode) in undo.iter().rev() {
                    let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(*mode));
                }
            }
        }
    }
}

/// Fills the file system holding `dir` until it refuses more bytes.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let chunk = vec![0u8; 16 * 1024];
    while f.write_all(&chunk).is_ok() {}
    let small = [0u8; 512];
    while f.write_all(&small).is_ok() {}
    let _ = f.sync_all();
    path
}

#[test]
fn a_full_disk_says_so_and_keeps_every_acknowledged_edit() {
    let mount = match Mount::tmpfs(2048) {
        Ok(m) => m,
        Err(e) => {
            println!("SKIPPED: cannot mount a small tmpfs to fill ({e}); needs root");
            return;
        }
    };
    let (_c, store) = open_in(mount.path(), 11);
    let id = create(&store, complete_values());
    let filler = fill(mount.path());
    let mut acked = String::new();
    let mut failure = None;
    for i in 0..200 {
        let text = format!("{i:04}{}", "d".repeat(60_000));
        match store.apply_edit(Edit::SetField {
            id,
            field: DraftField::Description,
            text: text.clone(),
        }) {
            Ok(_) => acked = text,
            Err(e) => {
                failure = Some((e, text));
                break;
            }
        }
    }
    let (err, unsaved) = failure.expect("a full 2 MiB disk refused none of 200 60 KB edits");
    assert_eq!(err.code(), ErrorCode::DiskFull, "{err:?}");
    assert!(matches!(err, StoreError::DiskFull { .. }));
    assert!(err.to_string().contains("full"), "{err}");
    // A photo cannot be written either, and leaves no temp file behind.
    let photo_err = store
        .apply_edit(Edit::AttachPhoto {
            id,
            photo: jpeg(1, 300_000),
        })
        .unwrap_err();
    assert_eq!(photo_err.code(), ErrorCode::DiskFull, "{photo_err:?}");
    assert!(
        std::fs::read_dir(store.photos_dir())
            .unwrap()
            .next()
            .is_none()
    );
    // Nothing acknowledged was lost, even before space comes back.
    assert_eq!(store.get_draft(id).unwrap().values.description, acked);
    // Space comes back: the same edit saves.
    std::fs::remove_file(filler).unwrap();
    store
        .apply_edit(Edit::SetField {
            id,
            field: DraftField::Description,
            text: unsaved.clone(),
        })
        .unwrap();
    drop(store);
    let (_c, store) = open_in(mount.path(), 11);
    assert_eq!(store.get_draft(id).unwrap().values.description, unsaved);
    assert_clean(&store);
}

#[test]
fn a_read_only_folder_says_so_at_open_and_on_edit() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = {
        let (_c, s) = open_in(&data, 12);
        create(&s, complete_values())
    };
    // Opened before the folder turns read-only: the edit fails as read-only.
    let (_c, open_store) = open_in(&data, 12);
    let guard = match ReadOnly::apply(&data) {
        Ok(g) => g,
        Err(e) => {
            println!("SKIPPED: cannot make the folder read-only ({e})");
            return;
        }
    };
    let how = if is_root() {
        "read-only bind mount (root)"
    } else {
        "chmod a-w"
    };
    // Files already open stay writable through their descriptors (that is
    // Unix), so the open store's next *new* file is where it shows: a photo.
    let err = open_store
        .apply_edit(Edit::AttachPhoto {
            id,
            photo: jpeg(3, 1000),
        })
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ReadOnly, "{how}: {err:?}");
    assert!(err.to_string().contains("cannot be written"), "{err}");
    drop(open_store);
    // Opened while read-only: refused at open, clearly.
    let err = Store::open_default(&data).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ReadOnly, "{how}: {err:?}");
    drop(guard);
    let (_c, s) = open_in(&data, 12);
    assert_eq!(s.get_draft(id).unwrap().values.title, "Linen shirt");
    assert_clean(&s);
    println!("read-only folder made with: {how}");
}

/// Each case damages the file differently; each must give `Corrupt`, and the
/// file must be left as it was (for recovery), not replaced.
#[test]
fn a_damaged_database_is_reported_and_left_alone() {
    fn check(name: &str, damage: impl Fn(&Path)) {
        let dir = tempfile::tempdir().unwrap();
        {
            let (_c, s) = open_in(dir.path(), 13);
            for i in 0..50 {
                let id = create(&s, complete_values());
                set(
                    &s,
                    id,
                    DraftField::Description,
                    &format!("{i} {}", "x".repeat(3000)),
                );
            }
        }
        let db = dir.path().join(rehome_store::DB_FILE);
        // Checkpoint fully so the damage hits the main file's pages.
        rusqlite::Connection::open(&db)
            .unwrap()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
        damage(&db);
        let before = std::fs::read(&db).unwrap();
        let err = Store::open_default(dir.path()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Corrupt, "{name}: {err:?}");
        assert!(err.to_string().contains("damaged"), "{name}: {err}");
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "{name}: the file was changed"
        );
    }
    check("all garbage", |db| {
        let len = std::fs::metadata(db).unwrap().len() as usize;
        std::fs::write(db, vec![0xA5u8; len]).unwrap();
    });
    check("garbage over the pages, header intact", |db| {
        let mut bytes = std::fs::read(db).unwrap();
        for b in bytes[4096..].iter_mut().step_by(7) {
            *b ^= 0x5A;
        }
        std::fs::write(db, bytes).unwrap();
    });
    check("truncated to half", |db| {
        let len = std::fs::metadata(db).unwrap().len();
        std::fs::OpenOptions::new()
            .write(true)
            .open(db)
            .unwrap()
            .set_len(len / 2)
            .unwrap();
    });
}
