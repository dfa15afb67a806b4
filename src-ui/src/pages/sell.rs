//! The Sell tab: start a listing, or the editor of the draft being worked on.

use crate::components::icon::Icon;
use crate::data::drafts::DraftsState;
use crate::pages::editor::DraftEditor;
use crate::{icons, labels};
use leptos::prelude::*;

#[component]
pub fn SellPage() -> impl IntoView {
    let drafts = expect_context::<DraftsState>();
    move || {
        match drafts.editing.get() {
        // Keyed by id: a different draft gets a fresh editor.
        Some(id) => view! { <DraftEditor id=id /> }.into_any(),
        None => view! {
            <section class="sell-start">
                <button class="big-action" data-action="new-listing" on:click=move |_| drafts.create()>
                    <Icon path=icons::CAMERA />
                    <span>{labels::NEW_LISTING}</span>
                </button>
                <p class="hint">{labels::NEW_LISTING_HINT}</p>
            </section>
        }
        .into_any(),
    }
    }
}
