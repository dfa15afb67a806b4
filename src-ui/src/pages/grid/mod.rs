//! The seller's listings at desktop widths (from
//! `rehome_model::seller_grid::DESKTOP_MIN_PX`): every listing and draft in
//! one grid, with the bulk toolbar and the previews of what an edit or an
//! import would do. Phones keep the drafts list.

mod preview;
mod table;
mod toolbar;

use crate::data::bulk::BulkState;
use crate::data::grid::GridState;
use crate::labels;
use crate::nav::{Nav, Tab};
use leptos::prelude::*;
use rehome_model::seller_grid::DESKTOP_MIN_PX;

/// Whether the window is desktop-wide (follows resizes).
pub fn desktop_width() -> Signal<bool> {
    let wide = move || {
        window()
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .is_some_and(|w| w >= DESKTOP_MIN_PX)
    };
    let signal = RwSignal::new(wide());
    let handle = window_event_listener(leptos::ev::resize, move |_| {
        let now = wide();
        if signal.get_untracked() != now {
            signal.set(now);
        }
    });
    // The frame lives as long as the app.
    std::mem::forget(handle);
    signal.into()
}

#[component]
pub fn SellerGrid() -> impl IntoView {
    let grid = GridState::new();
    let bulk = BulkState::new(grid);
    provide_context(grid);
    provide_context(bulk);
    let nav = Nav::get();
    // Edits happen in the editor too: read again whenever the tab shows.
    Effect::new(move |_| {
        if nav.tab() == Tab::Drafts {
            grid.reload();
        }
    });
    view! {
        <section class="seller-grid" data-seller-grid>
            <h1 class="page-title">{labels::GRID_LISTINGS}</h1>
            <toolbar::GridToolbar />
            <preview::BulkPreviewPanel />
            <preview::CsvPreviewPanel />
            <table::GridTable />
        </section>
    }
}
