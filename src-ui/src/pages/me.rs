//! The Me tab: for now, which app and which shop server this is.

use crate::components::placeholder::Placeholder;
use crate::{icons, ipc, labels};
use leptos::prelude::*;
use rehome_model::ipc::AppInfoCmd;

#[component]
pub fn MePage() -> impl IntoView {
    let info = LocalResource::new(|| ipc::invoke::<AppInfoCmd>(&()));
    view! {
        <Placeholder icon=icons::PERSON title=labels::TAB_ME text=labels::ME_SOON>
            <dl class="facts">
                {move || info.get().and_then(|r| r.ok()).map(|info| view! {
                    <dt>{labels::VERSION}</dt><dd>{info.version}</dd>
                    <dt>{labels::SERVER}</dt><dd>{info.server}</dd>
                })}
            </dl>
        </Placeholder>
    }
}
