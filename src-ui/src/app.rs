//! The frame: a bottom bar of icon tabs on phones, a sidebar on wide screens,
//! and the page of the current tab. Pages stay mounted while hidden, so the
//! feed keeps its place when you come back to it; screens pushed over a tab
//! (a listing, a closet) lie on top of its page, which keeps its place too.

use crate::components::icon::Icon;
use crate::components::tab_bar::TabBar;
use crate::data::drafts::DraftsState;
use crate::data::feed::FeedState;
use crate::data::social::SocialState;
use crate::nav::{Nav, Screen, Tab};
use crate::pages;
use crate::{icons, labels};
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let nav = Nav::provide();
    crate::data::device_settings::DeviceSettingsState::provide();
    provide_context(FeedState::new());
    let drafts = DraftsState::new();
    provide_context(drafts);
    provide_context(crate::data::sync::SyncState::start());
    provide_context(SocialState::new());
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
                {page(Tab::Likes, view! { <pages::likes::LikesPage /> }.into_any())}
                {page(Tab::Me, view! { <pages::me::MePage /> }.into_any())}
                <Screens />
            </main>
            // The bar holds the tabs and the sync indicator side by side (a
            // sidebar on wide screens), so the indicator never covers a control.
            <div class="bar">
                <TabBar />
                <div class="bar-sync"><crate::components::sync_indicator::SyncIndicator /></div>
            </div>
            <UndoToast />
            <crate::components::social_notice::SocialNotice />
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

/// The screens pushed over the tabs, each over the one before, with a back
/// button. All stay mounted, so each keeps its place until it is closed.
#[component]
fn Screens() -> impl IntoView {
    let nav = Nav::get();
    let screens = move || nav.stack().into_iter().enumerate().collect::<Vec<_>>();
    view! {
        <For each=screens key=|(depth, screen)| (*depth, screen.clone())
            children=move |(depth, screen)| {
                let which = screen.id();
                let content = match screen {
                    Screen::Listing(id) => view! { <pages::listing::ListingScreen id=id /> }.into_any(),
                    Screen::Closet(handle) => {
                        view! { <pages::closet::ClosetScreen handle=handle /> }.into_any()
                    }
                    Screen::Search => view! { <pages::search::SearchScreen /> }.into_any(),
                };
                view! {
                    <div class="page screen" data-screen=which data-depth=(depth + 1).to_string()
                        style:z-index=(depth + 2).to_string()>
                        <div class="screen-bar">
                            <button class="icon-button" data-action="back" aria-label=labels::BACK
                                title=labels::BACK on:click=move |_| nav.back()>
                                <Icon path=icons::BACK />
                            </button>
                        </div>
                        {content}
                    </div>
                }
            } />
    }
}
