//! The seller's desktop grid: the filter boxes and the sort, the pages loaded
//! so far (a page of [`PAGE_ROWS`] at a time, only those the window needs),
//! the selection, the cursor and the cell being edited. Rules live in
//! `rehome_model::seller_grid`; this module keeps them in signals and asks
//! the core for pages and saves.

use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::ipc::{
    BulkEditCmd, BulkField, BulkOp, BulkRequest, GRID_PAGE_MAX, GridColumn, GridFilter,
    GridPageCmd, GridQuery, GridRow, GridSort, SetFieldCmd, SetFieldRequest,
};
use rehome_model::seller_grid::{
    COLUMNS, CellCursor, CellEdit, Col, PAGE_ROWS, Selection, Target, cell_text, filter_of, tsv,
};
use rehome_model::{ApiError, ListingId};
use std::ops::Range;

/// Shared through context.
#[derive(Clone, Copy)]
pub struct GridState {
    /// The text of each column's filter box.
    pub filter_text: RwSignal<Vec<(GridColumn, String)>>,
    pub sort: RwSignal<Option<GridSort>>,
    /// Rows the filters select in all.
    pub total: RwSignal<u64>,
    /// Loaded pages, by page number (`None`: not loaded).
    pages: RwSignal<Vec<Option<Vec<GridRow>>>>,
    /// Pages on their way, and the query they were asked under.
    loading: StoredValue<Vec<u32>>,
    generation: StoredValue<u64>,
    /// Bumped by [`GridState::reload`]: the table asks again for the pages it shows.
    pub version: RwSignal<u64>,
    pub loaded: RwSignal<bool>,
    pub selection: RwSignal<Selection>,
    pub cursor: RwSignal<CellCursor>,
    /// The cell being edited, and the text as it was when the edit began.
    pub editing: RwSignal<Option<(CellCursor, String)>>,
    pub error: RwSignal<Option<ApiError>>,
}

impl GridState {
    pub fn new() -> Self {
        Self {
            filter_text: RwSignal::new(Vec::new()),
            sort: RwSignal::new(None),
            total: RwSignal::new(0),
            pages: RwSignal::new(Vec::new()),
            loading: StoredValue::new(Vec::new()),
            generation: StoredValue::new(0),
            version: RwSignal::new(0),
            loaded: RwSignal::new(false),
            selection: RwSignal::new(Selection::default()),
            cursor: RwSignal::new(CellCursor::default()),
            editing: RwSignal::new(None),
            error: RwSignal::new(None),
        }
    }

    /// The filters the boxes stand for (untracked).
    pub fn filters(self) -> Vec<GridFilter> {
        self.filter_text
            .with_untracked(|boxes| boxes.iter().filter_map(|(c, t)| filter_of(*c, t)).collect())
    }

    /// Forgets the loaded pages and loads the first again (after a filter,
    /// a sort, or an edit). Rows mounted ask for theirs as they draw.
    pub fn reload(self) {
        self.generation.update_value(|g| *g += 1);
        self.loading.update_value(Vec::clear);
        self.pages.set(Vec::new());
        self.version.update(|v| *v += 1);
    }

    /// Loads the pages of `pages` not loaded or on their way.
    pub fn ensure(self, pages: Range<u32>) {
        for page in pages {
            let have = self.pages.with_untracked(|p| page_of(p, page).is_some())
                || self.loading.with_value(|l| l.contains(&page));
            if have {
                continue;
            }
            self.loading.update_value(|l| l.push(page));
            let generation = self.generation.get_value();
            let query = GridQuery {
                filters: self.filters(),
                sort: self.sort.get_untracked(),
                offset: page * PAGE_ROWS,
                limit: PAGE_ROWS,
            };
            spawn_local(async move {
                let reply = ipc::invoke::<GridPageCmd>(&query).await;
                if self.generation.get_value() != generation {
                    return; // asked under filters or a sort since changed
                }
                self.loading.update_value(|l| l.retain(|p| *p != page));
                match reply {
                    Ok(got) => {
                        self.total.set(got.total);
                        self.pages.update(|p| {
                            let at = page as usize;
                            if p.len() <= at {
                                p.resize(at + 1, None);
                            }
                            p[at] = Some(got.rows);
                        });
                        self.error.set(None);
                    }
                    Err(e) => self.error.set(Some(e)),
                }
                self.loaded.set(true);
            });
        }
    }

    /// Row `index` when its page is loaded (tracked).
    pub fn row(self, index: usize) -> Option<GridRow> {
        let page = (index / PAGE_ROWS as usize) as u32;
        let at = index % PAGE_ROWS as usize;
        self.pages
            .with(|p| page_of(p, page).and_then(|rows| rows.get(at).cloned()))
    }

    fn id_at(self, index: usize) -> Option<ListingId> {
        let page = (index / PAGE_ROWS as usize) as u32;
        let at = index % PAGE_ROWS as usize;
        self.pages
            .with_untracked(|p| page_of(p, page).and_then(|rows| rows.get(at).map(|r| r.id)))
    }

    pub fn set_filter(self, column: GridColumn, text: String) {
        self.filter_text.update(|f| {
            f.retain(|(c, _)| *c != column);
            f.push((column, text));
        });
        self.selection.update(Selection::clear);
        self.cursor.set(CellCursor::default());
        self.reload();
    }

    /// A header click: sort by that column, then the other way, then not at all.
    pub fn sort_by(self, column: GridColumn) {
        let next = match self.sort.get_untracked() {
            Some(s) if s.column == column && !s.descending => Some(GridSort {
                column,
                descending: true,
            }),
            Some(s) if s.column == column => None,
            _ => Some(GridSort {
                column,
                descending: false,
            }),
        };
        self.sort.set(next);
        self.reload();
    }

    /// A click on row `index`: with Shift, the range from the last click;
    /// with Ctrl (or Cmd), that row in or out.
    pub fn click(self, index: usize, shift: bool, ctrl: bool) {
        let Some(id) = self.id_at(index) else { return };
        if ctrl {
            self.selection.update(|s| s.toggle(index, id));
        } else if shift {
            let range = self.selection.with_untracked(|s| s.range_to(index));
            self.select_range(range);
        } else {
            self.selection.update(|s| s.click(index, id));
        }
    }

    /// Selects exactly the rows of `range`, loading the pages it spans first
    /// when some are not loaded.
    pub fn select_range(self, range: Range<usize>) {
        let ids: Option<Vec<ListingId>> = range.clone().map(|i| self.id_at(i)).collect();
        if let Some(ids) = ids {
            self.selection.update(|s| s.extend(ids));
            return;
        }
        let query = GridQuery {
            filters: self.filters(),
            sort: self.sort.get_untracked(),
            offset: range.start as u32,
            limit: (range.len() as u32).clamp(1, GRID_PAGE_MAX),
        };
        spawn_local(async move {
            match ipc::invoke::<GridPageCmd>(&query).await {
                Ok(page) => self
                    .selection
                    .update(|s| s.extend(page.rows.into_iter().map(|r| r.id))),
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// The rows a bulk edit is to touch: `None` for every row the filters
    /// select, else the ids (all filtered rows less the ones taken out).
    pub async fn target_ids(self) -> Result<Option<Vec<ListingId>>, ApiError> {
        let but = match self.selection.with_untracked(Selection::target) {
            Target::All => return Ok(None),
            Target::Only(ids) => return Ok(Some(ids)),
            Target::AllBut(ids) => ids,
        };
        let mut ids = Vec::new();
        let mut offset = 0;
        loop {
            let page = ipc::invoke::<GridPageCmd>(&GridQuery {
                filters: self.filters(),
                sort: None,
                offset,
                limit: GRID_PAGE_MAX,
            })
            .await?;
            offset += page.rows.len() as u32;
            let done = page.rows.is_empty() || u64::from(offset) >= page.total;
            ids.extend(
                page.rows
                    .into_iter()
                    .map(|r| r.id)
                    .filter(|i| !but.contains(i)),
            );
            if done {
                return Ok(Some(ids));
            }
        }
    }

    /// Saves an edited cell: a field as typed (the editor's save), or a
    /// quantity as a bulk set of the one row. The grid reloads after.
    pub fn save_cell(self, index: usize, edit: CellEdit, text: String) {
        let Some(id) = self.id_at(index) else { return };
        spawn_local(async move {
            match save(id, edit, text).await {
                Ok(()) => self.error.set(None),
                Err(e) => self.error.set(Some(e)),
            }
            self.reload();
        });
    }

    /// What Ctrl+C puts on the clipboard: the selected rows that are loaded
    /// (every column but the photo, in the grid's order), or else the
    /// cursor's cell, as tab-separated text.
    pub fn copy_text(self) -> String {
        let data: Vec<Col> = COLUMNS
            .iter()
            .copied()
            .filter(|c| *c != Col::Photo)
            .collect();
        let rows: Vec<Vec<String>> = self.pages.with_untracked(|pages| {
            self.selection.with_untracked(|s| {
                pages
                    .iter()
                    .flatten()
                    .flatten()
                    .filter(|r| s.contains(r.id))
                    .map(|r| data.iter().map(|c| cell_text(r, *c)).collect())
                    .collect()
            })
        });
        if !rows.is_empty() {
            return tsv::write(&rows);
        }
        let at = self.cursor.get_untracked();
        let cell = self
            .row_untracked(at.row)
            .map(|r| cell_text(&r, COLUMNS[at.col]))
            .unwrap_or_default();
        tsv::write(&[vec![cell]])
    }

    /// Ctrl+V: the clipboard's cells from the cursor right and down, each
    /// saved as an edit of its cell (cells that cannot be edited are left
    /// alone), then the grid reloads.
    pub fn paste(self, text: &str) {
        let block = tsv::read(text);
        let at = self.cursor.get_untracked();
        let (cells, _skipped) = tsv::paste_plan(at, &block, self.total.get_untracked() as usize);
        let ids: Vec<Option<ListingId>> = cells.iter().map(|c| self.id_at(c.row)).collect();
        spawn_local(async move {
            for (cell, id) in cells.into_iter().zip(ids) {
                let Some(id) = id else { continue };
                if let Err(e) = save(id, cell.edit, cell.text).await {
                    self.error.set(Some(e));
                    break;
                }
            }
            self.reload();
        });
    }

    fn row_untracked(self, index: usize) -> Option<GridRow> {
        let page = (index / PAGE_ROWS as usize) as u32;
        let at = index % PAGE_ROWS as usize;
        self.pages
            .with_untracked(|p| page_of(p, page).and_then(|rows| rows.get(at).cloned()))
    }
}

/// Page `page` when it is loaded.
fn page_of(pages: &[Option<Vec<GridRow>>], page: u32) -> Option<&Vec<GridRow>> {
    pages.get(page as usize).and_then(Option::as_ref)
}

/// Saves one cell of row `id`.
async fn save(id: ListingId, edit: CellEdit, text: String) -> Result<(), ApiError> {
    match edit {
        CellEdit::Field(field) => ipc::invoke::<SetFieldCmd>(&SetFieldRequest {
            id,
            field,
            value: text,
            seq: 0,
        })
        .await
        .map(drop),
        CellEdit::Quantity => ipc::invoke::<BulkEditCmd>(&BulkRequest {
            op: BulkOp::Set {
                field: BulkField::Quantity,
                value: text,
            },
            filters: vec![],
            ids: Some(vec![id]),
            dry_run: false,
        })
        .await
        .and_then(|report| match report.refusals.first() {
            Some(r) => Err(ApiError::new(
                rehome_model::ErrorCode::Invalid,
                r.reason.clone(),
            )),
            None => Ok(()),
        }),
    }
}
