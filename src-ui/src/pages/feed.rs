//! The buyer's feed: one vertical scroll of photo cards in a virtual grid (two
//! columns on phones, more on wider windows). The next page is asked for three
//! windows ahead; pull down at the top (touch) or the refresh button (desktop)
//! starts over. Two lists share the scroll: For You and Following, each kept
//! where it was left; a long press on a For You card says why it is there.

use crate::components::card_grid::CardGrid;
use crate::components::feed_why::{WhySheet, WhyState};
use crate::components::icon::Icon;
use crate::components::load_error::LoadError;
use crate::data::feed::{FeedKind, FeedState};
use crate::nav::{Nav, Screen};
use crate::{icons, labels};
use leptos::html::Div;
use leptos::prelude::*;

/// How far (px) a pull at the top must travel to refresh.
const PULL_TO_REFRESH_PX: f64 = 72.0;

/// Scrolls `page` to `top` once the grid is tall enough for it: the grid
/// chosen is laid out a frame or more after the choice, so this tries again
/// each frame, `frames` times at most.
fn restore_scroll(
    page: impl Fn() -> Option<web_sys::Element> + Copy + 'static,
    top: i32,
    frames: u32,
) {
    request_animation_frame(move || {
        let Some(p) = page() else { return };
        p.set_scroll_top(top);
        if (p.scroll_top() - top).abs() > 1 && frames > 0 {
            restore_scroll(page, top, frames - 1);
        }
    });
}

#[component]
pub fn FeedPageView() -> impl IntoView {
    let feed = expect_context::<FeedState>();
    let nav = Nav::get();
    let root = NodeRef::<Div>::new();
    // Pull to refresh: where a touch began, if the page was at its top.
    let pull_from = StoredValue::new(None::<f64>);
    let pulled = RwSignal::new(0.0_f64);
    let at_top = move || {
        root.get_untracked()
            .and_then(|el| el.closest(".page").ok().flatten())
            .is_some_and(|page| page.scroll_top() <= 0)
    };
    let touch_y = |ev: &web_sys::TouchEvent| ev.touches().get(0).map(|t| f64::from(t.client_y()));
    let on_touch_start = move |ev: web_sys::TouchEvent| {
        pull_from.set_value(if at_top() { touch_y(&ev) } else { None });
    };
    let on_touch_move = move |ev: web_sys::TouchEvent| {
        if let (Some(from), Some(y)) = (pull_from.get_value(), touch_y(&ev)) {
            pulled.set((y - from).max(0.0));
        }
    };
    // Starting over shows the newest first: back to the top.
    let refresh = move || {
        if let Some(page) = root
            .get_untracked()
            .and_then(|el| el.closest(".page").ok().flatten())
        {
            page.set_scroll_top(0);
        }
        feed.refresh();
    };
    let on_touch_end = move |_| {
        if pulled.get_untracked() >= PULL_TO_REFRESH_PX {
            refresh();
        }
        pull_from.set_value(None);
        pulled.set(0.0);
    };

    let armed = move || pulled.get() >= PULL_TO_REFRESH_PX;
    let why = WhyState(RwSignal::new(None));
    provide_context(why);
    let page = move || {
        root.get_untracked()
            .and_then(|el| el.closest(".page").ok().flatten())
    };
    // Each feed comes back where it was left.
    let choose = move |kind: FeedKind| {
        let left_at = page().map_or(0, |p| p.scroll_top());
        let back_to = feed.choose(kind, left_at);
        if feed.pages().cards.with_untracked(|c| c.is_empty()) {
            feed.load_more();
        }
        restore_scroll(page, back_to, 30);
    };
    let feed_chip =
        move |kind: FeedKind, key: &'static str, icon: &'static str, text: &'static str| {
            view! {
                <button type="button" class="choice-chip" data-feed=key
                    aria-pressed=move || (feed.shown.get() == kind).to_string()
                    on:click=move |_| choose(kind)>
                    <Icon path=icon />
                    <span>{text}</span>
                </button>
            }
        };
    view! {
        <div class="feed" node_ref=root on:touchstart=on_touch_start on:touchmove=on_touch_move
            on:touchend=on_touch_end on:touchcancel=on_touch_end>
            <div class="feed-bar">
                {move || (pulled.get() > 0.0).then(|| view! {
                    <span class="feed-pull" class:armed=armed>
                        <Icon path=icons::RETRY />
                    </span>
                })}
                <div class="choice-chips feed-kinds">
                    {feed_chip(FeedKind::ForYou, "for_you", icons::STAR, labels::FEED_FOR_YOU)}
                    {feed_chip(FeedKind::Following, "following", icons::FOLLOWING, labels::FOLLOWING)}
                </div>
                <button class="icon-button feed-search" data-action="open-search"
                    aria-label=labels::SEARCH title=labels::SEARCH
                    on:click=move |_| nav.push(Screen::Search)>
                    <Icon path=icons::SEARCH />
                </button>
                <button class="icon-button feed-refresh" data-action="refresh-feed"
                    aria-label=labels::REFRESH title=labels::REFRESH on:click=move |_| refresh()>
                    <Icon path=icons::RETRY />
                </button>
            </div>
            {move || {
                let pages = feed.pages();
                let kind = feed.shown.get();
                view! {
                    <CardGrid cards=pages.cards want_more=Callback::new(move |_| feed.load_more()) />
                    {move || pages.error.get().map(|e| view! { <LoadError error=e retry=Callback::new(move |_| feed.retry()) /> })}
                    {move || pages.loading.get().then(|| view! { <p class="feed-status" aria-live="polite">{labels::FEED_LOADING}</p> })}
                    {move || (pages.done.get() && pages.error.get().is_none()).then(|| {
                        let text = match (pages.cards.with(|c| c.is_empty()), kind) {
                            (true, FeedKind::Following) => labels::FOLLOWING_EMPTY,
                            (true, FeedKind::ForYou) => labels::FEED_EMPTY,
                            (false, _) => labels::FEED_END,
                        };
                        view! { <p class="feed-status feed-end">{text}</p> }
                    })}
                }
            }}
            <WhySheet state=why />
        </div>
    }
}
