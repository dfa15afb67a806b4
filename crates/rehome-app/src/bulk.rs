//! Bulk edits, their undo steps and CSV imports: one transaction each in the
//! store, then a nudge to the background sync.

use crate::{App, AppError};
use rehome_model::ipc::{BulkReport, BulkRequest, BulkStep, UndoReport};

/// How many undo steps the history lists.
const HISTORY_SHOWN: u64 = 200;

impl App {
    /// Previews (`dry_run`) or commits a bulk edit on the rows its filters select.
    #[tracing::instrument(skip_all, fields(dry_run = req.dry_run))]
    pub fn bulk_edit(&self, req: BulkRequest) -> Result<BulkReport, AppError> {
        let report = self.store()?.bulk_edit(&req)?;
        if report.step.is_some() {
            self.sync_trigger.nudge();
        }
        Ok(report)
    }

    /// Undoes the last bulk edit or import (its reverse edits go out at the next sync).
    #[tracing::instrument(skip_all)]
    pub fn bulk_undo(&self) -> Result<UndoReport, AppError> {
        let report = self.store()?.bulk_undo()?;
        self.sync_trigger.nudge();
        Ok(report)
    }

    /// Redoes what was undone last.
    #[tracing::instrument(skip_all)]
    pub fn bulk_redo(&self) -> Result<UndoReport, AppError> {
        let report = self.store()?.bulk_redo()?;
        self.sync_trigger.nudge();
        Ok(report)
    }

    /// The undo steps, newest first.
    #[tracing::instrument(skip_all)]
    pub fn bulk_history(&self) -> Result<Vec<BulkStep>, AppError> {
        Ok(self.store()?.bulk_history(HISTORY_SHOWN)?)
    }
}
