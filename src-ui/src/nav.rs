//! Navigation: which tab shows. [`Nav`] is provided by the app's frame and
//! read through context by whatever shows or switches a tab; it sits below
//! the pages, components and data modules, so none of them imports the frame.

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

/// The tab showing, shared through context.
#[derive(Clone, Copy)]
pub struct Nav {
    tab: RwSignal<Tab>,
}

impl Nav {
    /// Starts on the feed and provides itself to the views below.
    pub fn provide() -> Nav {
        let nav = Nav {
            tab: RwSignal::new(Tab::Feed),
        };
        provide_context(nav);
        nav
    }

    /// The frame's navigation (every view is inside the frame).
    pub fn get() -> Nav {
        expect_context::<Nav>()
    }

    /// The tab showing (tracked: an effect or view reruns when it changes).
    pub fn tab(self) -> Tab {
        self.tab.get()
    }

    /// Whether `tab` shows, untracked (for timers and callbacks).
    pub fn shows(self, tab: Tab) -> bool {
        self.tab.get_untracked() == tab
    }

    pub fn go(self, tab: Tab) {
        self.tab.set(tab);
    }
}
