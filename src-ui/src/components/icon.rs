use leptos::prelude::*;

/// A stroked 24×24 icon from [`crate::icons`]. Decorative: the label beside it
/// (or the button's aria-label) carries the meaning for screen readers.
#[component]
pub fn Icon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <path d=path />
        </svg>
    }
}
