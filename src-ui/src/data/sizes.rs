//! The sizes the buyer wears, kept on their account: loaded when shown, saved
//! on the server (online only; the field keeps what was typed if it fails).

use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::ApiError;
use rehome_model::ipc::{MySizesCmd, SetMySizesCmd, Sizes};

#[derive(Clone, Copy)]
pub struct SizesState {
    /// As the account last said; `None` until loaded.
    pub saved: RwSignal<Option<Sizes>>,
    pub saving: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
}

impl SizesState {
    /// Starts loading the account's sizes.
    pub fn load() -> Self {
        let state = Self {
            saved: RwSignal::new(None),
            saving: RwSignal::new(false),
            error: RwSignal::new(None),
        };
        spawn_local(async move {
            match ipc::invoke::<MySizesCmd>(&()).await {
                Ok(sizes) => {
                    let _ = state.saved.try_set(Some(sizes));
                }
                Err(e) => {
                    let _ = state.error.try_set(Some(e));
                }
            }
        });
        state
    }

    /// Saves the sizes typed (`M, W30, EU 42,5`).
    pub fn save(self, typed: &str) {
        let sizes = Sizes::parse_list(typed);
        self.saving.set(true);
        spawn_local(async move {
            let result = ipc::invoke::<SetMySizesCmd>(&sizes).await;
            if self.saving.try_set(false).is_some() {
                return;
            }
            match result {
                Ok(sizes) => {
                    self.saved.set(Some(sizes));
                    self.error.set(None);
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }
}
