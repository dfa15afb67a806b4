//! The publish-readiness checklist: what is done, what is still missing.

use crate::components::icon::Icon;
use crate::data::editor::Editor;
use crate::{icons, labels};
use leptos::prelude::*;
use rehome_model::draft::Requirement;

#[component]
pub fn Checklist() -> impl IntoView {
    let editor = expect_context::<Editor>();
    view! {
        <section class="checklist" aria-label=labels::CHECKLIST>
            <h2>{labels::CHECKLIST}</h2>
            <ul>
                {move || editor.draft.get().map(|d| d.readiness.items.into_iter().map(|item| {
                    let focus = item.field.map(|f| f.as_str());
                    view! {
                        <li class:done=item.done data-requirement=requirement_key(item.requirement)>
                            <Icon path=if item.done { icons::CHECK } else { icons::CIRCLE } />
                            <span>
                                {labels::requirement(item.requirement)}
                                {(!item.done && !item.note.is_empty()).then(|| view! { <small>{item.note.clone()}</small> })}
                            </span>
                            {(!item.done).then(|| focus.map(|f| view! {
                                <a class="checklist-go" href=format!("#{f}") aria-label=labels::field_name(f)>"›"</a>
                            }))}
                        </li>
                    }
                }).collect_view())}
            </ul>
        </section>
    }
}

/// A stable id for tests and styling (`data-requirement`).
fn requirement_key(r: Requirement) -> &'static str {
    match r {
        Requirement::Title => "title",
        Requirement::Price => "price",
        Requirement::Category => "category",
        Requirement::Size => "size",
        Requirement::Condition => "condition",
        Requirement::Parcel => "parcel",
        Requirement::Photo => "photo",
        Requirement::PhotoFiles => "photofiles",
        Requirement::OtherFields => "otherfields",
    }
}
