//! Bulk edits over the grid's rows, with a dry run and undo.
//!
//! A bulk edit runs every selected row through the same planner and the same
//! `apply_edit` path as a single edit, inside **one** `BEGIN IMMEDIATE`
//! transaction: the draft rows, their outbox rows and the undo step commit
//! together, or (a dry run, or a crash) not at all. A dry run is that same
//! code with the transaction rolled back, so the preview is exactly what the
//! commit would do. Rows are refused one by one with a reason (a sold
//! listing's title, a price under the floor); bad input (a pattern that does
//! not compile, an unknown category) refuses the whole edit.
//!
//! `plan` (one row: before → after and the edit) ← `price` (the price math);
//! `steps` (the undo steps table; undo, redo).

mod plan;
mod price;
mod steps;

pub(crate) use steps::StepRow;
pub use steps::UNDO_STEPS_KEPT;

use crate::error::StoreError;
use crate::failpoint;
use crate::grid::ids_where;
use crate::snapshot::Snapshot;
use crate::store::Store;
use plan::{RowPlan, check};
use rehome_model::ipc::{
    BulkOp, BulkReport, BulkRequest, BulkStep, PriceChange, ReplaceField, Rounding, UndoReport,
};
use rusqlite::TransactionBehavior;

impl Store {
    /// Runs a bulk edit on the rows `req.filters` select (only those of
    /// `req.ids` when it is given: the grid's selection): previews it
    /// (`dry_run`: nothing is written) or commits it as one transaction and
    /// one undo step.
    #[tracing::instrument(skip(self, req), fields(dry_run = req.dry_run))]
    pub fn bulk_edit(&self, req: &BulkRequest) -> Result<BulkReport, StoreError> {
        let op = check(&req.op)?;
        let now = self.now();
        let mut conn = self.writer();
        let err = self.sqlite_err("the bulk edit");
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        failpoint::hit("bulk:begun");
        let mut ids = ids_where(&tx, &req.filters)?;
        if let Some(only) = &req.ids {
            let only: std::collections::HashSet<_> = only.iter().collect();
            ids.retain(|id| only.contains(id));
        }
        let mut report = BulkReport {
            dry_run: req.dry_run,
            step: None,
            selected: ids.len() as u64,
            changed: 0,
            unchanged: 0,
            refused: 0,
            changes: Vec::new(),
            refusals: Vec::new(),
        };
        let mut undo = Vec::new();
        for id in ids {
            let d = Snapshot::new(&tx).draft(id)?;
            let planned = plan::row(&Snapshot::new(&tx), &d, &op)?;
            let RowPlan::Change {
                field,
                before,
                mut after,
                edit,
            } = planned
            else {
                match planned {
                    RowPlan::Refused(why) => report.refusals.push(steps::refusal_of(&d, why)),
                    _ => report.unchanged += 1,
                }
                continue;
            };
            match self.apply_in(&tx, *edit) {
                Ok(_) => {}
                Err(e @ (StoreError::Invalid { .. } | StoreError::NotReady(_))) => {
                    report.refusals.push(steps::refusal_of(&d, e.to_string()));
                    continue;
                }
                Err(e) => return Err(e),
            }
            if field == "status" {
                // What the row really became (a publish is `queued`).
                after = Snapshot::new(&tx).draft(id)?.status;
            }
            report
                .changes
                .push(steps::change_of(&d, field, &before, &after));
            undo.push(StepRow {
                id,
                field: field.to_owned(),
                before,
                after,
            });
            failpoint::hit("bulk:row_written");
        }
        report.changed = report.changes.len() as u64;
        report.refused = report.refusals.len() as u64;
        if req.dry_run {
            // The preview ran the real code; none of it stays.
            tx.rollback().map_err(&err)?;
            return Ok(report);
        }
        if !undo.is_empty() {
            report.step = Some(steps::record(&tx, &label(&req.op), &undo, now)?);
        }
        failpoint::hit("bulk:before_commit");
        tx.commit().map_err(&err)?;
        failpoint::hit("bulk:after_commit");
        Ok(report)
    }

    /// Records an already-written set of changes as one undo step, inside the
    /// caller's transaction (the CSV import's commit).
    pub(crate) fn record_step(
        &self,
        tx: &rusqlite::Transaction<'_>,
        label: &str,
        rows: &[StepRow],
    ) -> Result<Option<u64>, StoreError> {
        if rows.is_empty() {
            return Ok(None);
        }
        steps::record(tx, label, rows, self.now()).map(Some)
    }

    /// Undoes the newest step not yet undone.
    pub fn bulk_undo(&self) -> Result<UndoReport, StoreError> {
        self.undo_or_redo(false)
    }

    /// Redoes the step undone last.
    pub fn bulk_redo(&self) -> Result<UndoReport, StoreError> {
        self.undo_or_redo(true)
    }

    /// The undo steps, newest first (at most `limit`).
    pub fn bulk_history(&self, limit: u64) -> Result<Vec<BulkStep>, StoreError> {
        self.read(|c| steps::history(c, limit))
    }

    /// One transaction: each row back to its before (undo) or on to its after
    /// (redo), unless it changed since, which is reported (and, for a
    /// guarded field, stored as a conflict) instead of overwritten.
    fn undo_or_redo(&self, redo: bool) -> Result<UndoReport, StoreError> {
        let now = self.now();
        let mut conn = self.writer();
        let err = self.sqlite_err(if redo { "the redo" } else { "the undo" });
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        let Some((step, label)) = steps::next_step(&tx, redo)? else {
            return Err(StoreError::invalid(
                None,
                if redo {
                    "nothing to redo"
                } else {
                    "nothing to undo"
                },
            ));
        };
        let mut report = UndoReport {
            step,
            label,
            changes: Vec::new(),
            conflicts: Vec::new(),
        };
        for row in steps::step_rows(&tx, step)? {
            let (from, to) = if redo {
                (&row.before, &row.after)
            } else {
                (&row.after, &row.before)
            };
            let db = Snapshot::new(&tx);
            let d = db.draft(row.id)?;
            let current = steps::current(&db, &d, &row.field)?;
            if current != *from {
                let why = format!(
                    "{} changed since to {current:?}: kept, not overwritten with {to:?}",
                    row.field
                );
                if let Some(c) = steps::guarded_conflict(&row.field, to, &current) {
                    steps::store_conflict(&tx, row.id, c, &db, now)?;
                }
                report.conflicts.push(steps::refusal_of(&d, why));
                continue;
            }
            let edit = steps::edit_to(&d, &row.field, to)?;
            match self.apply_in(&tx, edit) {
                Ok(_) => {}
                Err(e @ (StoreError::Invalid { .. } | StoreError::NotReady(_))) => {
                    report.conflicts.push(steps::refusal_of(&d, e.to_string()));
                    continue;
                }
                Err(e) => return Err(e),
            }
            let db = Snapshot::new(&tx);
            let reached = steps::current(&db, &db.draft(row.id)?, &row.field)?;
            if reached != *to {
                steps::update_value(&tx, step, &row, redo, &reached)?;
            }
            report
                .changes
                .push(steps::change_of(&d, &row.field, from, &reached));
        }
        steps::set_undone(&tx, step, !redo)?;
        tx.commit().map_err(&err)?;
        Ok(report)
    }
}

/// What the history calls a step, e.g. `price -10.00 % round 99 floor 5.00`.
fn label(op: &BulkOp) -> String {
    match op {
        BulkOp::Price {
            change,
            round,
            floor,
        } => {
            let mut s = match change {
                PriceChange::Set(p) => format!("price set {p}"),
                PriceChange::Add(c) => format!(
                    "price {}{}",
                    if *c < 0 { "" } else { "+" },
                    rehome_model::Money(*c)
                ),
                PriceChange::Percent(bp) => {
                    format!(
                        "price {}{} %",
                        if *bp < 0 { "" } else { "+" },
                        rehome_model::Money(*bp)
                    )
                }
            };
            match round {
                Rounding::None => {}
                Rounding::Whole => s.push_str(" round 00"),
                Rounding::Half => s.push_str(" round 50"),
                Rounding::NinetyNine => s.push_str(" round 99"),
            }
            if let Some(f) = floor {
                s.push_str(&format!(" floor {f}"));
            }
            s
        }
        BulkOp::Set { field, value } => format!("set {} {value:?}", field.as_str()),
        BulkOp::Status { status } => format!("status {status:?}").to_lowercase(),
        BulkOp::DeleteDrafts => "delete drafts".into(),
        BulkOp::Replace {
            pattern,
            replacement,
            regex,
            field,
        } => format!(
            "replace {}{pattern:?} with {replacement:?} in {}",
            if *regex { "regex " } else { "" },
            match field {
                ReplaceField::Title => "titles",
                ReplaceField::Description => "descriptions",
            }
        ),
    }
}
