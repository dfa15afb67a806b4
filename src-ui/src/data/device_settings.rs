//! This device's settings (not synced): loaded over IPC once, shared through
//! context, changed over IPC. The core keeps them; this mirrors what it saved
//! (a change shows at once and is taken back if the core refuses it).

use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::ApiError;
use rehome_model::ipc::{DeviceSettings, DeviceSettingsCmd, SetDeviceSettingsCmd, Theme};

#[derive(Clone, Copy)]
pub struct DeviceSettingsState {
    /// As the core last saved them; `None` until loaded.
    pub saved: RwSignal<Option<DeviceSettings>>,
    /// Why loading or saving failed (e.g. a damaged settings file).
    pub error: RwSignal<Option<ApiError>>,
}

impl DeviceSettingsState {
    /// Starts loading the settings, provides them to the views below, and
    /// keeps the document's theme (`data-theme` on `<html>`) in step with them.
    pub fn provide() -> Self {
        let state = Self {
            saved: RwSignal::new(None),
            error: RwSignal::new(None),
        };
        state.refresh();
        Effect::new(move |_| apply_theme(state.theme()));
        provide_context(state);
        state
    }

    /// The app's settings (every view is inside the frame that provides them).
    pub fn get() -> Self {
        expect_context::<Self>()
    }

    /// Loads them again (the CLI may have changed them meanwhile).
    pub fn refresh(self) {
        spawn_local(async move {
            match ipc::invoke::<DeviceSettingsCmd>(&()).await {
                Ok(settings) => self.saved.set(Some(settings)),
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    pub fn keep_originals(self) -> bool {
        self.saved
            .with(|s| s.as_ref().is_some_and(|s| s.keep_originals))
    }

    pub fn set_keep_originals(self, keep: bool) {
        self.change(|s| s.keep_originals = keep);
    }

    /// The chosen theme (the system's until the settings are loaded).
    pub fn theme(self) -> Theme {
        self.saved
            .with(|s| s.as_ref().map(|s| s.theme).unwrap_or_default())
    }

    pub fn set_theme(self, theme: Theme) {
        self.change(|s| s.theme = theme);
    }

    /// Shows the change at once, saves it, and shows what the core saved
    /// (the settings before the change if it refused).
    fn change(self, edit: impl FnOnce(&mut DeviceSettings)) {
        let Some(before) = self.saved.get_untracked() else {
            return; // not loaded: nothing to change yet (the controls are disabled)
        };
        let mut next = before.clone();
        edit(&mut next);
        self.saved.set(Some(next.clone()));
        spawn_local(async move {
            match ipc::invoke::<SetDeviceSettingsCmd>(&next).await {
                Ok(settings) => {
                    self.saved.set(Some(settings));
                    self.error.set(None);
                }
                Err(e) => {
                    self.saved.set(Some(before));
                    self.error.set(Some(e));
                }
            }
        });
    }
}

/// `data-theme="light|dark"` on `<html>` picks the colours; without it the
/// stylesheet follows the system (`prefers-color-scheme`).
fn apply_theme(theme: Theme) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match theme {
        Theme::System => root.remove_attribute("data-theme"),
        Theme::Light | Theme::Dark => root.set_attribute("data-theme", theme.as_str()),
    };
}
