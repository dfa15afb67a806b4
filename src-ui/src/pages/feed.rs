//! The buyer's feed: one vertical list of photo cards; the next page loads as
//! the end comes into view.

use crate::components::icon::Icon;
use crate::components::listing_card::ListingCardView;
use crate::data::feed::FeedState;
use crate::{icons, labels};
use leptos::html::Div;
use leptos::prelude::*;
use rehome_model::ErrorCode;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// How close (px) the end of the list must come before the next page loads.
const PRELOAD_MARGIN: f64 = 900.0;

#[component]
pub fn FeedPageView() -> impl IntoView {
    let feed = expect_context::<FeedState>();
    let sentinel = NodeRef::<Div>::new();

    // Keep loading while the end of the list is near the viewport (the first
    // pages may not fill a tall screen, and the observer only fires on change).
    let near_end = move || {
        sentinel.get_untracked().is_some_and(|el| {
            let viewport = web_sys::window()
                .and_then(|w| w.inner_height().ok())
                .and_then(|h| h.as_f64())
                .unwrap_or(800.0);
            let rect = el.get_bounding_client_rect();
            rect.height() >= 0.0
                && rect.top() < viewport + PRELOAD_MARGIN
                && el.offset_parent().is_some()
        })
    };
    fn load(feed: FeedState, near_end: impl Fn() -> bool + Copy + 'static) {
        feed.load_more(move || {
            if near_end() {
                load(feed, near_end);
            }
        });
    }

    Effect::new(move |_| {
        let Some(el) = sentinel.get() else { return };
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let hit = entries
                .iter()
                .filter_map(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
                .any(|e| e.is_intersecting());
            if hit {
                load(feed, near_end);
            }
        });
        let options = web_sys::IntersectionObserverInit::new();
        options.set_root_margin(&format!("{PRELOAD_MARGIN}px 0px"));
        if let Ok(observer) = web_sys::IntersectionObserver::new_with_options(
            callback.as_ref().unchecked_ref(),
            &options,
        ) {
            observer.observe(&el);
        }
        // The feed page lives as long as the app (pages are never unmounted).
        callback.forget();
    });
    load(feed, near_end);

    let retry = move |_| load(feed, near_end);
    view! {
        <div class="feed">
            <For each=move || feed.cards.get() key=|card| card.id
                children=move |card| view! { <ListingCardView card=card /> } />
            {move || feed.error.get().map(|e| {
                let (icon, text) = match e.code {
                    ErrorCode::Offline => (icons::OFFLINE, labels::OFFLINE),
                    _ => (icons::WARNING, labels::SERVER_TROUBLE),
                };
                view! {
                    <div class="notice" role="alert" data-code=e.code.as_str() title=e.message.clone()>
                        <Icon path=icon />
                        <span>{text}</span>
                        <button class="button" on:click=retry>
                            <Icon path=icons::RETRY />
                            {labels::RETRY}
                        </button>
                    </div>
                }
            })}
            {move || (feed.loading.get()).then(|| view! { <p class="feed-status" aria-live="polite">{labels::FEED_LOADING}</p> })}
            {move || (feed.done.get() && feed.error.get().is_none()).then(|| {
                let text = if feed.cards.with(|c| c.is_empty()) { labels::FEED_EMPTY } else { labels::FEED_END };
                view! { <p class="feed-status feed-end">{text}</p> }
            })}
            <div class="feed-sentinel" node_ref=sentinel></div>
        </div>
    }
}
