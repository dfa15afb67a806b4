//! The draft editor: photos, fields, the publish checklist and the actions.
//! Phone: one column with large targets. Desktop: a two-column form.

mod camera;
mod checklist;
mod fields;
mod photos;

use crate::components::icon::Icon;
use crate::components::stage_badge::{ListingStage, StageAttention};
use crate::data::drafts::DraftsState;
use crate::data::editor::{Editor, SaveState};
use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::ListingId;
use rehome_model::draft::DraftStage;

#[component]
pub fn DraftEditor(id: ListingId) -> impl IntoView {
    let drafts = expect_context::<DraftsState>();
    let editor = Editor::load(id);
    provide_context(editor);
    let confirming = RwSignal::new(false);
    let back = move |_| drafts.editing.set(None);
    view! {
        <section class="editor" data-draft=id.to_string()>
            <header class="editor-bar">
                <button class="icon-button" aria-label=labels::BACK on:click=back><Icon path=icons::BACK /></button>
                <SaveIndicator />
                <ListingStage id=id fallback=Signal::derive(move || {
                    editor.draft.with(|d| d.as_ref().map_or(DraftStage::Draft, |d| d.stage.clone()))
                }) />
            </header>
            <StageAttention id=id />
            <UnsavedNotice />
            <crate::components::conflicts::ListingConflicts id=id fields=&[rehome_model::sync::GuardedField::Status, rehome_model::sync::GuardedField::Quantity] />
            <div class="editor-columns">
                <div class="editor-main">
                    <photos::PhotoStrip />
                    <fields::Fields />
                </div>
                <aside class="editor-side">
                    <checklist::Checklist />
                    {move || editor.error.get().map(|e| view! {
                        <p class="notice" role="alert" data-code=e.code.as_str()>{e.message}</p>
                    })}
                    <button class="button button-wide" data-action="publish" on:click=move |_| editor.publish()>
                        <Icon path=icons::UPLOAD />{labels::PUBLISH}
                    </button>
                    <div class="editor-actions">
                        <button class="button button-quiet" data-action="duplicate"
                            on:click=move |_| drafts.duplicate(id)>
                            <Icon path=icons::COPY />{labels::DUPLICATE}
                        </button>
                        <button class="button button-quiet" data-action="delete" on:click=move |_| confirming.set(true)>
                            <Icon path=icons::TRASH />{labels::DELETE}
                        </button>
                    </div>
                    {move || confirming.get().then(|| view! {
                        <div class="confirm" role="alertdialog" aria-label=labels::DELETE_ASK>
                            <p>{labels::DELETE_ASK}</p>
                            <button class="button button-danger" data-action="confirm-delete"
                                on:click=move |_| { confirming.set(false); drafts.delete(id) }>{labels::DELETE}</button>
                            <button class="button button-quiet" on:click=move |_| confirming.set(false)>{labels::KEEP}</button>
                        </div>
                    })}
                </aside>
            </div>
        </section>
    }
}

/// Saved / Saving… / Not saved.
#[component]
fn SaveIndicator() -> impl IntoView {
    let editor = expect_context::<Editor>();
    move || {
        let (class, text, state) = match editor.save_state() {
            SaveState::Saved => ("save save-done", labels::SAVED, "saved"),
            SaveState::Saving => ("save save-busy", labels::SAVING, "saving"),
            SaveState::NotSaved => ("save save-failed", labels::NOT_SAVED, "failed"),
        };
        view! { <span class=class data-save=state aria-live="polite">{text}</span> }
    }
}

/// Shown while an edit could not be saved: why, that it is kept, and a retry.
#[component]
fn UnsavedNotice() -> impl IntoView {
    let editor = expect_context::<Editor>();
    move || {
        editor.unsaved.get().map(|e| {
            view! {
                <div class="notice" role="alert" data-code=e.code.as_str()>
                    <Icon path=icons::WARNING />
                    <span><strong>{labels::NOT_SAVED}": "</strong>{e.message}" "{labels::KEPT_IN_MEMORY}</span>
                    <button class="button" on:click=move |_| editor.retry_unsaved()>
                        <Icon path=icons::RETRY />{labels::RETRY}
                    </button>
                </div>
            }
        })
    }
}
