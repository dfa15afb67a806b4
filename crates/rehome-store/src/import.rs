//! A CSV import's rows, matched and written: each row creates a draft,
//! updates the listing it names (by `id`, else by `sku`), changes nothing, or
//! is rejected with its column and reason. One transaction and one undo step
//! for the whole file; a dry run is the same code rolled back.

use crate::bulk::StepRow;
use crate::edit::Edit;
use crate::error::StoreError;
use crate::failpoint;
use crate::rows::{DraftRow, parse_id};
use crate::snapshot::Snapshot;
use crate::store::Store;
use rehome_model::ListingId;
use rehome_model::draft::{DraftField, DraftValues};
use rehome_model::ipc::{CsvCellError, CsvColumn, CsvRowResult, CsvRowStatus, check_cell};
use rusqlite::{Transaction, TransactionBehavior};

/// One data row of the file, as read: its line and its cells (column, the
/// header as written, the text exactly as in the file).
#[derive(Clone, Debug)]
pub struct ImportRow {
    pub line: u64,
    pub cells: Vec<(CsvColumn, String, String)>,
}

/// How an import reads its numbers and what its undo step is called.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// A `;`-separated file: `12,50` is twelve fifty.
    pub decimal_comma: bool,
    pub dry_run: bool,
    pub label: String,
}

fn cell_error(header: &str, code: &str, message: impl Into<String>) -> CsvCellError {
    CsvCellError {
        column: header.to_owned(),
        code: code.to_owned(),
        message: message.into(),
    }
}

fn result(
    line: u64,
    status: CsvRowStatus,
    id: Option<ListingId>,
    errors: Vec<CsvCellError>,
) -> CsvRowResult {
    CsvRowResult {
        line,
        status,
        id,
        errors,
    }
}

/// The draft a row names: by `id`, else by an exact `sku`; `Ok(None)`: a new one.
fn matched(
    tx: &Transaction<'_>,
    row: &ImportRow,
) -> Result<Result<Option<DraftRow>, CsvCellError>, StoreError> {
    let cell = |c: CsvColumn| {
        row.cells
            .iter()
            .find(|(col, _, text)| *col == c && !text.trim().is_empty())
    };
    let db = Snapshot::new(tx);
    if let Some((_, header, text)) = cell(CsvColumn::Id) {
        let Ok(id) = text.trim().parse::<ListingId>() else {
            return Ok(Err(cell_error(
                header,
                "notAnId",
                format!("{text:?} is not a listing id"),
            )));
        };
        return Ok(match db.live_draft(id) {
            Ok(d) => Ok(Some(d)),
            Err(StoreError::NotFound { .. }) => Err(cell_error(
                header,
                "notFound",
                format!("no listing {id} on this device"),
            )),
            Err(e) => return Err(e),
        });
    }
    let Some((_, header, sku)) = cell(CsvColumn::Field(DraftField::Sku)) else {
        return Ok(Ok(None));
    };
    let mut stmt = tx
        .prepare_cached(
            "SELECT id FROM drafts WHERE sku = ?1 AND deleted_at IS NULL AND status != 'deleted' LIMIT 2",
        )
        .map_err(StoreError::Sqlite)?;
    let ids = stmt
        .query_map([sku], |r| r.get::<_, String>(0))
        .map_err(StoreError::Sqlite)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(StoreError::Sqlite)?;
    Ok(match ids.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(db.draft(parse_id(one)?)?)),
        _ => Err(cell_error(
            header,
            "ambiguous",
            format!("more than one listing has the SKU {sku:?}: give the id"),
        )),
    })
}

/// A change one cell makes to an existing row: (field name, before, after, edit).
type Change = (String, String, String, Edit);

fn changes_to(
    db: &Snapshot<'_>,
    d: &DraftRow,
    row: &ImportRow,
    decimal_comma: bool,
) -> Result<(Vec<Change>, Vec<CsvCellError>), StoreError> {
    let mut changes = Vec::new();
    let mut errors = Vec::new();
    for (column, header, text) in &row.cells {
        match column {
            CsvColumn::Id | CsvColumn::Photo | CsvColumn::SyncState | CsvColumn::Updated => {}
            CsvColumn::Status => {
                let t = text.trim();
                if !t.is_empty() && !t.eq_ignore_ascii_case(&d.status) {
                    errors.push(cell_error(
                        header,
                        "readOnly",
                        format!(
                            "the file says {t:?}, the listing is {}: a status is changed with `bulk status`, not by an import",
                            d.status
                        ),
                    ));
                }
            }
            CsvColumn::Quantity => {
                let current = db.quantity(d.id)?.to_string();
                let t = text.trim();
                if t.is_empty() || t == current {
                    continue;
                }
                match check_cell(*column, t, decimal_comma) {
                    Some((code, message)) => errors.push(cell_error(header, &code, message)),
                    None => changes.push((
                        "quantity".into(),
                        current,
                        t.to_owned(),
                        Edit::SetQuantity {
                            id: d.id,
                            quantity: t.parse().unwrap_or(1),
                        },
                    )),
                }
            }
            CsvColumn::Field(field) => {
                let current = d.values.get(*field);
                // The same text as now is no change, whatever it is.
                if text == current {
                    continue;
                }
                match check_cell(*column, text, decimal_comma) {
                    Some((code, message)) => errors.push(cell_error(header, &code, message)),
                    None => changes.push((
                        field.as_str().into(),
                        current.to_owned(),
                        text.clone(),
                        Edit::SetField {
                            id: d.id,
                            field: *field,
                            text: text.clone(),
                        },
                    )),
                }
            }
        }
    }
    if !changes.is_empty() && d.status == "sold" {
        errors.push(cell_error("row", "sold", "a sold listing cannot change"));
    }
    Ok((changes, errors))
}

impl Store {
    /// Writes an import's rows (or, `dry_run`, works out what would happen):
    /// one result per row, in order. Committed as one transaction and one
    /// undo step.
    #[tracing::instrument(skip_all, fields(rows = rows.len(), dry_run = options.dry_run))]
    pub fn import_rows(
        &self,
        rows: &[ImportRow],
        options: &ImportOptions,
    ) -> Result<Vec<CsvRowResult>, StoreError> {
        let mut conn = self.writer();
        let err = self.sqlite_err("the import");
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        failpoint::hit("import:begun");
        let mut results = Vec::with_capacity(rows.len());
        let mut undo = Vec::new();
        for row in rows {
            let r = match matched(&tx, row)? {
                Err(e) => result(row.line, CsvRowStatus::Rejected, None, vec![e]),
                Ok(Some(d)) => self.update_row(&tx, &d, row, options.decimal_comma, &mut undo)?,
                Ok(None) => self.create_row(&tx, row, options, &mut undo)?,
            };
            results.push(r);
        }
        if options.dry_run {
            tx.rollback().map_err(&err)?;
            return Ok(results);
        }
        self.record_step(&tx, &options.label, &undo)?;
        failpoint::hit("import:before_commit");
        tx.commit().map_err(&err)?;
        Ok(results)
    }

    fn update_row(
        &self,
        tx: &Transaction<'_>,
        d: &DraftRow,
        row: &ImportRow,
        decimal_comma: bool,
        undo: &mut Vec<StepRow>,
    ) -> Result<CsvRowResult, StoreError> {
        let (changes, errors) = changes_to(&Snapshot::new(tx), d, row, decimal_comma)?;
        if !errors.is_empty() {
            return Ok(result(row.line, CsvRowStatus::Rejected, Some(d.id), errors));
        }
        if changes.is_empty() {
            return Ok(result(
                row.line,
                CsvRowStatus::Unchanged,
                Some(d.id),
                vec![],
            ));
        }
        let mut rows = Vec::new();
        for (field, before, after, edit) in changes {
            match self.apply_in(tx, edit) {
                Ok(_) => rows.push(StepRow {
                    id: d.id,
                    field,
                    before,
                    after,
                }),
                Err(e @ (StoreError::Invalid { .. } | StoreError::NotReady(_))) => {
                    // Refused by the edit's own rules: nothing of the row stays.
                    return Err(StoreError::invalid(
                        Some(&field),
                        format!("line {}: {e}", row.line),
                    ));
                }
                Err(e) => return Err(e),
            }
        }
        undo.extend(rows);
        Ok(result(row.line, CsvRowStatus::Updated, Some(d.id), vec![]))
    }

    fn create_row(
        &self,
        tx: &Transaction<'_>,
        row: &ImportRow,
        options: &ImportOptions,
        undo: &mut Vec<StepRow>,
    ) -> Result<CsvRowResult, StoreError> {
        let mut values = DraftValues::default();
        let mut quantity = None;
        let mut errors = Vec::new();
        for (column, header, text) in &row.cells {
            if let Some((code, message)) = check_cell(*column, text, options.decimal_comma) {
                errors.push(cell_error(header, &code, message));
                continue;
            }
            match column {
                CsvColumn::Field(f) => values.set(*f, text.clone()),
                CsvColumn::Quantity if !text.trim().is_empty() => {
                    quantity = text.trim().parse::<u32>().ok();
                }
                CsvColumn::Status => {
                    let t = text.trim();
                    if !t.is_empty() && !t.eq_ignore_ascii_case("draft") {
                        errors.push(cell_error(
                            header,
                            "readOnly",
                            format!("a new listing starts as a draft, not {t:?}: publish it after the import"),
                        ));
                    }
                }
                _ => {}
            }
        }
        if !errors.is_empty() {
            return Ok(result(row.line, CsvRowStatus::Rejected, None, errors));
        }
        let (receipt, _) = self.apply_in(tx, Edit::CreateDraft { values })?;
        let id = receipt.id;
        if let Some(q) = quantity.filter(|q| *q != 1) {
            self.apply_in(tx, Edit::SetQuantity { id, quantity: q })?;
        }
        undo.push(StepRow {
            id,
            field: "deleted".into(),
            before: "yes".into(),
            after: "no".into(),
        });
        // A dry run's new id is never kept, so it is not shown.
        let shown = (!options.dry_run).then_some(id);
        Ok(result(row.line, CsvRowStatus::Created, shown, vec![]))
    }
}
