//! Tabs whose features are still to come. They say so, and fake nothing.

use crate::components::placeholder::Placeholder;
use crate::{icons, labels};
use leptos::prelude::*;

#[component]
pub fn LikesPage() -> impl IntoView {
    view! { <Placeholder icon=icons::HEART title=labels::TAB_LIKES text=labels::LIKES_SOON /> }
}
