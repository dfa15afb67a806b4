use crate::app::Tab;
use crate::components::icon::Icon;
use leptos::prelude::*;

/// The bottom bar on phones; the same buttons form a sidebar on wide screens.
#[component]
pub fn TabBar() -> impl IntoView {
    let current = expect_context::<RwSignal<Tab>>();
    view! {
        <nav class="tabs" aria-label="Main">
            {Tab::ALL
                .iter()
                .map(|&tab| {
                    view! {
                        <button class="tab" data-tab=tab.id()
                            aria-current=move || (current.get() == tab).then_some("page")
                            on:click=move |_| current.set(tab)>
                            <Icon path=tab.icon() />
                            <span class="tab-label">{tab.label()}</span>
                        </button>
                    }
                })
                .collect_view()}
        </nav>
    }
}
