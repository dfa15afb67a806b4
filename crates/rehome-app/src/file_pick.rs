//! Files the seller picks in the native dialog, for the grid's CSV import
//! and export. The dialog is opened by the core (through the [`FileDialog`]
//! the shell gives it), the chosen path stays here under a token, and the
//! webview only ever sees the token and the file's name: it never names a
//! path (an ARCHITECTURE invariant).
//!
//! End-to-end tests cannot drive a native dialog through WebDriver: with
//! [`E2E_PICK_ENV`] (or [`E2E_SAVE_ENV`]) set, the core takes that path
//! instead of opening the dialog. Only the environment the app was started
//! with can set it, never the webview.

use crate::{App, AppError, CsvImportOptions};
use rehome_model::ipc::{
    CsvExported, CsvImportReport, CsvImportRequest, GridFilterRequest, PickedFile,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A file to import is this path instead of the one the dialog would pick.
pub const E2E_PICK_ENV: &str = "REHOME_E2E_PICK_FILE";
/// An export goes to this path instead of the one the save dialog would pick.
pub const E2E_SAVE_ENV: &str = "REHOME_E2E_SAVE_FILE";

/// The name an export suggests in the save dialog.
const EXPORT_NAME: &str = "rehome-listings.csv";

/// The platform's file dialogs, given by the shell. Each call blocks until
/// the seller chose (`Some`) or cancelled (`None`).
pub trait FileDialog: Send + Sync {
    /// A CSV file to open.
    fn open_csv(&self) -> Option<PathBuf>;
    /// Where to save a CSV file, `suggested` as the name offered.
    fn save_csv(&self, suggested: &str) -> Option<PathBuf>;
}

/// The dialog, and the files picked so far, by token.
#[derive(Default)]
pub(crate) struct Picks {
    dialog: Mutex<Option<Arc<dyn FileDialog>>>,
    files: Mutex<HashMap<u64, PathBuf>>,
    next: Mutex<u64>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn env_path(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn no_dialog() -> AppError {
    AppError::Invalid {
        field: "file",
        message: "this device has no file dialog: use `rehome csv import FILE` instead".into(),
    }
}

impl Picks {
    fn dialog(&self) -> Result<Arc<dyn FileDialog>, AppError> {
        lock(&self.dialog).clone().ok_or_else(no_dialog)
    }

    fn keep(&self, path: PathBuf) -> PickedFile {
        let mut next = lock(&self.next);
        *next += 1;
        let token = *next;
        let name = file_name(&path);
        lock(&self.files).insert(token, path);
        PickedFile {
            token,
            file_name: name,
        }
    }

    fn path(&self, token: u64) -> Result<PathBuf, AppError> {
        lock(&self.files)
            .get(&token)
            .cloned()
            .ok_or_else(|| AppError::Invalid {
                field: "token",
                message: format!("no picked file has token {token}: pick the file again"),
            })
    }
}

impl App {
    /// Gives the core the platform's file dialogs (the shell does, at start).
    pub fn set_file_dialog(&self, dialog: Arc<dyn FileDialog>) {
        *lock(&self.picks.dialog) = Some(dialog);
    }

    /// Opens the dialog for a CSV file to import and keeps the path the seller
    /// chose; replies with its token and name (`None`: cancelled).
    #[tracing::instrument(skip_all)]
    pub fn csv_import_pick(&self) -> Result<Option<PickedFile>, AppError> {
        let path = match env_path(E2E_PICK_ENV) {
            Some(p) => Some(p),
            None => self.picks.dialog()?.open_csv(),
        };
        Ok(path.map(|p| self.picks.keep(p)))
    }

    /// Previews (`dry_run`) or imports the file picked under `req.token`.
    /// A commit uses the token up, so a double click cannot import twice.
    #[tracing::instrument(skip_all, fields(token = req.token, dry_run = req.dry_run))]
    pub fn csv_import_file(&self, req: CsvImportRequest) -> Result<CsvImportReport, AppError> {
        let path = self.picks.path(req.token)?;
        let options = CsvImportOptions {
            dry_run: req.dry_run,
            encoding: req.encoding,
            ..Default::default()
        };
        if !req.dry_run {
            lock(&self.picks.files).remove(&req.token);
        }
        let bytes = std::fs::read(&path).map_err(|e| AppError::Invalid {
            field: "file",
            message: format!("{}: {e}", file_name(&path)),
        });
        let result = bytes.and_then(|b| self.csv_import_bytes(&b, &file_name(&path), &options));
        if result.is_err() && !req.dry_run {
            // Nothing was imported: the file may be tried again.
            lock(&self.picks.files).insert(req.token, path);
        }
        result
    }

    /// Opens the save dialog and writes the rows `req.filters` select there
    /// (`None`: cancelled).
    #[tracing::instrument(skip_all)]
    pub fn csv_export_save(&self, req: GridFilterRequest) -> Result<Option<CsvExported>, AppError> {
        let path = match env_path(E2E_SAVE_ENV) {
            Some(p) => p,
            None => match self.picks.dialog()?.save_csv(EXPORT_NAME) {
                Some(p) => p,
                None => return Ok(None),
            },
        };
        let rows = self.store()?.grid_count(&req.filters)?;
        let bytes = self.csv_export_to(&path, &req.filters)?;
        Ok(Some(CsvExported {
            file_name: file_name(&path),
            rows,
            bytes,
        }))
    }
}
