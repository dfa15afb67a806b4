use crate::components::icon::Icon;
use crate::labels;
use leptos::prelude::*;

/// An honest "not built yet" page: says what is coming, offers nothing fake.
#[component]
pub fn Placeholder(
    icon: &'static str,
    title: &'static str,
    text: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <section class="placeholder">
            <div class="placeholder-icon"><Icon path=icon /></div>
            <h1>{title}</h1>
            <p class="badge">{labels::SOON}</p>
            <p>{text}</p>
            {children.map(|c| c())}
        </section>
    }
}
