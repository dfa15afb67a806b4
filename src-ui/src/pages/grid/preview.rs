//! What a bulk edit or an import would do, row by row, before it is
//! committed: before → after for each change, and the rows left alone (or
//! rejected) with the reason.

use crate::data::bulk::BulkState;
use crate::labels;
use leptos::prelude::*;
use rehome_model::ipc::CsvRowStatus;

/// Rows listed in a preview; the rest are counted.
const SHOWN: usize = 200;

#[component]
pub fn BulkPreviewPanel() -> impl IntoView {
    let bulk = expect_context::<BulkState>();
    move || {
        bulk.preview.get().map(|p| {
            let r = p.report;
            let more = (r.changes.len() + r.refusals.len()).saturating_sub(SHOWN);
            let changes = r.changes.into_iter().take(SHOWN).map(|c| view! {
                <tr data-change=c.id.to_string()>
                    <td>{c.title}</td><td>{c.field}</td>
                    <td class="before">{c.before}</td><td>"→"</td><td class="after">{c.after}</td>
                </tr>
            }).collect_view();
            let refusals = r.refusals.into_iter().take(SHOWN).map(|x| view! {
                <tr data-refused=x.id.to_string()><td>{x.title}</td><td colspan="4">{x.reason}</td></tr>
            }).collect_view();
            view! {
                <section class="grid-preview" data-preview="bulk">
                    <h2>{labels::bulk_preview(r.changed, r.unchanged, r.refused)}</h2>
                    <table>
                        <thead><tr><th>{labels::grid_column("title")}</th><th></th><th colspan="3">{labels::GRID_BEFORE_AFTER}</th></tr></thead>
                        <tbody>{changes}{refusals}</tbody>
                    </table>
                    {(more > 0).then(|| view! { <p class="hint">{labels::and_more(more)}</p> })}
                    <div class="grid-preview-actions">
                        <button class="button" data-action="bulk-commit" disabled=move || bulk.busy.get()
                            on:click=move |_| bulk.commit()>{labels::GRID_COMMIT}</button>
                        <button class="button" data-action="bulk-cancel" on:click=move |_| bulk.cancel()>{labels::GRID_CANCEL}</button>
                    </div>
                </section>
            }
        })
    }
}

#[component]
pub fn CsvPreviewPanel() -> impl IntoView {
    let bulk = expect_context::<BulkState>();
    move || {
        bulk.csv.get().map(|p| {
            let r = p.report;
            let more = r.results.len().saturating_sub(SHOWN);
            let rows = r.results.into_iter().take(SHOWN).map(|row| {
                let status = match row.status {
                    CsvRowStatus::Created => "created",
                    CsvRowStatus::Updated => "updated",
                    CsvRowStatus::Unchanged => "unchanged",
                    CsvRowStatus::Rejected => "rejected",
                };
                let errors = row.errors.iter()
                    .map(|e| format!("{}: {}", e.column, e.message))
                    .collect::<Vec<_>>()
                    .join("; ");
                view! {
                    <tr data-line=row.line.to_string() data-status=status>
                        <td>{row.line}</td><td>{status}</td><td>{errors}</td>
                    </tr>
                }
            }).collect_view();
            let unknown = (!r.unknown_columns.is_empty()).then(|| view! {
                <p class="hint" data-unknown-columns>{r.unknown_columns.join(", ")}</p>
            });
            view! {
                <section class="grid-preview" data-preview="csv">
                    <h2>{labels::csv_preview(&p.file.file_name, r.created, r.updated, r.unchanged, r.rejected)}</h2>
                    <p class="hint">{format!("{} · \"{}\" · {}", r.encoding.as_str(), r.delimiter, r.skipped_empty_lines)}</p>
                    {unknown}
                    <table><tbody>{rows}</tbody></table>
                    {(more > 0).then(|| view! { <p class="hint">{labels::and_more(more)}</p> })}
                    <div class="grid-preview-actions">
                        <button class="button" data-action="csv-commit" disabled=move || bulk.busy.get()
                            on:click=move |_| bulk.import_commit()>{labels::GRID_COMMIT}</button>
                        <button class="button" data-action="csv-cancel" on:click=move |_| bulk.cancel()>{labels::GRID_CANCEL}</button>
                    </div>
                </section>
            }
        })
    }
}
