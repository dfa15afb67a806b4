//! Why a list or a page could not load (offline, or the server's trouble),
//! with a retry button. The error's code picks the words, never its text.

use crate::components::icon::Icon;
use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::{ApiError, ErrorCode};

#[component]
pub fn LoadError(error: ApiError, retry: Callback<()>) -> impl IntoView {
    let (icon, text) = match error.code {
        ErrorCode::Offline => (icons::OFFLINE, labels::OFFLINE),
        ErrorCode::Unauthorized => (icons::PERSON, labels::SIGN_IN_TO_LIKE),
        _ => (icons::WARNING, labels::SERVER_TROUBLE),
    };
    view! {
        <div class="notice" role="alert" data-code=error.code.as_str() title=error.message>
            <Icon path=icon />
            <span>{text}</span>
            <button class="button" on:click=move |_| retry.run(())>
                <Icon path=icons::RETRY />
                {labels::RETRY}
            </button>
        </div>
    }
}
