//! Tabs whose features are still to come. They say so, and fake nothing.

use crate::components::placeholder::Placeholder;
use crate::{icons, labels};
use leptos::prelude::*;

#[component]
pub fn SellPage() -> impl IntoView {
    view! { <Placeholder icon=icons::CAMERA title=labels::TAB_SELL text=labels::SELL_SOON /> }
}

#[component]
pub fn DraftsPage() -> impl IntoView {
    view! { <Placeholder icon=icons::DRAFT title=labels::TAB_DRAFTS text=labels::DRAFTS_SOON /> }
}

#[component]
pub fn LikesPage() -> impl IntoView {
    view! { <Placeholder icon=icons::HEART title=labels::TAB_LIKES text=labels::LIKES_SOON /> }
}
