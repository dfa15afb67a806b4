//! The editor's fields. Each shows its problems right below it.

use crate::components::icon::Icon;
use crate::data::editor::Editor;
use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::draft::{DraftField, Problem};
use rehome_model::{Category, Condition};

#[component]
pub fn Fields() -> impl IntoView {
    let categories = Category::ALL
        .iter()
        .map(|&c| Choice {
            value: c.as_str().to_owned(),
            label: labels::category(c),
            icon: icons::category(c),
        })
        .collect();
    let conditions = Condition::ALL
        .iter()
        .map(|&c| Choice {
            value: c.as_str().to_owned(),
            label: labels::condition(c),
            icon: icons::condition(c),
        })
        .collect();
    let parcels = labels::PARCELS
        .iter()
        .map(|&(v, label)| Choice {
            value: v.to_owned(),
            label,
            icon: icons::parcel(v),
        })
        .collect();
    view! {
        <div class="fields">
            <TextField field=DraftField::Title />
            <TextField field=DraftField::Description multiline=true />
            <div class="field-pair">
                <TextField field=DraftField::Price input_mode="decimal" />
                <TextField field=DraftField::OriginalPrice input_mode="decimal" />
            </div>
            {use_context::<Editor>().map(|e| view! { <crate::components::conflicts::ListingConflicts id=e.id fields=&[rehome_model::sync::GuardedField::Price] /> })}
            <ChoiceField field=DraftField::Category options=categories />
            <ChoiceField field=DraftField::Condition options=conditions />
            <div class="field-pair">
                <TextField field=DraftField::Brand />
                <TextField field=DraftField::Size />
            </div>
            <TextField field=DraftField::Colour />
            <ChoiceField field=DraftField::Parcel options=parcels allow_other=labels::PARCEL_WEIGHT />
            <TextField field=DraftField::Sku />
        </div>
    }
}

/// The problems of one field.
#[component]
fn Problems(field: DraftField) -> impl IntoView {
    let editor = expect_context::<Editor>();
    view! {
        <div class="field-errors" id=format!("errors-{}", field.as_str()) aria-live="polite">
            {move || editor.field_errors(field).into_iter().map(|e| view! {
                <p class="field-error" data-problem=problem_key(&e.problem)>
                    {e.message}
                </p>
            }).collect_view()}
        </div>
    }
}

#[component]
fn TextField(
    field: DraftField,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] input_mode: &'static str,
) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let name = field.as_str();
    let value = move || editor.values.with(|v| v.get(field).to_owned());
    let invalid = move || (!editor.field_errors(field).is_empty()).then_some("true");
    let on_input = move |ev: leptos::ev::Event| editor.input(field, event_target_value(&ev));
    let control = if multiline {
        view! {
            <textarea id=name name=name rows="4" prop:value=value aria-invalid=invalid
                aria-describedby=format!("errors-{name}") on:input=on_input></textarea>
        }
        .into_any()
    } else {
        let mode = if input_mode.is_empty() {
            "text"
        } else {
            input_mode
        };
        view! {
            <input id=name name=name type="text" inputmode=mode autocomplete="off" prop:value=value
                aria-invalid=invalid aria-describedby=format!("errors-{name}") on:input=on_input />
        }
        .into_any()
    };
    view! {
        <div class="field" data-field=name>
            <label for=name>{labels::field(field)}</label>
            {control}
            <Problems field=field />
        </div>
    }
}

/// A choice of a few values as icon chips a thumb can hit (radio buttons
/// underneath, so arrows and Tab work as in any radio group); with
/// `allow_other`, a free-text alternative beside them (the parcel's weight).
#[component]
fn ChoiceField(
    field: DraftField,
    options: Vec<Choice>,
    #[prop(optional)] allow_other: &'static str,
) -> impl IntoView {
    let editor = expect_context::<Editor>();
    let name = field.as_str();
    let current = move || editor.values.with(|v| v.get(field).to_owned());
    let known: Vec<String> = options.iter().map(|c| c.value.clone()).collect();
    let is_known = move |text: &str| known.iter().any(|k| k == text);
    let chips = options
        .into_iter()
        .map(|Choice { value, label, icon }| {
            let checked_value = value.clone();
            let chosen = value.clone();
            let key = value.clone();
            view! {
                <label class="choice-chip" data-choice=key>
                    <input type="radio" name=name value=value
                        prop:checked=move || current() == checked_value
                        on:change=move |_| editor.input(field, chosen.clone()) />
                    <Icon path=icon />{label}
                </label>
            }
        })
        .collect_view();
    let other = (!allow_other.is_empty()).then(|| {
        view! {
            <input class="field-other" type="text" inputmode="decimal" placeholder=allow_other aria-label=allow_other
                prop:value=move || { let c = current(); if is_known(&c) { String::new() } else { c } }
                on:input=move |ev| editor.input(field, event_target_value(&ev)) />
        }
    });
    view! {
        <fieldset class="field field-choices" data-field=name
            aria-invalid=move || (!editor.field_errors(field).is_empty()).then_some("true")
            aria-describedby=format!("errors-{name}")>
            <legend>{labels::field(field)}</legend>
            <div class="choice-chips">{chips}</div>
            {other}
            <Problems field=field />
        </fieldset>
    }
}

/// One chip of a [`ChoiceField`]: the wire value, its words and its icon.
struct Choice {
    value: String,
    label: &'static str,
    icon: &'static str,
}

/// A stable id for tests and styling (`data-problem`): the problem's kind.
fn problem_key(problem: &Problem) -> &'static str {
    match problem {
        Problem::Required => "Required",
        Problem::TooLong { .. } => "TooLong",
        Problem::NotANumber => "NotANumber",
        Problem::TooManyDecimals => "TooManyDecimals",
        Problem::BelowMinimum { .. } => "BelowMinimum",
        Problem::AboveMaximum { .. } => "AboveMaximum",
        Problem::Unknown { .. } => "Unknown",
        Problem::OriginalBelowPrice => "OriginalBelowPrice",
    }
}
