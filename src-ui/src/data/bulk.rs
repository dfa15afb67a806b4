//! Bulk edits from the grid's toolbar, their undo and redo, and CSV files:
//! every edit is previewed first (the core's dry run, row by row), then
//! committed as one undo step; an import is previewed from the file the
//! core's dialog picked (the page only ever holds its token and name).

use super::grid::GridState;
use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::ApiError;
use rehome_model::ipc::{
    BulkEditCmd, BulkOp, BulkRedoCmd, BulkReport, BulkRequest, BulkUndoCmd, CsvExportCmd,
    CsvImportCmd, CsvImportPickCmd, CsvImportReport, CsvImportRequest, GridFilterRequest,
    PickedFile, UndoReport,
};

/// A bulk edit shown before it is committed.
#[derive(Clone)]
pub struct BulkPreview {
    pub request: BulkRequest,
    pub report: BulkReport,
}

/// An import shown before it is committed.
#[derive(Clone)]
pub struct CsvPreview {
    pub file: PickedFile,
    pub report: CsvImportReport,
}

/// What the last commit, undo or redo did, for the status line.
#[derive(Clone)]
pub enum Done {
    Committed(BulkReport),
    Undone(UndoReport),
    Redone(UndoReport),
    Imported(CsvImportReport),
    Exported { file: String, rows: u64 },
}

/// Shared through context.
#[derive(Clone, Copy)]
pub struct BulkState {
    grid: GridState,
    pub preview: RwSignal<Option<BulkPreview>>,
    pub csv: RwSignal<Option<CsvPreview>>,
    pub done: RwSignal<Option<Done>>,
    pub busy: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
}

impl BulkState {
    pub fn new(grid: GridState) -> Self {
        Self {
            grid,
            preview: RwSignal::new(None),
            csv: RwSignal::new(None),
            done: RwSignal::new(None),
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    /// Runs `work` unless something runs already, showing its error if it fails.
    fn run<F>(self, work: F)
    where
        F: std::future::Future<Output = Result<(), ApiError>> + 'static,
    {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        spawn_local(async move {
            let result = work.await;
            self.busy.set(false);
            match result {
                Ok(()) => self.error.set(None),
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// Previews `op` on the selection (or, with none, nothing).
    pub fn preview(self, op: BulkOp) {
        let grid = self.grid;
        self.run(async move {
            let ids = grid.target_ids().await?;
            let request = BulkRequest {
                op,
                filters: grid.filters(),
                ids,
                dry_run: true,
            };
            let report = ipc::invoke::<BulkEditCmd>(&request).await?;
            self.preview.set(Some(BulkPreview { request, report }));
            Ok(())
        });
    }

    /// Commits the edit previewed: the same request, not a dry run.
    pub fn commit(self) {
        let Some(preview) = self.preview.get_untracked() else {
            return;
        };
        self.run(async move {
            let request = BulkRequest {
                dry_run: false,
                ..preview.request
            };
            let report = ipc::invoke::<BulkEditCmd>(&request).await?;
            self.preview.set(None);
            self.done.set(Some(Done::Committed(report)));
            self.after_change();
            Ok(())
        });
    }

    pub fn cancel(self) {
        self.preview.set(None);
        self.csv.set(None);
    }

    pub fn undo(self) {
        self.run(async move {
            let report = ipc::invoke::<BulkUndoCmd>(&()).await?;
            self.done.set(Some(Done::Undone(report)));
            self.after_change();
            Ok(())
        });
    }

    pub fn redo(self) {
        self.run(async move {
            let report = ipc::invoke::<BulkRedoCmd>(&()).await?;
            self.done.set(Some(Done::Redone(report)));
            self.after_change();
            Ok(())
        });
    }

    /// Opens the core's file dialog, then previews the file picked.
    pub fn import_pick(self) {
        self.run(async move {
            let Some(file) = ipc::invoke::<CsvImportPickCmd>(&()).await? else {
                return Ok(()); // cancelled
            };
            let report = ipc::invoke::<CsvImportCmd>(&CsvImportRequest {
                token: file.token,
                dry_run: true,
                encoding: None,
            })
            .await?;
            self.csv.set(Some(CsvPreview { file, report }));
            Ok(())
        });
    }

    /// Imports the file previewed.
    pub fn import_commit(self) {
        let Some(preview) = self.csv.get_untracked() else {
            return;
        };
        self.run(async move {
            let report = ipc::invoke::<CsvImportCmd>(&CsvImportRequest {
                token: preview.file.token,
                dry_run: false,
                encoding: None,
            })
            .await?;
            self.csv.set(None);
            self.done.set(Some(Done::Imported(report)));
            self.after_change();
            Ok(())
        });
    }

    /// Exports the filtered rows where the core's save dialog says.
    pub fn export(self) {
        let filters = self.grid.filters();
        self.run(async move {
            if let Some(saved) = ipc::invoke::<CsvExportCmd>(&GridFilterRequest { filters }).await?
            {
                self.done.set(Some(Done::Exported {
                    file: saved.file_name,
                    rows: saved.rows,
                }));
            }
            Ok(())
        });
    }

    fn after_change(self) {
        self.grid.reload();
    }
}
