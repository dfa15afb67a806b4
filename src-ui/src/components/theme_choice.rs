//! Light, dark, or as the system says: three icon chips in Me. The choice is
//! a device setting, kept by the core; the colours change at once.

use crate::components::icon::Icon;
use crate::data::device_settings::DeviceSettingsState;
use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::ipc::Theme;

#[component]
pub fn ThemeChoice() -> impl IntoView {
    let settings = DeviceSettingsState::get();
    let chip = move |theme: Theme| {
        let (icon, text) = match theme {
            Theme::System => (icons::CONTRAST, labels::THEME_SYSTEM),
            Theme::Light => (icons::SUN, labels::THEME_LIGHT),
            Theme::Dark => (icons::MOON, labels::THEME_DARK),
        };
        view! {
            <button type="button" class="choice-chip" data-theme-choice=theme.as_str()
                aria-pressed=move || if settings.theme() == theme { "true" } else { "false" }
                disabled=move || settings.saved.with(Option::is_none)
                on:click=move |_| settings.set_theme(theme)>
                <Icon path=icon />{text}
            </button>
        }
    };
    view! {
        <section class="theme-choice" aria-labelledby="theme-choice-title">
            <h2 id="theme-choice-title" class="setting-title">{labels::THEME}</h2>
            <div class="choice-chips" role="group" aria-labelledby="theme-choice-title">
                {Theme::ALL.into_iter().map(chip).collect_view()}
            </div>
            {move || settings.error.get().map(|e| view! {
                <p class="notice" role="alert" data-code=e.code.as_str()>{e.message}</p>
            })}
        </section>
    }
}
