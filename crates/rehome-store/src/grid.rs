//! The seller's grid: every draft and listing not deleted, a page at a time,
//! filtered and sorted on any column in SQL (partial indexes keep a page and a
//! count fast at 50,000 rows), and the same filters for bulk edits.

use crate::error::StoreError;
use crate::rows::parse_id;
use crate::store::Store;
use rehome_model::draft::parse_price;
use rehome_model::ipc::{
    GRID_PAGE_MAX, GridColumn, GridFilter, GridOp, GridPage, GridQuery, GridRow, GridSort,
    GridStatus, GridSyncState,
};
use rehome_model::{ListingId, PhotoId};
use rusqlite::Connection;
use rusqlite::types::Value;

/// The rows the grid shows: not deleted (soft or for good). The partial
/// indexes of schema v3 are made on exactly this condition.
const LIVE_ROWS: &str = "d.deleted_at IS NULL AND d.status != 'deleted'";

/// The quantity this device shows (what `Snapshot::quantity` works out): the
/// last create or quantity edit still in the outbox, else the confirmed one, else 1.
const QUANTITY_SQL: &str = "COALESCE(\
     (SELECT json_extract(o.args, '$.quantity') FROM outbox o \
      WHERE o.listing_id = d.id AND o.name IN ('setQuantity', 'createListing') \
      ORDER BY o.seq DESC LIMIT 1), \
     (SELECT c.quantity FROM confirmed_listings c WHERE c.id = d.id), 1)";

/// 0 synced, 1 pending, 2 attention. The subqueries do not depend on the row,
/// so SQLite runs each once per statement.
const SYNC_SQL: &str = "(CASE \
     WHEN d.id IN (SELECT listing_id FROM outbox WHERE state = 'parked' AND listing_id IS NOT NULL) THEN 2 \
     WHEN d.id IN (SELECT listing_id FROM outbox WHERE listing_id IS NOT NULL) THEN 1 \
     ELSE 0 END)";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Money,
    Number,
    Status,
    Sync,
}

/// A column's SQL expression and how its values read.
fn column(c: GridColumn) -> (&'static str, Kind) {
    match c {
        GridColumn::Title => ("d.title", Kind::Text),
        GridColumn::Description => ("d.description", Kind::Text),
        GridColumn::Price => ("d.price_cents", Kind::Money),
        GridColumn::OriginalPrice => ("d.original_price_cents", Kind::Money),
        GridColumn::Category => ("d.category", Kind::Text),
        GridColumn::Brand => ("d.brand", Kind::Text),
        GridColumn::Size => ("d.size", Kind::Text),
        GridColumn::Condition => ("d.condition", Kind::Text),
        GridColumn::Colour => ("d.colour", Kind::Text),
        GridColumn::Quantity => (QUANTITY_SQL, Kind::Number),
        GridColumn::Status => ("d.status", Kind::Status),
        GridColumn::Sku => ("d.sku", Kind::Text),
        GridColumn::SyncState => (SYNC_SQL, Kind::Sync),
        GridColumn::Updated => ("d.updated_at", Kind::Number),
    }
}

fn bad(f: &GridFilter, why: impl std::fmt::Display) -> StoreError {
    StoreError::invalid(
        Some(f.column.as_str()),
        format!("filter on {}: {why}", f.column),
    )
}

fn number_value(f: &GridFilter, kind: Kind) -> Result<i64, StoreError> {
    match kind {
        Kind::Money => parse_price(f.value.trim()).map(|m| m.0).map_err(|_| {
            bad(
                f,
                format!("{:?} is not a price (write it like 12.50)", f.value),
            )
        }),
        _ => f
            .value
            .trim()
            .parse::<u64>()
            .ok()
            .and_then(|n| i64::try_from(n).ok())
            .ok_or_else(|| bad(f, format!("{:?} is not a whole number", f.value))),
    }
}

/// The SQL condition (after `WHERE`) for the rows `filters` select, with its
/// parameters. Every term must hold. Bad values are refused, naming the column.
pub(crate) fn where_sql(filters: &[GridFilter]) -> Result<(String, Vec<Value>), StoreError> {
    let mut sql = String::from(LIVE_ROWS);
    let mut params = Vec::new();
    for f in filters {
        let (expr, kind) = column(f.column);
        let n = params.len() + 1;
        let term = match (kind, f.op) {
            (Kind::Text, op) => {
                params.push(Value::Text(f.value.clone()));
                match op {
                    GridOp::Eq => format!("{expr} = ?{n} COLLATE NOCASE"),
                    GridOp::Contains => format!("instr(lower({expr}), lower(?{n})) > 0"),
                    GridOp::Below => format!("{expr} < ?{n} COLLATE NOCASE"),
                    GridOp::Above => format!("{expr} > ?{n} COLLATE NOCASE"),
                }
            }
            (Kind::Money | Kind::Number, op) => {
                params.push(Value::Integer(number_value(f, kind)?));
                match op {
                    GridOp::Eq => format!("{expr} = ?{n}"),
                    GridOp::Below => format!("{expr} < ?{n}"),
                    GridOp::Above => format!("{expr} > ?{n}"),
                    GridOp::Contains => return Err(bad(f, "a number is compared, not searched")),
                }
            }
            (Kind::Status, GridOp::Eq) => {
                let s = GridStatus::parse(&f.value).ok_or_else(|| {
                    bad(
                        f,
                        format!(
                            "{:?} is not a status; one of: {}",
                            f.value,
                            names(GridStatus::ALL.iter().map(|s| s.as_str()))
                        ),
                    )
                })?;
                params.push(Value::Text(s.as_str().into()));
                format!("{expr} = ?{n}")
            }
            (Kind::Sync, GridOp::Eq) => {
                let s = GridSyncState::parse(&f.value).ok_or_else(|| {
                    bad(
                        f,
                        format!(
                            "{:?} is not a sync state; one of: {}",
                            f.value,
                            names(GridSyncState::ALL.iter().map(|s| s.as_str()))
                        ),
                    )
                })?;
                params.push(Value::Integer(sync_rank(s)));
                format!("{expr} = ?{n}")
            }
            (Kind::Status | Kind::Sync, _) => return Err(bad(f, "only equality (=) applies")),
        };
        sql.push_str(" AND ");
        sql.push_str(&term);
    }
    Ok((sql, params))
}

fn names<'a>(it: impl Iterator<Item = &'a str>) -> String {
    it.collect::<Vec<_>>().join(", ")
}

fn sync_rank(s: GridSyncState) -> i64 {
    match s {
        GridSyncState::Synced => 0,
        GridSyncState::Pending => 1,
        GridSyncState::Attention => 2,
    }
}

fn order_sql(sort: Option<GridSort>) -> String {
    let Some(sort) = sort else {
        return "d.updated_at DESC, d.id DESC".into();
    };
    let (expr, kind) = column(sort.column);
    let dir = if sort.descending { "DESC" } else { "ASC" };
    let collate = if kind == Kind::Text {
        " COLLATE NOCASE"
    } else {
        ""
    };
    format!("{expr}{collate} {dir}, d.id {dir}")
}

const ROW_SQL: &str = "d.id, d.title, d.description, d.price, d.original_price, d.category, \
     d.brand, d.size, d.condition, d.colour, d.parcel, d.status, d.sku, d.updated_at, \
     (SELECT p.id FROM photos p WHERE p.listing_id = d.id ORDER BY p.position, p.id LIMIT 1), \
     (SELECT COUNT(*) FROM outbox o WHERE o.listing_id = d.id), \
     EXISTS (SELECT 1 FROM outbox o WHERE o.listing_id = d.id AND o.state = 'parked'), \
     (SELECT o.last_error FROM outbox o WHERE o.listing_id = d.id AND o.state = 'parked' \
      ORDER BY o.seq LIMIT 1)";

fn grid_status(s: &str) -> GridStatus {
    GridStatus::parse(s).unwrap_or(GridStatus::Draft)
}

fn read_row(
    r: &rusqlite::Row<'_>,
    quantity: u32,
) -> rusqlite::Result<(String, Option<String>, GridRow)> {
    let price: String = r.get(3)?;
    let pending: i64 = r.get(15)?;
    let parked: bool = r.get(16)?;
    let sync_error: Option<String> = r.get(17)?;
    let sync_state = if parked {
        GridSyncState::Attention
    } else if pending > 0 {
        GridSyncState::Pending
    } else {
        GridSyncState::Synced
    };
    Ok((
        r.get(0)?,
        r.get(14)?,
        GridRow {
            id: ListingId(uuid::Uuid::nil()),
            cover_photo: None,
            title: r.get(1)?,
            description: r.get(2)?,
            price_cents: parse_price(&price).ok(),
            price,
            original_price: r.get(4)?,
            category: r.get(5)?,
            brand: r.get(6)?,
            size: r.get(7)?,
            condition: r.get(8)?,
            colour: r.get(9)?,
            parcel: r.get(10)?,
            quantity,
            status: grid_status(&r.get::<_, String>(11)?),
            sku: r.get(12)?,
            sync_state,
            pending_changes: pending.max(0) as u32,
            sync_error: if parked {
                Some(sync_error.unwrap_or_else(|| "sync keeps failing".into()))
            } else {
                None
            },
            updated_at: r.get::<_, i64>(13)?.max(0) as u64,
        },
    ))
}

/// The page's rows, in the query's order.
fn page_rows(c: &Connection, q: &GridQuery) -> Result<Vec<GridRow>, StoreError> {
    let (cond, mut params) = where_sql(&q.filters)?;
    let n = params.len();
    let sql = format!(
        "SELECT {ROW_SQL}, {QUANTITY_SQL} FROM drafts d WHERE {cond} ORDER BY {} \
         LIMIT ?{} OFFSET ?{}",
        order_sql(q.sort),
        n + 1,
        n + 2
    );
    params.push(Value::Integer(i64::from(q.limit)));
    params.push(Value::Integer(i64::from(q.offset)));
    let mut stmt = c.prepare(&sql).map_err(StoreError::Sqlite)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(params), |r| {
            let q: i64 = r.get(18)?;
            read_row(r, q.clamp(0, i64::from(u32::MAX)) as u32)
        })
        .map_err(StoreError::Sqlite)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(StoreError::Sqlite)?;
    rows.into_iter()
        .map(|(id, cover, mut row)| {
            row.id = parse_id(&id)?;
            row.cover_photo = match cover {
                Some(p) => Some(
                    p.parse::<PhotoId>()
                        .map_err(|e| StoreError::Decode(format!("photo id {p:?}: {e}")))?,
                ),
                None => None,
            };
            Ok(row)
        })
        .collect()
}

/// How many rows `cond` selects.
pub(crate) fn count_where(
    c: &Connection,
    cond: &str,
    params: Vec<Value>,
) -> Result<u64, StoreError> {
    let n: i64 = c
        .query_row(
            &format!("SELECT COUNT(*) FROM drafts d WHERE {cond}"),
            rusqlite::params_from_iter(params),
            |r| r.get(0),
        )
        .map_err(StoreError::Sqlite)?;
    Ok(n.max(0) as u64)
}

/// The ids `filters` select, most recently updated first.
pub(crate) fn ids_where(
    c: &Connection,
    filters: &[GridFilter],
) -> Result<Vec<ListingId>, StoreError> {
    let (cond, params) = where_sql(filters)?;
    let mut stmt = c
        .prepare(&format!(
            "SELECT d.id FROM drafts d WHERE {cond} ORDER BY d.updated_at DESC, d.id DESC"
        ))
        .map_err(StoreError::Sqlite)?;
    let ids = stmt
        .query_map(rusqlite::params_from_iter(params), |r| {
            r.get::<_, String>(0)
        })
        .map_err(StoreError::Sqlite)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(StoreError::Sqlite)?;
    ids.iter().map(|s| parse_id(s)).collect()
}

impl Store {
    /// One page of the grid: the rows `query` selects, in its order, and how
    /// many it selects in all. A limit above [`GRID_PAGE_MAX`] is refused.
    #[tracing::instrument(skip(self))]
    pub fn grid_page(&self, query: &GridQuery) -> Result<GridPage, StoreError> {
        if query.limit == 0 || query.limit > GRID_PAGE_MAX {
            return Err(StoreError::invalid(
                Some("limit"),
                format!(
                    "a page is 1 to {GRID_PAGE_MAX} rows (asked for {})",
                    query.limit
                ),
            ));
        }
        self.read(|c| {
            let rows = page_rows(c, query)?;
            let (cond, params) = where_sql(&query.filters)?;
            let total = count_where(c, &cond, params)?;
            Ok(GridPage { rows, total })
        })
    }

    /// How many rows the filters select.
    #[tracing::instrument(skip(self))]
    pub fn grid_count(&self, filters: &[GridFilter]) -> Result<u64, StoreError> {
        self.read(|c| {
            let (cond, params) = where_sql(filters)?;
            count_where(c, &cond, params)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ManualClock, SeededEntropy};
    use std::sync::Arc;

    /// SQLite's plan for a statement, one line per step.
    fn plan(c: &Connection, sql: &str, params: Vec<Value>) -> String {
        let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params), |r| {
                r.get::<_, String>(3)
            })
            .unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("\n")
    }

    /// A page sorted on an indexed column walks its partial index: no sort
    /// of the whole table, however many rows it has. Quantity, sync state and
    /// description are the columns sorted the slow way.
    #[test]
    fn pages_sorted_on_indexed_columns_walk_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(
            dir.path(),
            Arc::new(ManualClock::new(1)),
            Arc::new(SeededEntropy::new(1)),
        )
        .unwrap();
        store
            .read(|c| {
                for column in GridColumn::ALL {
                    let (cond, params) = where_sql(&[]).unwrap();
                    let sql = format!(
                        "SELECT d.id FROM drafts d WHERE {cond} ORDER BY {} LIMIT 100 OFFSET 0",
                        order_sql(Some(GridSort {
                            column: *column,
                            descending: true
                        }))
                    );
                    let p = plan(c, &sql, params);
                    let slow = matches!(
                        column,
                        GridColumn::Quantity | GridColumn::SyncState | GridColumn::Description
                    );
                    assert_eq!(
                        p.contains("TEMP B-TREE FOR ORDER BY"),
                        slow,
                        "{column}: {p}"
                    );
                }
                // An equality filter uses the column's index too.
                let (cond, params) = where_sql(&[GridFilter {
                    column: GridColumn::Brand,
                    op: GridOp::Eq,
                    value: "COS".into(),
                }])
                .unwrap();
                let p = plan(
                    c,
                    &format!("SELECT COUNT(*) FROM drafts d WHERE {cond}"),
                    params,
                );
                assert!(p.contains("grid_brand"), "{p}");
                Ok(())
            })
            .unwrap();
    }
}
