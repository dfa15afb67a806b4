//! `rehome listing delist|relist|sold|quantity|price`: a listing's life after
//! publishing. Each is saved on this device at once (with its outbox row) and
//! reaches the server at the next `rehome sync`.

use crate::output::print_json;
use rehome_app::App;
use rehome_model::draft::{Draft, DraftField, DraftStage};
use rehome_model::ipc::SetFieldRequest;
use rehome_model::{ApiError, ErrorCode, ListingId};
use serde::Serialize;

#[derive(clap::Subcommand)]
pub enum LifecycleCommand {
    /// Take a live listing off the marketplace.
    Delist { id: String },
    /// Put a delisted listing back on the marketplace.
    Relist { id: String },
    /// Mark a listing sold (final).
    Sold { id: String },
    /// Set how many units are for sale (1 to 10000).
    Quantity { id: String, quantity: u32 },
    /// Drop (or change) the price of a listing: `12.50`, `12,50`, `€12`.
    Price { id: String, price: String },
}

/// What each of these commands prints.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListingState {
    id: ListingId,
    #[serde(flatten)]
    stage: DraftStage,
    quantity: u32,
    /// Changes of this listing still waiting to reach the server.
    pending_changes: u32,
}

fn parse_id(s: &str) -> Result<ListingId, ApiError> {
    s.parse().map_err(|_| {
        ApiError::new(ErrorCode::Invalid, format!("{s:?} is not a listing id")).with_field("id")
    })
}

pub fn run(app: &App, command: &LifecycleCommand) -> Result<(), ApiError> {
    let draft: Draft = match command {
        LifecycleCommand::Delist { id } => app.delist_listing(parse_id(id)?)?,
        LifecycleCommand::Relist { id } => app.relist_listing(parse_id(id)?)?,
        LifecycleCommand::Sold { id } => app.mark_listing_sold(parse_id(id)?)?,
        LifecycleCommand::Quantity { id, quantity } => {
            app.set_listing_quantity(parse_id(id)?, *quantity)?
        }
        LifecycleCommand::Price { id, price } => {
            // Checked before it is saved: a listing's price is never left
            // invalid by the CLI.
            crate::offer::price(price)?;
            app.set_draft_field(SetFieldRequest {
                id: parse_id(id)?,
                field: DraftField::Price,
                value: price.clone(),
                seq: 0,
            })?
            .draft
        }
    };
    print_json(&ListingState {
        id: draft.id,
        quantity: app.listing_quantity(draft.id)?,
        stage: draft.stage,
        pending_changes: draft.sync.pending_changes,
    })
}
