//! `rehome like|unlike ID`, `rehome follow|unfollow HANDLE` and `rehome profile
//! sizes`: likes and follows are saved on this device at once and go out at
//! the next `rehome sync` (so they work offline, each sent exactly once);
//! sizes are an account setting, saved on the server.

use crate::Cli;
use crate::output::{block_on, print_json};
use rehome_app::App;
use rehome_model::ipc::{ListingRequest, SellerRequest, Sizes};
use rehome_model::{ApiError, ErrorCode};

#[derive(clap::Args)]
pub struct ListingArg {
    /// The listing's id.
    id: String,
}

#[derive(clap::Args)]
pub struct SellerArg {
    /// The seller's handle (or user id).
    handle: String,
}

#[derive(clap::Args)]
pub struct ProfileArgs {
    #[command(subcommand)]
    command: ProfileCommand,
}

#[derive(clap::Subcommand)]
enum ProfileCommand {
    /// Set the sizes you wear (`M,L,38`), or print them with no list. Sizes are
    /// separated by `,` or `;`; a comma between digits with one digit after it
    /// is a decimal comma, so `M,42,5` is M and 42,5 (write `38;5` for 38
    /// and 5). An empty list (`""`) clears them.
    Sizes {
        list: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

fn listing(arg: &ListingArg) -> Result<ListingRequest, ApiError> {
    let listing_id = arg.id.parse().map_err(|_| {
        ApiError::new(
            ErrorCode::Invalid,
            format!("{:?} is not a listing id", arg.id),
        )
        .with_field("id")
    })?;
    Ok(ListingRequest { listing_id })
}

pub fn like(cli: &Cli, arg: &ListingArg, liked: bool) -> Result<(), ApiError> {
    let req = listing(arg)?;
    let app = App::open(cli.config(None)).map_err(ApiError::from)?;
    let change = if liked {
        app.like(req)
    } else {
        app.unlike(req)
    };
    print_json(&change.map_err(ApiError::from)?)
}

pub fn follow(cli: &Cli, arg: &SellerArg, following: bool) -> Result<(), ApiError> {
    let app = App::open(cli.config(None)).map_err(ApiError::from)?;
    let req = SellerRequest {
        seller: arg.handle.clone(),
    };
    let change = block_on(async {
        if following {
            app.follow(req).await
        } else {
            app.unfollow(req).await
        }
    })?;
    print_json(&change.map_err(ApiError::from)?)
}

pub fn profile(cli: &Cli, args: &ProfileArgs) -> Result<(), ApiError> {
    let app = App::open(cli.config(None)).map_err(ApiError::from)?;
    match &args.command {
        ProfileCommand::Sizes { list, json: _ } => {
            let sizes = block_on(async {
                match list {
                    Some(text) => app.set_my_sizes(Sizes::parse_list(text)).await,
                    None => app.my_sizes().await,
                }
            })?;
            print_json(&sizes.map_err(ApiError::from)?)
        }
    }
}
