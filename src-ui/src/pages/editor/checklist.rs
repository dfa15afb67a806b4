//! The publish-readiness checklist: what is done, what is still missing.

use crate::components::icon::Icon;
use crate::data::editor::Editor;
use crate::{icons, labels};
use leptos::prelude::*;

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
                        <li class:done=item.done data-requirement=format!("{:?}", item.requirement).to_lowercase()>
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
