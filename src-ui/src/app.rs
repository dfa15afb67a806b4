//! The frame: a bottom bar of icon tabs on phones, a sidebar on wide screens,
//! and the page of the current tab. Pages stay mounted while hidden, so the
//! feed keeps its place when you come back to it.

use crate::components::tab_bar::TabBar;
use crate::data::drafts::DraftsState;
use crate::data::feed::FeedState;
use crate::labels;
use crate::nav::{Nav, Tab};
use crate::pages;
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let nav = Nav::provide();
    crate::data::device_settings::DeviceSettingsState::provide();
    provide_context(FeedState::new());
    let drafts = DraftsState::new();
    provide_context(drafts);
    provide_context(crate::data::sync::SyncState::start());
    let page = move |which: Tab, view: AnyView| {
        view! {
            <div class="page" data-page=which.id() hidden=move || nav.tab() != which>
                {view}
            </div>
        }
    };
    view! {
        <div class="frame">
            <main class="pages">
                {page(Tab::Feed, view! { <pages::feed::FeedPageView /> }.into_any())}
                {page(Tab::Sell, view! { <pages::sell::SellPage /> }.into_any())}
                {page(Tab::Drafts, view! { <pages::drafts::DraftsPage /> }.into_any())}
                {page(Tab::Likes, view! { <pages::placeholders::LikesPage /> }.into_any())}
                {page(Tab::Me, view! { <pages::me::MePage /> }.into_any())}
            </main>
            // The bar holds the tabs and the sync indicator side by side (a
            // sidebar on wide screens), so the indicator never covers a control.
            <div class="bar">
                <TabBar />
                <div class="bar-sync"><crate::components::sync_indicator::SyncIndicator /></div>
            </div>
            <UndoToast />
        </div>
    }
}

/// "Draft deleted — Undo", while the core's undo window is open.
#[component]
fn UndoToast() -> impl IntoView {
    let drafts = expect_context::<DraftsState>();
    move || {
        drafts.undo.get().map(|_| {
            view! {
                <div class="toast" role="status">
                    <span>{labels::DELETED}</span>
                    <button class="button" data-action="undo-delete" on:click=move |_| drafts.undo_delete()>{labels::UNDO}</button>
                </div>
            }
        })
    }
}
