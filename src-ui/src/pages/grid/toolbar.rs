//! The grid's toolbar: the counts, select all, bulk price (set, ± amount,
//! ± %, rounding, floor), bulk set of a field, bulk status, undo and redo,
//! CSV import and export. Each bulk edit opens its preview first.

use crate::data::bulk::{BulkState, Done};
use crate::data::grid::GridState;
use crate::labels;
use leptos::prelude::*;
use rehome_model::ipc::{BulkField, BulkOp, BulkStatus, Rounding};
use rehome_model::seller_grid::{PriceMode, price_op};

#[component]
pub fn GridToolbar() -> impl IntoView {
    let grid = expect_context::<GridState>();
    let bulk = expect_context::<BulkState>();
    let mode = RwSignal::new(PriceMode::Percent);
    let amount = RwSignal::new(String::new());
    let round = RwSignal::new(Rounding::None);
    let floor = RwSignal::new(String::new());
    let set_field = RwSignal::new(BulkField::Brand);
    let set_value = RwSignal::new(String::new());
    let status = RwSignal::new(BulkStatus::Delisted);
    let problem = RwSignal::new(None::<String>);

    let selected = move || grid.selection.with(|s| s.count(grid.total.get()));
    let preview = move |op: Result<BulkOp, String>| {
        if selected() == 0 {
            problem.set(Some(labels::GRID_NOTHING_SELECTED.to_owned()));
            return;
        }
        match op {
            Ok(op) => {
                problem.set(None);
                bulk.preview(op);
            }
            Err(m) => problem.set(Some(m)),
        }
    };
    let price = move |_| {
        preview(price_op(
            mode.get_untracked(),
            &amount.get_untracked(),
            round.get_untracked(),
            &floor.get_untracked(),
        ))
    };
    let set = move |_| {
        preview(Ok(BulkOp::Set {
            field: set_field.get_untracked(),
            value: set_value.get_untracked(),
        }))
    };
    let move_status = move |_| {
        preview(Ok(BulkOp::Status {
            status: status.get_untracked(),
        }))
    };
    let busy = move || bulk.busy.get();

    view! {
        <div class="grid-toolbar">
            <span class="grid-counts" data-grid-counts>{move || labels::grid_counts(grid.total.get(), selected())}</span>
            <button class="button" data-action="select-all" on:click=move |_| grid.selection.update(|s| s.select_all())>{labels::GRID_SELECT_ALL}</button>
            <button class="button" data-action="select-none" on:click=move |_| grid.selection.update(|s| s.clear())>{labels::GRID_CLEAR}</button>
            <span class="grid-tool" data-tool="price">
                <span>{labels::GRID_PRICE}</span>
                <select data-bulk="price-mode" on:change=move |ev| mode.set(match event_target_value(&ev).as_str() {
                    "set" => PriceMode::Set, "add" => PriceMode::Add, _ => PriceMode::Percent })>
                    <option value="pct" selected>{labels::GRID_PRICE_PCT}</option>
                    <option value="add">{labels::GRID_PRICE_ADD}</option>
                    <option value="set">{labels::GRID_PRICE_SET}</option>
                </select>
                <input class="grid-amount" data-bulk="price-amount" placeholder=labels::GRID_AMOUNT aria-label=labels::GRID_AMOUNT
                    prop:value=amount on:input=move |ev| amount.set(event_target_value(&ev)) />
                <select data-bulk="price-round" on:change=move |ev| round.set(Rounding::parse(&event_target_value(&ev)).unwrap_or_default())>
                    <option value="none" selected>{labels::GRID_ROUND_NONE}</option>
                    <option value="00">{labels::GRID_ROUND_00}</option>
                    <option value="50">{labels::GRID_ROUND_50}</option>
                    <option value="99">{labels::GRID_ROUND_99}</option>
                </select>
                <input class="grid-amount" data-bulk="price-floor" placeholder=labels::GRID_FLOOR aria-label=labels::GRID_FLOOR
                    prop:value=floor on:input=move |ev| floor.set(event_target_value(&ev)) />
                <button class="button" data-action="preview-price" disabled=busy on:click=price>{labels::GRID_PREVIEW}</button>
            </span>
            <span class="grid-tool" data-tool="set">
                <span>{labels::GRID_SET}</span>
                <select data-bulk="set-field" on:change=move |ev| if let Some(f) = BulkField::parse(&event_target_value(&ev)) { set_field.set(f) }>
                    {BulkField::ALL.iter().map(|f| view! {
                        <option value=f.as_str() selected=*f == BulkField::Brand>{labels::grid_column(f.as_str())}</option>
                    }).collect_view()}
                </select>
                <input class="grid-amount" data-bulk="set-value" placeholder=labels::GRID_VALUE aria-label=labels::GRID_VALUE
                    prop:value=set_value on:input=move |ev| set_value.set(event_target_value(&ev)) />
                <button class="button" data-action="preview-set" disabled=busy on:click=set>{labels::GRID_PREVIEW}</button>
            </span>
            <span class="grid-tool" data-tool="status">
                <span>{labels::GRID_STATUS}</span>
                <select data-bulk="status" on:change=move |ev| if let Some(s) = BulkStatus::parse(&event_target_value(&ev)) { status.set(s) }>
                    <option value="live">"live"</option>
                    <option value="delisted" selected>"delisted"</option>
                    <option value="sold">"sold"</option>
                </select>
                <button class="button" data-action="preview-status" disabled=busy on:click=move_status>{labels::GRID_PREVIEW}</button>
            </span>
            <button class="button" data-action="bulk-undo" disabled=busy on:click=move |_| bulk.undo()>{labels::UNDO}</button>
            <button class="button" data-action="bulk-redo" disabled=busy on:click=move |_| bulk.redo()>{labels::GRID_REDO}</button>
            <button class="button" data-action="csv-import" disabled=busy on:click=move |_| bulk.import_pick()>{labels::GRID_IMPORT}</button>
            <button class="button" data-action="csv-export" disabled=busy on:click=move |_| bulk.export()>{labels::GRID_EXPORT}</button>
        </div>
        {move || problem.get().map(|m| view! { <p class="field-error" data-grid-problem>{m}</p> })}
        {move || bulk.error.get().or_else(|| grid.error.get()).map(|e| view! { <p class="field-error" data-grid-error>{e.message}</p> })}
        {move || bulk.done.get().map(|d| view! { <p class="grid-done" role="status" data-grid-done>{done_text(&d)}</p> })}
    }
}

fn done_text(done: &Done) -> String {
    match done {
        Done::Committed(r) => labels::bulk_committed(r.changed),
        Done::Undone(r) => labels::bulk_undone(&r.label, r.changes.len()),
        Done::Redone(r) => labels::bulk_redone(&r.label, r.changes.len()),
        Done::Imported(r) => labels::csv_imported(r.created, r.updated, r.rejected),
        Done::Exported { file, rows } => labels::csv_exported(file, *rows),
    }
}
