//! The seller's desktop grid as plain data: which rows to mount for a scroll
//! position, the columns and their cells, the filter a column's filter box
//! stands for, the selection (click, Shift-click, Ctrl-click, select all),
//! the cursor, what a key does, and the bulk price form read into an
//! operation.
//!
//! The webview only measures and places what this says, so the grid's rules
//! are tested natively. Every row has one height, so a row's place is a product
//! and 10,000 rows cost one tall spacer and a few dozen mounted rows.

use crate::draft::{DraftField, parse_price};
use crate::ids::ListingId;
use crate::ipc::{BulkOp, GridColumn, GridFilter, GridOp, GridRow, PriceChange, Rounding};
use std::collections::BTreeSet;
use std::ops::Range;

/// One row's height in CSS pixels.
pub const ROW_PX: f64 = 36.0;
/// Rows mounted beyond the visible ones, above and below (≤ visible + 20).
pub const OVERSCAN_ROWS: usize = 10;
/// Rows asked for in one page.
pub const PAGE_ROWS: u32 = 100;
/// From this window width the listings screen is the grid (phones keep the list).
pub const DESKTOP_MIN_PX: f64 = 1024.0;

/// The rows to mount for a scroll position: the visible ones and
/// [`OVERSCAN_ROWS`] on each side, within `total`.
pub fn mounted_rows(scroll_top: f64, height: f64, total: usize) -> Range<usize> {
    let first = (scroll_top.max(0.0) / ROW_PX).floor() as usize;
    let visible = (height.max(0.0) / ROW_PX).ceil() as usize + 1;
    let start = first.saturating_sub(OVERSCAN_ROWS).min(total);
    let end = (first + visible + OVERSCAN_ROWS).min(total);
    start..end.max(start)
}

/// The pages that hold `rows`.
pub fn pages_of(rows: &Range<usize>) -> Range<u32> {
    if rows.is_empty() {
        return 0..0;
    }
    let page = PAGE_ROWS as usize;
    (rows.start / page) as u32..rows.end.div_ceil(page) as u32
}

/// The scroll top that brings `row` into a window of `height` scrolled to
/// `scroll_top` (`None`: it shows already).
pub fn scroll_to_show(row: usize, scroll_top: f64, height: f64) -> Option<f64> {
    let top = row as f64 * ROW_PX;
    if top < scroll_top {
        Some(top)
    } else if top + ROW_PX > scroll_top + height {
        Some(top + ROW_PX - height)
    } else {
        None
    }
}

/// A column of the grid as shown: the photo, or a data column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Col {
    Photo,
    Data(GridColumn),
}

/// The grid's columns, in order.
pub const COLUMNS: &[Col] = &[
    Col::Photo,
    Col::Data(GridColumn::Title),
    Col::Data(GridColumn::Price),
    Col::Data(GridColumn::OriginalPrice),
    Col::Data(GridColumn::Category),
    Col::Data(GridColumn::Brand),
    Col::Data(GridColumn::Size),
    Col::Data(GridColumn::Condition),
    Col::Data(GridColumn::Colour),
    Col::Data(GridColumn::Quantity),
    Col::Data(GridColumn::Status),
    Col::Data(GridColumn::Sku),
    Col::Data(GridColumn::SyncState),
    Col::Data(GridColumn::Updated),
];

impl Col {
    /// A stable id for tests and styling (`photo`, `originalPrice`, …).
    pub fn id(self) -> &'static str {
        match self {
            Col::Photo => "photo",
            Col::Data(c) => c.as_str(),
        }
    }
}

/// How a cell is edited in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellEdit {
    /// Saved as typed through the editor's field save.
    Field(DraftField),
    /// A bulk set of the one row (one undo step).
    Quantity,
}

/// How `col` is edited in place, if it is.
pub fn editable(col: Col) -> Option<CellEdit> {
    let Col::Data(c) = col else { return None };
    Some(CellEdit::Field(match c {
        GridColumn::Title => DraftField::Title,
        GridColumn::Price => DraftField::Price,
        GridColumn::OriginalPrice => DraftField::OriginalPrice,
        GridColumn::Category => DraftField::Category,
        GridColumn::Brand => DraftField::Brand,
        GridColumn::Size => DraftField::Size,
        GridColumn::Condition => DraftField::Condition,
        GridColumn::Colour => DraftField::Colour,
        GridColumn::Sku => DraftField::Sku,
        GridColumn::Quantity => return Some(CellEdit::Quantity),
        _ => return None,
    }))
}

/// A cell's text (the photo cell has none; `updated` is UTC, to the minute).
pub fn cell_text(row: &GridRow, col: Col) -> String {
    let Col::Data(c) = col else {
        return String::new();
    };
    match c {
        GridColumn::Title => row.title.clone(),
        GridColumn::Description => row.description.clone(),
        GridColumn::Price => row.price.clone(),
        GridColumn::OriginalPrice => row.original_price.clone(),
        GridColumn::Category => row.category.clone(),
        GridColumn::Brand => row.brand.clone(),
        GridColumn::Size => row.size.clone(),
        GridColumn::Condition => row.condition.clone(),
        GridColumn::Colour => row.colour.clone(),
        GridColumn::Quantity => row.quantity.to_string(),
        GridColumn::Status => row.status.as_str().to_owned(),
        GridColumn::Sku => row.sku.clone(),
        GridColumn::SyncState => row.sync_state.as_str().to_owned(),
        GridColumn::Updated => utc_minute(row.updated_at),
    }
}

/// Unix ms as `YYYY-MM-DD HH:MM` (UTC).
pub fn utc_minute(ms: u64) -> String {
    let secs = ms / 1000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60
    )
}

/// The filter a column's filter box stands for (`None`: empty). Text columns
/// match what contains the text; numbers take `<20`, `>5`, `=12` or `12`;
/// status and sync state are matched exactly.
pub fn filter_of(column: GridColumn, text: &str) -> Option<GridFilter> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let numeric = matches!(
        column,
        GridColumn::Price | GridColumn::OriginalPrice | GridColumn::Quantity | GridColumn::Updated
    );
    let exact = matches!(column, GridColumn::Status | GridColumn::SyncState);
    let (op, value) = if numeric {
        match t.chars().next() {
            Some('<') => (GridOp::Below, &t[1..]),
            Some('>') => (GridOp::Above, &t[1..]),
            Some('=') => (GridOp::Eq, &t[1..]),
            _ => (GridOp::Eq, t),
        }
    } else if exact {
        (GridOp::Eq, t)
    } else {
        (GridOp::Contains, t)
    };
    Some(GridFilter {
        column,
        op,
        value: value.trim().to_owned(),
    })
}

/// Which rows are selected: some rows, or every row the filters select
/// (with some taken out again by Ctrl-click).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Every filtered row, less `rows`; otherwise just `rows`.
    all: bool,
    rows: BTreeSet<ListingId>,
    /// Where a Shift-click range starts: the last row clicked.
    anchor: Option<usize>,
}

/// The rows a bulk edit is to touch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Every row the filters select.
    All,
    /// Every row the filters select but these.
    AllBut(Vec<ListingId>),
    Only(Vec<ListingId>),
}

impl Selection {
    pub fn contains(&self, id: ListingId) -> bool {
        self.all != self.rows.contains(&id)
    }

    /// How many rows are selected, of `total` filtered rows.
    pub fn count(&self, total: u64) -> u64 {
        let n = self.rows.len() as u64;
        if self.all { total.saturating_sub(n) } else { n }
    }

    pub fn anchor(&self) -> Option<usize> {
        self.anchor
    }

    /// A plain click: only this row.
    pub fn click(&mut self, index: usize, id: ListingId) {
        *self = Selection {
            all: false,
            rows: BTreeSet::from([id]),
            anchor: Some(index),
        };
    }

    /// Ctrl-click: this row in or out, the others as they were.
    pub fn toggle(&mut self, index: usize, id: ListingId) {
        if !self.rows.remove(&id) {
            self.rows.insert(id);
        }
        self.anchor = Some(index);
    }

    /// Shift-click: the rows from the anchor to here (`ids`, in order), and
    /// nothing else. The anchor stays, so a second Shift-click re-ranges.
    pub fn extend(&mut self, ids: impl IntoIterator<Item = ListingId>) {
        self.all = false;
        self.rows = ids.into_iter().collect();
    }

    /// The rows a Shift-click on `index` ranges over (from the anchor, or
    /// just that row).
    pub fn range_to(&self, index: usize) -> Range<usize> {
        let a = self.anchor.unwrap_or(index);
        a.min(index)..a.max(index) + 1
    }

    pub fn select_all(&mut self) {
        self.all = true;
        self.rows.clear();
    }

    pub fn clear(&mut self) {
        *self = Selection::default();
    }

    pub fn is_empty(&self, total: u64) -> bool {
        self.count(total) == 0
    }

    pub fn target(&self) -> Target {
        match (self.all, self.rows.is_empty()) {
            (true, true) => Target::All,
            (true, false) => Target::AllBut(self.rows.iter().copied().collect()),
            (false, _) => Target::Only(self.rows.iter().copied().collect()),
        }
    }
}

/// The cell the keyboard is on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CellCursor {
    pub row: usize,
    pub col: usize,
}

impl CellCursor {
    /// Moved by rows and columns, kept inside `rows` × [`COLUMNS`].
    pub fn moved(self, rows: isize, cols: isize, total: usize) -> CellCursor {
        let clamp = |v: usize, by: isize, n: usize| {
            (v as isize + by).clamp(0, n.saturating_sub(1) as isize) as usize
        };
        CellCursor {
            row: clamp(self.row, rows, total),
            col: clamp(self.col, cols, COLUMNS.len()),
        }
    }
}

/// What a key does in the grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAction {
    /// Move the cursor by rows and columns; `extend` (Shift) selects the rows
    /// passed over.
    Move {
        rows: isize,
        cols: isize,
        extend: bool,
    },
    /// Enter or F2: edit the cell.
    Edit,
    /// Space: the cursor's row in or out of the selection.
    Toggle,
    SelectAll,
    /// Esc: clear the selection.
    Clear,
    Undo,
    Redo,
}

/// What `key` (a `KeyboardEvent.key`) does, with Shift and Ctrl (or Cmd);
/// `page` is the rows a Page Up/Down moves.
pub fn key_action(key: &str, shift: bool, ctrl: bool, page: isize) -> Option<KeyAction> {
    let mv = |rows, cols| KeyAction::Move {
        rows,
        cols,
        extend: shift,
    };
    Some(match (key, ctrl) {
        ("ArrowUp", false) => mv(-1, 0),
        ("ArrowDown", false) => mv(1, 0),
        ("ArrowLeft", false) => mv(0, -1),
        ("ArrowRight", false) => mv(0, 1),
        ("PageUp", false) => mv(-page, 0),
        ("PageDown", false) => mv(page, 0),
        ("Home", true) => mv(isize::MIN / 2, 0),
        ("End", true) => mv(isize::MAX / 2, 0),
        ("Tab", false) => KeyAction::Move {
            rows: 0,
            cols: if shift { -1 } else { 1 },
            extend: false,
        },
        ("Enter" | "F2", false) => KeyAction::Edit,
        (" ", false) => KeyAction::Toggle,
        ("Escape", _) => KeyAction::Clear,
        ("a" | "A", true) => KeyAction::SelectAll,
        ("z" | "Z", true) if shift => KeyAction::Redo,
        ("z" | "Z", true) => KeyAction::Undo,
        ("y" | "Y", true) => KeyAction::Redo,
        _ => return None,
    })
}

/// How the bulk price form changes prices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriceMode {
    Set,
    Add,
    Percent,
}

/// The bulk price form read into an operation: `amount` a price (`Set`), a
/// signed amount (`Add`: `-2.50`) or a signed percent (`Percent`: `-10`,
/// `12.5`); `floor` empty or a price. The error names what is wrong.
pub fn price_op(
    mode: PriceMode,
    amount: &str,
    round: Rounding,
    floor: &str,
) -> Result<BulkOp, String> {
    let signed = |t: &str| -> Result<i64, String> {
        let t = t.trim().replace('\u{2212}', "-");
        let t = t.trim_end_matches('%').trim();
        let (sign, magnitude) = match t.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, t.strip_prefix('+').unwrap_or(t)),
        };
        parse_price(magnitude)
            .map(|m| sign * m.0)
            .map_err(|_| format!("{amount:?} is not a number (write it like -10 or 2.50)"))
    };
    let change = match mode {
        PriceMode::Set => PriceChange::Set(
            parse_price(amount)
                .map_err(|_| format!("{amount:?} is not a price (write it like 12.50)"))?,
        ),
        PriceMode::Add => PriceChange::Add(signed(amount)?),
        PriceMode::Percent => PriceChange::Percent(signed(amount)?),
    };
    let floor = match floor.trim() {
        "" => None,
        f => Some(
            parse_price(f)
                .map_err(|_| format!("floor {f:?} is not a price (write it like 5.00)"))?,
        ),
    };
    Ok(BulkOp::Price {
        change,
        round,
        floor,
    })
}

pub mod tsv;

#[cfg(test)]
mod tests;
