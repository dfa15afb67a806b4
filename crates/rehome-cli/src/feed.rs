//! `rehome feed [--following]`: follow the feed's cursor until N items, print them.

use crate::Cli;
use crate::browse::{CardItem, collect};
use crate::output::{block_on, print_json};
use rehome_app::App;
use rehome_model::{ApiError, FeedQuery};

#[derive(clap::Args)]
pub struct FeedArgs {
    /// The marketplace server's base URL (default: $REHOME_SERVER, then the local one).
    #[arg(long)]
    server: Option<String>,
    /// The newest from the sellers you follow, instead of For You.
    #[arg(long)]
    following: bool,
    /// How many items to print.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Print JSON (the only format; accepted for scripts that pass it).
    #[arg(long)]
    json: bool,
}

pub fn run(cli: &Cli, args: &FeedArgs) -> Result<(), ApiError> {
    let _ = args.json;
    let app = App::open(cli.config(args.server.clone())).map_err(ApiError::from)?;
    let cards = block_on(collect(args.limit, |cursor, limit| {
        app.feed_page(FeedQuery {
            cursor,
            limit: Some(limit),
            following: args.following,
        })
    }))??;
    print_json(&cards.iter().map(CardItem::from).collect::<Vec<_>>())
}
