//! Conflicts the seller must settle: the same price, status or quantity
//! changed on two devices. Each shows both values in plain words and offers
//! "Keep mine", "Take theirs" or a new value; the choice becomes a new edit.
//!
//! [`NeedsYourChoice`] is the Drafts tab's section; [`ListingConflicts`] sits
//! next to the fields in the editor of one listing.

use crate::components::icon::Icon;
use crate::data::conflicts::ConflictsState;
use crate::data::drafts::DraftsState;
use crate::data::editor::Editor;
use crate::nav::{Nav, Tab};
use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::ListingId;
use rehome_model::ipc::{ConflictChoice, OpenConflict};
use rehome_model::sync::GuardedField;

/// The Drafts tab's "Needs your choice" section (nothing when none is open).
#[component]
pub fn NeedsYourChoice() -> impl IntoView {
    let state = ConflictsState::new();
    let nav = Nav::get();
    let drafts = expect_context::<DraftsState>();
    Effect::new(move |_| {
        if nav.tab() == Tab::Drafts {
            state.refresh();
        }
    });
    state.poll_while(move || nav.shows(Tab::Drafts));
    move || {
        let open = state.open.get();
        (!open.is_empty()).then(|| {
            view! {
                <section class="conflicts" data-conflicts="drafts" aria-labelledby="conflicts-title">
                    <h2 id="conflicts-title"><Icon path=icons::WARNING />{labels::NEEDS_YOUR_CHOICE}</h2>
                    <ul>
                        {open.into_iter().map(|c| view! {
                            <ConflictCard conflict=c state=state with_title=true
                                settled=move || drafts.refresh() />
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

/// The open conflicts of listing `id` on `fields`, for the editor.
#[component]
pub fn ListingConflicts(id: ListingId, fields: &'static [GuardedField]) -> impl IntoView {
    let state = ConflictsState::new();
    state.refresh();
    let nav = Nav::get();
    state.poll_while(move || nav.shows(Tab::Sell));
    let editor = use_context::<Editor>();
    move || {
        let mine: Vec<OpenConflict> = state
            .open
            .get()
            .into_iter()
            .filter(|c| c.listing_id == id && fields.contains(&c.field))
            .collect();
        (!mine.is_empty()).then(|| {
            view! {
                <ul class="conflicts conflicts-inline" data-conflicts="editor">
                    {mine.into_iter().map(|c| view! {
                        <ConflictCard conflict=c state=state with_title=false
                            settled=move || if let Some(editor) = editor { editor.reload_price() } />
                    }).collect_view()}
                </ul>
            }
        })
    }
}

#[component]
fn ConflictCard(
    conflict: OpenConflict,
    state: ConflictsState,
    with_title: bool,
    settled: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = conflict.id;
    let field = conflict.field;
    let typed = RwSignal::new(String::new());
    let busy = move || state.busy.get().is_some();
    let choose = move |choice: ConflictChoice| state.resolve(id, choice, settled);
    let title = if conflict.title.trim().is_empty() {
        labels::UNTITLED.to_owned()
    } else {
        conflict.title.clone()
    };
    let input_id = format!("conflict-{id}-value");
    view! {
        <li class="conflict" data-conflict=id.to_string() data-listing=conflict.listing_id.to_string()
            data-field=labels::guarded_field_key(field)>
            <p class="conflict-what">
                {with_title.then(|| view! { <strong class="conflict-title">{title}</strong> })}
                <span class="conflict-field">{labels::guarded_field(field)}</span>
                <span class="conflict-why">{labels::CHANGED_ON_TWO_DEVICES}</span>
            </p>
            <div class="conflict-values">
                <div class="conflict-value conflict-mine">
                    <span class="conflict-who"><Icon path=icons::PHONE />{labels::ON_THIS_DEVICE}</span>
                    <strong data-value="mine">{labels::guarded_value(field, &conflict.mine)}</strong>
                </div>
                <div class="conflict-value conflict-theirs">
                    <span class="conflict-who"><Icon path=icons::SHOP />{labels::IN_THE_SHOP}</span>
                    <strong data-value="theirs">{labels::guarded_value(field, &conflict.theirs)}</strong>
                </div>
            </div>
            <div class="conflict-actions">
                <button class="button" data-choice="mine" disabled=busy
                    on:click=move |_| choose(ConflictChoice::Mine)>
                    <Icon path=icons::PHONE />{labels::KEEP_MINE}
                </button>
                <button class="button button-quiet" data-choice="theirs" disabled=busy
                    on:click=move |_| choose(ConflictChoice::Theirs)>
                    <Icon path=icons::SHOP />{labels::TAKE_THEIRS}
                </button>
            </div>
            {(field == GuardedField::Price).then(|| view! {
                <form class="conflict-new" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    let value = typed.get_untracked().trim().to_owned();
                    if !value.is_empty() {
                        choose(ConflictChoice::Value(value));
                    }
                }>
                    <label for=input_id.clone()>{labels::OR_NEW_VALUE}</label>
                    <input id=input_id.clone() inputmode="decimal" data-choice-input="value"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev)) />
                    <button class="button" data-choice="value" disabled=busy>
                        <Icon path=icons::CHECK />{labels::SET}
                    </button>
                </form>
            })}
            {move || state.error_for(id).map(|e| view! {
                <p class="field-error" role="alert" data-code=e.code.as_str()>{e.message}</p>
            })}
        </li>
    }
}
