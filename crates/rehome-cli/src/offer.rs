//! `rehome offer make|counter|accept|decline|list|likers|floor`: offers, both
//! sides. Each write is saved on this device at once (one outbox row) and
//! goes out exactly once at the next `rehome sync`, where the server's answer
//! comes back; `offer list` reads the server, or offline the copy from the
//! last sync.

use crate::Cli;
use crate::output::{block_on, print_json};
use rehome_app::App;
use rehome_model::draft::{DraftField, DraftValues, parse_price, validate_field};
use rehome_model::offers::OfferRole;
use rehome_model::{ApiError, ErrorCode, ListingId, Money};
use uuid::Uuid;

#[derive(clap::Args)]
pub struct OfferArgs {
    #[command(subcommand)]
    command: OfferCommand,
}

#[derive(clap::Subcommand)]
enum OfferCommand {
    /// Offer a price for someone else's listing.
    Make {
        listing: String,
        #[arg(long)]
        price: String,
    },
    /// Answer an offer made to you with another price.
    Counter {
        offer: String,
        #[arg(long)]
        price: String,
    },
    /// Accept an offer made to you: the listing sells at it.
    Accept { offer: String },
    /// Decline an offer made to you (or withdraw your offer to likers).
    Decline { offer: String },
    /// Your offers, newest first: received, sent, or both.
    List {
        #[arg(long, conflicts_with = "sent")]
        received: bool,
        #[arg(long)]
        sent: bool,
        #[arg(long)]
        json: bool,
    },
    /// The lowest offer you take on your listing (`--none`: any offer).
    Floor {
        listing: String,
        #[arg(long, required_unless_present = "none", conflicts_with = "none")]
        price: Option<String>,
        #[arg(long)]
        none: bool,
    },
    /// Offer your listing at one price to everyone who liked it.
    Likers {
        listing: String,
        #[arg(long)]
        price: String,
    },
}

/// A price as typed (`12.50`, `12,50`, `€12`), checked as the editor checks one.
pub fn price(text: &str) -> Result<Money, ApiError> {
    let mut values = DraftValues::default();
    values.set(DraftField::Price, text);
    if let Some(e) = validate_field(&values, DraftField::Price)
        .into_iter()
        .next()
    {
        return Err(ApiError::new(ErrorCode::Invalid, e.message).with_field("price"));
    }
    parse_price(text).map_err(|_| {
        ApiError::new(ErrorCode::Invalid, format!("{text:?} is not a price")).with_field("price")
    })
}

pub fn listing_id(text: &str) -> Result<ListingId, ApiError> {
    text.parse().map_err(|_| {
        ApiError::new(ErrorCode::Invalid, format!("{text:?} is not a listing id"))
            .with_field("listing")
    })
}

fn offer_id(text: &str) -> Result<Uuid, ApiError> {
    text.trim().parse().map_err(|_| {
        ApiError::new(ErrorCode::Invalid, format!("{text:?} is not an offer id"))
            .with_field("offer")
    })
}

pub fn run(cli: &Cli, args: &OfferArgs) -> Result<(), ApiError> {
    let app = App::open(cli.config(None)).map_err(ApiError::from)?;
    let queued = match &args.command {
        OfferCommand::Make { listing, price: p } => app.make_offer(listing_id(listing)?, price(p)?),
        OfferCommand::Counter { offer, price: p } => app.counter_offer(offer_id(offer)?, price(p)?),
        OfferCommand::Accept { offer } => app.accept_offer(offer_id(offer)?),
        OfferCommand::Decline { offer } => app.decline_offer(offer_id(offer)?),
        OfferCommand::Likers { listing, price: p } => {
            app.offer_to_likers(listing_id(listing)?, price(p)?)
        }
        OfferCommand::Floor {
            listing,
            price: p,
            none: _,
        } => {
            let listing_id = listing_id(listing)?;
            let floor = p.as_deref().map(price).transpose()?;
            app.set_offer_floor(listing_id, floor)
                .map_err(ApiError::from)?;
            return print_json(&serde_json::json!({
                "listingId": listing_id,
                "floor": floor,
            }));
        }
        OfferCommand::List {
            received,
            sent,
            json: _,
        } => {
            let role = match (received, sent) {
                (true, _) => Some(OfferRole::Received),
                (_, true) => Some(OfferRole::Sent),
                _ => None,
            };
            let view = block_on(app.offer_list(role))?;
            return print_json(&view.map_err(ApiError::from)?);
        }
    };
    print_json(&queued.map_err(ApiError::from)?)
}
