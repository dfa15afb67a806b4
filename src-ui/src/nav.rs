//! Navigation: which tab shows, and the screens pushed over it (a listing, a
//! seller's closet). [`Nav`] is provided by the app's frame and read through
//! context by whatever shows or switches a tab; it sits below the pages,
//! components and data modules, so none of them imports the frame.
//!
//! Pushed screens lie over the tab's page, which stays mounted and visible
//! underneath, so the feed keeps its scroll position when you come back. Each
//! push is also a history entry: the back button, Esc and the system's back
//! (browser-back, a phone's back gesture) all pop the top screen.

use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::ListingId;
use wasm_bindgen::JsValue;

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

/// A screen pushed over the tabs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Screen {
    /// Anyone's listing, by id.
    Listing(ListingId),
    /// A seller's closet, by handle.
    Closet(String),
    /// Search, with its chips and My size.
    Search,
}

impl Screen {
    /// A stable id for tests and styling.
    pub fn id(&self) -> &'static str {
        match self {
            Screen::Listing(_) => "listing",
            Screen::Closet(_) => "closet",
            Screen::Search => "search",
        }
    }
}

/// The tab showing and the screens over it, shared through context.
#[derive(Clone, Copy)]
pub struct Nav {
    tab: RwSignal<Tab>,
    /// Pushed screens, the top last.
    stack: RwSignal<Vec<Screen>>,
}

impl Nav {
    /// Starts on the feed and provides itself to the views below.
    pub fn provide() -> Nav {
        let nav = Nav {
            tab: RwSignal::new(Tab::Feed),
            stack: RwSignal::new(Vec::new()),
        };
        provide_context(nav);
        // The system's back: each history entry holds the depth of the stack
        // it showed, so going back (or forward past what is known) trims to it.
        let _ = window_event_listener(leptos::ev::popstate, move |ev| {
            let depth = ev.state().as_f64().unwrap_or(0.0).max(0.0) as usize;
            nav.stack.update(|s| s.truncate(depth));
        });
        let _ = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() == "Escape" && nav.depth_untracked() > 0 {
                ev.prevent_default();
                nav.back();
            }
        });
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

    /// Shows `tab`, closing any screen pushed over the one before.
    pub fn go(self, tab: Tab) {
        let depth = self.depth_untracked();
        if depth > 0 {
            self.stack.set(Vec::new());
            let _ = history_call("go", &[JsValue::from_f64(-(depth as f64))]);
        }
        self.tab.set(tab);
    }

    /// The screens pushed, the top last (tracked).
    pub fn stack(self) -> Vec<Screen> {
        self.stack.get()
    }

    fn depth_untracked(self) -> usize {
        self.stack.with_untracked(Vec::len)
    }

    /// Opens `screen` over what shows.
    pub fn push(self, screen: Screen) {
        self.stack.update(|s| s.push(screen));
        let depth = JsValue::from_f64(self.depth_untracked() as f64);
        let _ = history_call("pushState", &[depth, JsValue::from_str("")]);
    }

    /// Closes the top screen (through history, so the system's back agrees).
    pub fn back(self) {
        if self.depth_untracked() > 0 && !history_call("back", &[]) {
            self.stack.update(|s| {
                s.pop();
            });
        }
    }
}

/// Calls `window.history[method](...args)`; false when there is no history
/// to call (never in the app's webview).
fn history_call(method: &str, args: &[JsValue]) -> bool {
    let called = (|| {
        let history = js_sys::Reflect::get(&window(), &JsValue::from_str("history")).ok()?;
        let f = js_sys::Reflect::get(&history, &JsValue::from_str(method)).ok()?;
        let f: js_sys::Function = wasm_bindgen::JsCast::dyn_into(f).ok()?;
        let args: js_sys::Array = args.iter().collect();
        f.apply(&history, &args).ok()
    })();
    called.is_some()
}
