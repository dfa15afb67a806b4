//! The frame: a bottom bar of icon tabs on phones, a sidebar on wide screens,
//! and the page of the current tab. Pages stay mounted while hidden, so the
//! feed keeps its place when you come back to it.

use crate::components::tab_bar::TabBar;
use crate::data::drafts::DraftsState;
use crate::data::feed::FeedState;
use crate::pages;
use crate::{icons, labels};
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Feed,
    Sell,
    Drafts,
    Likes,
    Me,
}

impl Tab {
    pub const ALL: [Tab; 5] = [Tab::Feed, Tab::Sell, Tab::Drafts, Tab::Likes, Tab::Me];

    /// A stable id for tests and styling.
    pub fn id(self) -> &'static str {
        match self {
            Tab::Feed => "feed",
            Tab::Sell => "sell",
            Tab::Drafts => "drafts",
            Tab::Likes => "likes",
            Tab::Me => "me",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Tab::Feed => labels::TAB_FEED,
            Tab::Sell => labels::TAB_SELL,
            Tab::Drafts => labels::TAB_DRAFTS,
            Tab::Likes => labels::TAB_LIKES,
            Tab::Me => labels::TAB_ME,
        }
    }

    pub fn icon(self) -> &'static str {
        match self {
            Tab::Feed => icons::SHOP,
            Tab::Sell => icons::CAMERA,
            Tab::Drafts => icons::DRAFT,
            Tab::Likes => icons::HEART,
            Tab::Me => icons::PERSON,
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    let tab = RwSignal::new(Tab::Feed);
    provide_context(tab);
    provide_context(FeedState::new());
    let drafts = DraftsState::new();
    provide_context(drafts);
    provide_context(crate::data::sync::SyncState::start());
    let page = move |which: Tab, view: AnyView| {
        view! {
            <div class="page" data-page=which.id() hidden=move || tab.get() != which>
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
            <TabBar />
            <crate::components::sync_indicator::SyncIndicator />
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
