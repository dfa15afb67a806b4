//! The global sync indicator: offline, syncing (with a count), up to date, or
//! signed out ("sign in to sync", which opens the Me tab). Icon first, few
//! words. Tapping it syncs now; a badge counts listings that need attention.

use crate::components::icon::Icon;
use crate::data::sync::SyncState;
use crate::nav::{Nav, Tab};
use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::ipc::SyncIndicator as Indicator;

#[component]
pub fn SyncIndicator() -> impl IntoView {
    let sync = expect_context::<SyncState>();
    let nav = Nav::get();
    // Only what the indicator shows: a poll that changes nothing else does
    // not replace the button.
    let shown = Memo::new(move |_| {
        sync.status.with(|s| {
            s.as_ref().map(|s| {
                (
                    s.indicator,
                    s.pending,
                    s.needs_attention,
                    s.last_error.clone(),
                )
            })
        })
    });
    move || {
        let (indicator, pending, needs_attention, last_error) = shown.get()?;
        let (key, icon, text, hint) = match indicator {
            Indicator::SignedOut => (
                "signed_out",
                icons::SIGN_IN,
                labels::SYNC_SIGN_IN.to_owned(),
                labels::SYNC_SIGN_IN_HINT.to_owned(),
            ),
            Indicator::SessionExpired => (
                "session_expired",
                icons::SIGN_IN,
                labels::SYNC_SIGN_IN_AGAIN.to_owned(),
                labels::SYNC_SIGN_IN_HINT.to_owned(),
            ),
            Indicator::Offline => (
                "offline",
                icons::OFFLINE,
                labels::SYNC_OFFLINE.to_owned(),
                last_error.unwrap_or_default(),
            ),
            Indicator::Syncing => (
                "syncing",
                icons::UPLOAD,
                pending.to_string(),
                labels::SYNC_SYNCING_HINT.to_owned(),
            ),
            Indicator::UpToDate => (
                "up_to_date",
                icons::CHECK,
                String::new(),
                labels::SYNC_UP_TO_DATE.to_owned(),
            ),
        };
        let signed_out = matches!(indicator, Indicator::SignedOut | Indicator::SessionExpired);
        let on_click = move |_| {
            if signed_out {
                nav.go(Tab::Me);
            } else {
                sync.sync_now();
            }
        };
        let attention = (needs_attention > 0).then(|| {
            view! {
                <span class="sync-attention" data-attention-count=needs_attention
                    title=labels::STAGE_ATTENTION>
                    <Icon path=icons::WARNING />{needs_attention}
                </span>
            }
        });
        let label = if text.is_empty() {
            hint.clone()
        } else {
            format!("{text}: {hint}")
        };
        Some(view! {
            <button class=format!("sync-indicator sync-{key}") data-sync=key
                data-pending=pending title=hint aria-label=label on:click=on_click>
                <Icon path=icon />
                {(!text.is_empty()).then(|| view! { <span class="sync-text">{text}</span> })}
                {attention}
            </button>
        })
    }
}
