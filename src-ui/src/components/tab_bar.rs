use crate::components::icon::Icon;
use crate::nav::{Nav, Tab};
use leptos::prelude::*;

/// The bottom bar on phones; the same buttons form a sidebar on wide screens.
#[component]
pub fn TabBar() -> impl IntoView {
    let nav = Nav::get();
    view! {
        <nav class="tabs" aria-label="Main">
            {Tab::ALL
                .iter()
                .map(|&tab| {
                    view! {
                        <button class="tab" data-tab=tab.id()
                            aria-current=move || (nav.tab() == tab).then_some("page")
                            on:click=move |_| nav.go(tab)>
                            <Icon path=tab.icon() />
                            <span class="tab-label">{tab.label()}</span>
                        </button>
                    }
                })
                .collect_view()}
        </nav>
    }
}
