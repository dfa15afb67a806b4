//! A virtual grid of listing cards in the page's one vertical scroll: only the
//! rows near the window are mounted (`rehome_model::card_grid` says which, and
//! where each card sits), so a feed of 10,000 items keeps a few dozen cards in
//! the document. The grid measures itself and its scrolling page; it asks for
//! more cards through `want_more` and never loads anything itself.

use crate::components::listing_card::{CardPlace, ListingCardView};
use leptos::html::Div;
use leptos::prelude::*;
use rehome_model::ListingCard;
use rehome_model::card_grid::GridLayout;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// What the grid knows of the window: its own width, the scrolling page's
/// height, and how far its top is scrolled above the page's top.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Measure {
    width: f64,
    height: f64,
    top: f64,
}

#[component]
pub fn CardGrid(
    #[prop(into)] cards: Signal<Vec<ListingCard>>,
    /// Called when fewer than three windows of cards are loaded below the
    /// window; it may be called again before the load ends (the callee keeps
    /// one load at a time).
    #[prop(into)]
    want_more: Callback<()>,
) -> impl IntoView {
    let grid = NodeRef::<Div>::new();
    let measure = RwSignal::new(Measure::default());
    // `try_`: a closet's grid goes with its screen, while the listeners
    // below may still fire once (a resize observer reports the removal).
    let remeasure = move || {
        let Some(el) = grid.try_get_untracked().flatten() else {
            return;
        };
        let Some(page) = el.closest(".page").ok().flatten() else {
            return;
        };
        let width = f64::from(el.client_width());
        let height = f64::from(page.client_height());
        // A hidden tab measures 0: keep the last measure (and the place).
        if width <= 0.0 || height <= 0.0 {
            return;
        }
        let top = page.get_bounding_client_rect().top() - el.get_bounding_client_rect().top();
        let next = Measure { width, height, top };
        if measure.try_get_untracked().is_some_and(|m| m != next) {
            let _ = measure.try_set(next);
        }
    };

    Effect::new(move |_| {
        let Some(el) = grid.get() else { return };
        let Some(page) = el.closest(".page").ok().flatten() else {
            return;
        };
        let on_scroll = Closure::<dyn FnMut()>::new(remeasure);
        let options = web_sys::AddEventListenerOptions::new();
        options.set_passive(true);
        let _ = page.add_event_listener_with_callback_and_add_event_listener_options(
            "scroll",
            on_scroll.as_ref().unchecked_ref(),
            &options,
        );
        // Size changes: the window, the tab shown again, the sidebar.
        let on_resize = Closure::<dyn FnMut(js_sys::Array)>::new(move |_| remeasure());
        if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&el);
            observer.observe(&page);
        }
        // Kept for the page's life (the feed's: the app's). A closet's page
        // goes with its screen, and with it the listeners.
        on_scroll.forget();
        on_resize.forget();
        remeasure();
    });

    let layout = Memo::new(move |_| GridLayout::for_width(measure.get().width));
    let count = Memo::new(move |_| cards.with(Vec::len));
    let mounted = Memo::new(move |_| {
        let m = measure.get();
        layout.get().mounted(m.top, m.height, count.get())
    });
    Effect::new(move |_| {
        let m = measure.get();
        if m.height > 0.0 && layout.get().wants_more(m.top, m.height, count.get()) {
            want_more.run(());
        }
    });

    let shown = move || {
        let range = mounted.get();
        cards.with(|all| {
            let end = range.end.min(all.len());
            let start = range.start.min(end);
            all[start..end]
                .iter()
                .enumerate()
                .map(|(i, card)| (start + i, card.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="card-grid" node_ref=grid data-loaded=move || count.get().to_string()
            data-columns=move || layout.get().columns.to_string()
            style:height=move || format!("{}px", layout.get().total_height(count.get()))>
            <For each=shown key=|(index, card)| (*index, card.id)
                children=move |(index, card)| {
                    let place = Signal::derive(move || {
                        let l = layout.get();
                        let (x, y) = l.position(index);
                        CardPlace { x, y, width: l.card_width, height: l.card_height }
                    });
                    view! { <ListingCardView card=card place=place /> }
                } />
        </div>
    }
}
