//! The grid itself: a header to sort by, a row of filter boxes, and the
//! rows, virtualised in one scroll area (mounted: the visible rows and ten on
//! each side, see `rehome_model::seller_grid`). Clicks select (Shift: a
//! range, Ctrl: one more or less), the arrows move the cursor (Shift
//! extends), Enter or F2 edits a cell and Esc cancels.

use crate::data::bulk::BulkState;
use crate::data::grid::GridState;
use crate::data::photo_url::{PhotoSize, photo_src};
use crate::labels;
use leptos::html::{Div, Input};
use leptos::prelude::*;
use rehome_model::ipc::{GridColumn, GridRow};
use rehome_model::seller_grid::{
    COLUMNS, CellCursor, Col, KeyAction, ROW_PX, cell_text, editable, key_action, mounted_rows,
    pages_of, scroll_to_show,
};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The header and the filter boxes above the rows (both stay in view).
const HEAD_PX: f64 = 2.0 * ROW_PX;

#[component]
pub fn GridTable() -> impl IntoView {
    let grid = expect_context::<GridState>();
    let bulk = expect_context::<BulkState>();
    let scroller = NodeRef::<Div>::new();
    let scroll_top = RwSignal::new(0.0_f64);
    let height = RwSignal::new(0.0_f64);
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            scroll_top.set(f64::from(el.scroll_top()));
            let h = f64::from(el.client_height());
            if h > 0.0 {
                height.set(h);
            }
        }
    };
    Effect::new(move |_| {
        let Some(el) = scroller.get() else { return };
        let on_resize = Closure::<dyn FnMut(js_sys::Array)>::new(move |_| measure());
        if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&el);
        }
        // The grid lives as long as the app.
        on_resize.forget();
        measure();
    });
    let total = Memo::new(move |_| grid.total.get() as usize);
    let mounted = Memo::new(move |_| {
        mounted_rows(
            scroll_top.get(),
            (height.get() - HEAD_PX).max(0.0),
            total.get(),
        )
    });
    Effect::new(move |_| {
        grid.version.track();
        let rows = mounted.get();
        let pages = if rows.is_empty() {
            0..1
        } else {
            pages_of(&rows)
        };
        grid.ensure(pages);
    });

    let show_cursor = move |c: CellCursor| {
        let Some(el) = scroller.get_untracked() else {
            return;
        };
        let visible = (f64::from(el.client_height()) - HEAD_PX).max(ROW_PX);
        if let Some(top) = scroll_to_show(c.row, f64::from(el.scroll_top()), visible) {
            el.set_scroll_top(top as i32);
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if grid.editing.with_untracked(Option::is_some) {
            return;
        }
        let page = ((height.get_untracked() - HEAD_PX) / ROW_PX)
            .floor()
            .max(1.0) as isize;
        let ctrl = ev.ctrl_key() || ev.meta_key();
        let Some(action) = key_action(&ev.key(), ev.shift_key(), ctrl, page) else {
            return;
        };
        ev.prevent_default();
        let cursor = grid.cursor.get_untracked();
        match action {
            KeyAction::Move { rows, cols, extend } => {
                let next = cursor.moved(rows, cols, total.get_untracked());
                if extend {
                    if grid.selection.with_untracked(|s| s.anchor().is_none()) {
                        grid.click(cursor.row, false, false);
                    }
                    let range = grid.selection.with_untracked(|s| s.range_to(next.row));
                    grid.select_range(range);
                }
                grid.cursor.set(next);
                show_cursor(next);
            }
            KeyAction::Edit => start_edit(grid, cursor),
            KeyAction::Toggle => grid.click(cursor.row, false, true),
            KeyAction::SelectAll => grid.selection.update(|s| s.select_all()),
            KeyAction::Clear => grid.selection.update(|s| s.clear()),
            KeyAction::Undo => bulk.undo(),
            KeyAction::Redo => bulk.redo(),
        }
    };

    // Ctrl+C and Ctrl+V of cell ranges, as tab-separated text (Excel and
    // LibreOffice paste both ways). The webview sends them to the document
    // (nothing in the grid is editable text), so they are heard there, for
    // while the grid has the focus.
    let grid_focused = move || {
        let active = document().active_element();
        let el = scroller.get_untracked();
        matches!((active, el), (Some(a), Some(el)) if el.contains(Some(&a)))
            && grid.editing.with_untracked(Option::is_none)
            && active_is_not_input()
    };
    let on_copy = window_event_listener(leptos::ev::copy, move |ev| {
        if grid_focused()
            && let Some(data) = ev.clipboard_data()
            && data.set_data("text/plain", &grid.copy_text()).is_ok()
        {
            ev.prevent_default();
        }
    });
    let on_paste = window_event_listener(leptos::ev::paste, move |ev| {
        if !grid_focused() {
            return;
        }
        if let Some(text) = ev
            .clipboard_data()
            .and_then(|d| d.get_data("text/plain").ok())
        {
            ev.prevent_default();
            grid.paste(&text);
        }
    });
    on_cleanup(move || {
        on_copy.remove();
        on_paste.remove();
    });

    let width: f64 = COLUMNS.iter().map(|c| col_width(*c)).sum();
    view! {
        <div class="grid-scroll" tabindex="0" node_ref=scroller data-grid-total=move || total.get().to_string()
            data-mounted=move || mounted.get().len().to_string()
            on:scroll=move |_| measure() on:keydown=on_key>
            <div class="grid-table" style:width=format!("{width}px")>
                <GridHead />
                <div class="grid-body" style:height=move || format!("{}px", total.get() as f64 * ROW_PX)>
                    <For each=move || mounted.get() key=|i| *i
                        children=move |index| view! { <GridRowView index=index /> } />
                </div>
            </div>
        </div>
    }
}

/// Whether the focus is anywhere but a text box (a filter box keeps its own
/// copy and paste).
fn active_is_not_input() -> bool {
    document()
        .active_element()
        .is_none_or(|a| a.tag_name() != "INPUT")
}

/// Begins editing the cursor's cell, if it can be edited.
fn start_edit(grid: GridState, at: CellCursor) {
    let col = COLUMNS[at.col];
    if editable(col).is_none() {
        return;
    }
    if let Some(row) = grid.row(at.row) {
        grid.editing.set(Some((at, cell_text(&row, col))));
    }
}

/// A column's width in CSS pixels.
fn col_width(col: Col) -> f64 {
    match col {
        Col::Photo => 44.0,
        Col::Data(GridColumn::Title) => 240.0,
        Col::Data(GridColumn::Quantity) => 56.0,
        Col::Data(GridColumn::Sku) => 150.0,
        Col::Data(GridColumn::Updated) => 136.0,
        Col::Data(GridColumn::Price | GridColumn::OriginalPrice | GridColumn::Size) => 80.0,
        Col::Data(_) => 100.0,
    }
}

fn template() -> String {
    COLUMNS
        .iter()
        .map(|c| format!("{}px", col_width(*c)))
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
fn GridHead() -> impl IntoView {
    let grid = expect_context::<GridState>();
    let heads = COLUMNS.iter().map(|col| {
        let col = *col;
        let label = labels::grid_column(col.id());
        match col {
            Col::Photo => {
                view! { <div class="grid-cell grid-head-cell" data-col="photo">{label}</div> }
                    .into_any()
            }
            Col::Data(column) => {
                let arrow = move || match grid.sort.get() {
                    Some(s) if s.column == column && s.descending => " ↓",
                    Some(s) if s.column == column => " ↑",
                    _ => "",
                };
                view! {
                    <button class="grid-cell grid-head-cell" data-sort=col.id()
                        on:click=move |_| grid.sort_by(column)>{label}{arrow}</button>
                }
                .into_any()
            }
        }
    });
    let filters = COLUMNS.iter().map(|col| match *col {
        Col::Photo => view! { <div class="grid-cell"></div> }.into_any(),
        Col::Data(column) => view! {
            <input class="grid-cell grid-filter" data-filter=col.id() aria-label=labels::GRID_FILTER
                placeholder=labels::GRID_FILTER
                on:change=move |ev| grid.set_filter(column, event_target_value(&ev))
                on:keydown=move |ev: web_sys::KeyboardEvent| ev.stop_propagation() />
        }
        .into_any(),
    });
    view! {
        <div class="grid-line grid-head" style:grid-template-columns=template()>{heads.collect_view()}</div>
        <div class="grid-line grid-filters" style:grid-template-columns=template()>{filters.collect_view()}</div>
    }
}

#[component]
fn GridRowView(index: usize) -> impl IntoView {
    let grid = expect_context::<GridState>();
    let row = Memo::new(move |_| grid.row(index));
    let selected = move || {
        row.with(|r| {
            r.as_ref()
                .is_some_and(|r| grid.selection.with(|s| s.contains(r.id)))
        })
    };
    // The cursor's column when it is on this row: a move reruns the cells of
    // the two rows it leaves and enters, not of every mounted row.
    let cursor_col = Memo::new(move |_| {
        let c = grid.cursor.get();
        (c.row == index).then_some(c.col)
    });
    let cells = COLUMNS.iter().enumerate().map(move |(ci, col)| {
        let col = *col;
        let at = CellCursor {
            row: index,
            col: ci,
        };
        view! {
            <div class="grid-cell" data-col=col.id() class:cursor=move || cursor_col.get() == Some(ci)
                on:click=move |_| grid.cursor.set(at)
                on:dblclick=move |_| { grid.cursor.set(at); start_edit(grid, at) }>
                {move || cell_view(grid, row, at, col)}
            </div>
        }
    });
    view! {
        <div class="grid-line grid-row" data-row=index.to_string()
            data-id=move || row.with(|r| r.as_ref().map(|r| r.id.to_string()).unwrap_or_default())
            class:selected=selected aria-selected=move || selected().to_string()
            style:top=format!("{}px", index as f64 * ROW_PX)
            style:grid-template-columns=template()
            on:click=move |ev: web_sys::MouseEvent| {
                grid.click(index, ev.shift_key(), ev.ctrl_key() || ev.meta_key())
            }>
            {cells.collect_view()}
        </div>
    }
}

/// A cell's content: its text, the photo, or the box it is edited in.
fn cell_view(grid: GridState, row: Memo<Option<GridRow>>, at: CellCursor, col: Col) -> AnyView {
    let editing = grid
        .editing
        .with(|e| e.as_ref().filter(|(c, _)| *c == at).map(|(_, t)| t.clone()));
    if let Some(text) = editing {
        return view! { <CellInput at=at col=col text=text /> }.into_any();
    }
    row.with(|r| match (r, col) {
        (None, _) => ().into_any(),
        (Some(r), Col::Photo) => match r.cover_photo {
            Some(p) => {
                view! { <img class="grid-thumb" src=photo_src(p, PhotoSize::Thumb) alt="" /> }
                    .into_any()
            }
            None => ().into_any(),
        },
        (Some(r), col) => cell_text(r, col).into_any(),
    })
}

/// The box a cell is edited in: Enter (or leaving it) saves, Esc cancels.
#[component]
fn CellInput(at: CellCursor, col: Col, text: String) -> impl IntoView {
    let grid = expect_context::<GridState>();
    let input = NodeRef::<Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
            el.select();
        }
    });
    let finish = move |save: bool| {
        // Taken first: leaving the box (blur) while this runs finds nothing to do.
        let Some((_, before)) = grid.editing.get_untracked() else {
            return;
        };
        let el = input.get_untracked();
        let value = el.as_ref().map(|el| el.value()).unwrap_or_default();
        grid.editing.set(None);
        if let (true, Some(edit)) = (save && value != before, editable(col)) {
            grid.save_cell(at.row, edit, value);
        }
        if let Some(scroller) = el
            .and_then(|el| el.closest(".grid-scroll").ok().flatten())
            .and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = scroller.focus();
        }
    };
    view! {
        <input class="cell-input" node_ref=input value=text data-editing=col.id()
            on:click=|ev| ev.stop_propagation()
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                ev.stop_propagation();
                match ev.key().as_str() {
                    "Enter" => { ev.prevent_default(); finish(true) }
                    "Escape" => { ev.prevent_default(); finish(false) }
                    _ => {}
                }
            }
            on:blur=move |_| finish(true) />
    }
}
