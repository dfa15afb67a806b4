//! This device's settings (not synced): loaded over IPC, changed over IPC.
//! The core keeps them; this only mirrors what it saved.

use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::ApiError;
use rehome_model::ipc::{DeviceSettings, DeviceSettingsCmd, SetDeviceSettingsCmd};

#[derive(Clone, Copy)]
pub struct DeviceSettingsState {
    /// As the core last saved them; `None` until loaded.
    pub saved: RwSignal<Option<DeviceSettings>>,
    /// Why loading or saving failed (e.g. a damaged settings file).
    pub error: RwSignal<Option<ApiError>>,
}

impl DeviceSettingsState {
    /// Starts loading the settings.
    pub fn load() -> Self {
        let state = Self {
            saved: RwSignal::new(None),
            error: RwSignal::new(None),
        };
        spawn_local(async move {
            match ipc::invoke::<DeviceSettingsCmd>(&()).await {
                Ok(settings) => state.saved.set(Some(settings)),
                Err(e) => state.error.set(Some(e)),
            }
        });
        state
    }

    pub fn keep_originals(self) -> bool {
        self.saved
            .with(|s| s.as_ref().is_some_and(|s| s.keep_originals))
    }

    pub fn set_keep_originals(self, keep: bool) {
        let mut next = self.saved.get_untracked().unwrap_or_default();
        next.keep_originals = keep;
        spawn_local(async move {
            match ipc::invoke::<SetDeviceSettingsCmd>(&next).await {
                Ok(settings) => {
                    self.saved.set(Some(settings));
                    self.error.set(None);
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }
}
