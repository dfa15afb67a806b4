//! `rehome feed`: follow the feed's cursor until N items, print them.

use crate::Cli;
use crate::output::{block_on, print_json};
use rehome_app::App;
use rehome_model::{ApiError, FeedQuery, ListingCard};
use serde::Serialize;

#[derive(clap::Args)]
pub struct FeedArgs {
    /// The marketplace server's base URL (default: $REHOME_SERVER, then the local one).
    #[arg(long)]
    server: Option<String>,
    /// How many items to print.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Print JSON (the only format; accepted for scripts that pass it).
    #[arg(long)]
    json: bool,
}

/// One feed item as the CLI prints it.
#[derive(Serialize)]
struct FeedItem<'a> {
    id: String,
    title: &'a str,
    /// In minor units (cents).
    price: i64,
    brand: &'a str,
    size: &'a str,
    seller: &'a str,
}

pub fn run(cli: &Cli, args: &FeedArgs) -> Result<(), ApiError> {
    let _ = args.json;
    let app = App::open(cli.config(args.server.clone())).map_err(ApiError::from)?;
    let cards = block_on(collect(&app, args.limit))??;
    let items: Vec<FeedItem> = cards
        .iter()
        .map(|c| FeedItem {
            id: c.id.to_string(),
            title: &c.title,
            price: c.price.cents(),
            brand: &c.brand,
            size: &c.size,
            seller: &c.seller.handle,
        })
        .collect();
    print_json(&items)
}

async fn collect(app: &App, limit: usize) -> Result<Vec<ListingCard>, ApiError> {
    let mut cards = Vec::new();
    let mut cursor = None;
    while cards.len() < limit {
        let page_size = (limit - cards.len()).min(50) as u32;
        let page = app
            .feed_page(FeedQuery {
                cursor: cursor.take(),
                limit: Some(page_size),
                following: false,
            })
            .await
            .map_err(ApiError::from)?;
        let got = page.items.len();
        cards.extend(page.items);
        match page.next_cursor {
            Some(next) if got > 0 => cursor = Some(next),
            _ => break,
        }
    }
    cards.truncate(limit);
    Ok(cards)
}
