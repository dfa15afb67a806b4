//! Why the last like or follow could not be saved (not signed in, most often).

use crate::components::icon::Icon;
use crate::data::social::SocialState;
use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::ErrorCode;

#[component]
pub fn SocialNotice() -> impl IntoView {
    let social = expect_context::<SocialState>();
    move || {
        social.error.get().map(|e| {
            let text = match e.code {
                ErrorCode::Unauthorized => labels::SIGN_IN_TO_LIKE,
                _ => labels::NOT_SAVED_TAP,
            };
            view! {
                <div class="toast" role="alert" data-code=e.code.as_str() title=e.message.clone()>
                    <Icon path=icons::WARNING />
                    <span>{text}</span>
                    <button class="icon-button" aria-label=labels::CLOSE
                        on:click=move |_| social.error.set(None)>
                        <Icon path=icons::CLOSE />
                    </button>
                </div>
            }
        })
    }
}
