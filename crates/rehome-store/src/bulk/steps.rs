//! Undo steps, kept in the store (they survive a restart): each committed bulk
//! edit or import is one step with its rows' before and after values. Undo
//! puts back the befores, redo the afters, each as ordinary edits (so they go
//! out through the outbox); a row whose value is no longer what the step left
//! (someone changed it since) is left alone and reported, and for a guarded
//! field (price, quantity, status) stored as a conflict for the seller.

use crate::edit::Edit;
use crate::error::StoreError;
use crate::rows::{DraftRow, parse_id};
use crate::snapshot::Snapshot;
use rehome_model::ListingId;
use rehome_model::draft::{DraftField, parse_price};
use rehome_model::ipc::{BulkChange, BulkRefusal, BulkStep};
use rusqlite::{Transaction, params};

/// At least this many steps are kept (the oldest beyond it are dropped).
pub const UNDO_STEPS_KEPT: u64 = 200;

/// One value a step changed.
#[derive(Clone, Debug)]
pub(crate) struct StepRow {
    pub id: ListingId,
    pub field: String,
    pub before: String,
    pub after: String,
}

/// Records a new step (and forgets the steps undone before it: their redo is
/// gone once something new is done). Returns its number.
pub(crate) fn record(
    tx: &Transaction<'_>,
    label: &str,
    rows: &[StepRow],
    now: u64,
) -> Result<u64, StoreError> {
    let e = StoreError::Sqlite;
    tx.execute("DELETE FROM undo_steps WHERE undone = 1", [])
        .map_err(e)?;
    tx.execute(
        "INSERT INTO undo_steps (label, created_at) VALUES (?1, ?2)",
        params![label, now as i64],
    )
    .map_err(e)?;
    let step = tx.last_insert_rowid();
    let mut insert = tx
        .prepare_cached(
            "INSERT INTO undo_rows (step_id, listing_id, field, before, after) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .map_err(e)?;
    for r in rows {
        insert
            .execute(params![step, r.id.to_string(), r.field, r.before, r.after])
            .map_err(e)?;
    }
    tx.execute(
        "DELETE FROM undo_steps WHERE id <= ?1 - ?2",
        params![step, UNDO_STEPS_KEPT as i64],
    )
    .map_err(e)?;
    Ok(step as u64)
}

/// The step undo (or redo) works on: the newest done one, or the oldest undone one.
pub(crate) fn next_step(
    tx: &Transaction<'_>,
    redo: bool,
) -> Result<Option<(u64, String)>, StoreError> {
    let sql = if redo {
        "SELECT id, label FROM undo_steps WHERE undone = 1 ORDER BY id LIMIT 1"
    } else {
        "SELECT id, label FROM undo_steps WHERE undone = 0 ORDER BY id DESC LIMIT 1"
    };
    use rusqlite::OptionalExtension;
    tx.query_row(sql, [], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))
        .optional()
        .map_err(StoreError::Sqlite)
}

pub(crate) fn step_rows(tx: &Transaction<'_>, step: u64) -> Result<Vec<StepRow>, StoreError> {
    let mut stmt = tx
        .prepare(
            "SELECT listing_id, field, before, after FROM undo_rows WHERE step_id = ?1 \
             ORDER BY rowid",
        )
        .map_err(StoreError::Sqlite)?;
    let raw = stmt
        .query_map([step as i64], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .map_err(StoreError::Sqlite)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(StoreError::Sqlite)?;
    raw.into_iter()
        .map(|(id, field, before, after)| {
            Ok(StepRow {
                id: parse_id(&id)?,
                field,
                before,
                after,
            })
        })
        .collect()
}

pub(crate) fn set_undone(tx: &Transaction<'_>, step: u64, undone: bool) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE undo_steps SET undone = ?2 WHERE id = ?1",
        params![step as i64, undone as i64],
    )
    .map_err(StoreError::Sqlite)?;
    Ok(())
}

/// Keeps what undo (or redo) really left, so the way back compares with it
/// (a publish leaves `queued`, not `live`).
pub(crate) fn update_value(
    tx: &Transaction<'_>,
    step: u64,
    row: &StepRow,
    redo: bool,
    value: &str,
) -> Result<(), StoreError> {
    let column = if redo { "after" } else { "before" };
    tx.execute(
        &format!(
            "UPDATE undo_rows SET {column} = ?4 WHERE step_id = ?1 AND listing_id = ?2 AND field = ?3"
        ),
        params![step as i64, row.id.to_string(), row.field, value],
    )
    .map_err(StoreError::Sqlite)?;
    Ok(())
}

/// A row's current value of a step's field (`deleted` is `yes`/`no`).
pub(crate) fn current(db: &Snapshot<'_>, d: &DraftRow, field: &str) -> Result<String, StoreError> {
    Ok(match field {
        "status" => d.status.clone(),
        "deleted" => if d.deleted_at.is_some() { "yes" } else { "no" }.into(),
        "quantity" => db.quantity(d.id)?.to_string(),
        other => match DraftField::parse(other) {
            Some(f) => d.values.get(f).to_owned(),
            None => return Err(StoreError::Decode(format!("undo field {other:?}"))),
        },
    })
}

/// The edit that brings `field` of row `d` to `value`.
pub(crate) fn edit_to(d: &DraftRow, field: &str, value: &str) -> Result<Edit, StoreError> {
    let id = d.id;
    Ok(match field {
        "status" => match (value, d.status.as_str()) {
            ("delisted" | "draft", _) => Edit::Delist { id },
            ("live" | "queued", "delisted") => Edit::Relist { id },
            ("live" | "queued", _) => Edit::Publish { id },
            ("sold", _) => Edit::MarkSold { id },
            (other, _) => return Err(StoreError::Decode(format!("undo status {other:?}"))),
        },
        "deleted" if value == "yes" => Edit::DeleteDraft { id },
        "deleted" => Edit::UndoDelete { id },
        "quantity" => Edit::SetQuantity {
            id,
            quantity: value
                .parse()
                .map_err(|_| StoreError::Decode(format!("undo quantity {value:?}")))?,
        },
        other => Edit::SetField {
            id,
            field: DraftField::parse(other)
                .ok_or_else(|| StoreError::Decode(format!("undo field {other:?}")))?,
            text: value.to_owned(),
        },
    })
}

/// For a guarded field, the conflict to store: (field name, mine JSON, theirs JSON).
pub(crate) fn guarded_conflict(
    field: &str,
    mine: &str,
    theirs: &str,
) -> Option<(&'static str, String, String)> {
    let json = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
    match field {
        "price" => {
            let (m, t) = (parse_price(mine).ok()?, parse_price(theirs).ok()?);
            Some(("price", m.0.to_string(), t.0.to_string()))
        }
        "quantity" => Some((
            "quantity",
            mine.parse::<u32>().ok()?.to_string(),
            theirs.parse::<u32>().ok()?.to_string(),
        )),
        "status" => Some(("status", json(mine), json(theirs))),
        _ => None,
    }
}

pub(crate) fn store_conflict(
    tx: &Transaction<'_>,
    id: ListingId,
    (field, mine, theirs): (&'static str, String, String),
    db: &Snapshot<'_>,
    now: u64,
) -> Result<(), StoreError> {
    let v = db.versions(id)?;
    let version = match field {
        "price" => v.price,
        "quantity" => v.quantity,
        _ => v.status,
    };
    tx.execute(
        "INSERT INTO conflicts (listing_id, field, mine, theirs, server_version, mutation_seq, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)",
        params![id.to_string(), field, mine, theirs, version as i64, now as i64],
    )
    .map_err(StoreError::Sqlite)?;
    Ok(())
}

pub(crate) fn history(c: &rusqlite::Connection, limit: u64) -> Result<Vec<BulkStep>, StoreError> {
    let mut stmt = c
        .prepare(
            "SELECT s.id, s.label, s.created_at, s.undone, \
             (SELECT COUNT(*) FROM undo_rows r WHERE r.step_id = s.id) \
             FROM undo_steps s ORDER BY s.id DESC LIMIT ?1",
        )
        .map_err(StoreError::Sqlite)?;
    stmt.query_map([limit as i64], |r| {
        Ok(BulkStep {
            step: r.get::<_, i64>(0)? as u64,
            label: r.get(1)?,
            at: r.get::<_, i64>(2)? as u64,
            undone: r.get::<_, i64>(3)? != 0,
            rows: r.get::<_, i64>(4)? as u64,
        })
    })
    .map_err(StoreError::Sqlite)?
    .collect::<Result<Vec<_>, _>>()
    .map_err(StoreError::Sqlite)
}

pub(crate) fn change_of(d: &DraftRow, field: &str, before: &str, after: &str) -> BulkChange {
    BulkChange {
        id: d.id,
        title: d.values.title.clone(),
        field: field.to_owned(),
        before: before.to_owned(),
        after: after.to_owned(),
    }
}

pub(crate) fn refusal_of(d: &DraftRow, reason: String) -> BulkRefusal {
    BulkRefusal {
        id: d.id,
        title: d.values.title.clone(),
        reason,
    }
}
