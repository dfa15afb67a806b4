//! "My sizes" on the Me tab: the sizes the buyer wears, as labels say them,
//! which search applies while My size is on.

use crate::components::icon::Icon;
use crate::data::sizes::SizesState;
use crate::{icons, labels};
use leptos::html::Input;
use leptos::prelude::*;
use rehome_model::ErrorCode;

#[component]
pub fn MySizes() -> impl IntoView {
    let state = SizesState::load();
    let input = NodeRef::<Input>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(i) = input.get_untracked() {
            state.save(&i.value());
        }
    };
    let shown = move || {
        state
            .saved
            .with(|s| s.as_ref().map(|s| s.sizes.join("; ")).unwrap_or_default())
    };
    view! {
        <form class="my-sizes" data-setting="sizes" on:submit=on_submit>
            <h2 class="setting-title" id="my-sizes-title">{labels::MY_SIZES}</h2>
            <div class="my-sizes-row">
                <input id="my-sizes" type="text" node_ref=input aria-labelledby="my-sizes-title"
                    placeholder=labels::MY_SIZES_HINT prop:value=shown
                    data-saved=shown />
                <button class="button" type="submit" data-action="save-sizes"
                    disabled=move || state.saving.get()>
                    <Icon path=icons::CHECK />{labels::SAVE}
                </button>
            </div>
            {move || state.error.get().map(|e| {
                let text = match e.code {
                    ErrorCode::Offline => labels::AUTH_OFFLINE,
                    _ => labels::NOT_SAVED_TAP,
                };
                view! { <p class="field-error" role="alert" data-code=e.code.as_str() title=e.message.clone()>{text}</p> }
            })}
        </form>
    }
}
