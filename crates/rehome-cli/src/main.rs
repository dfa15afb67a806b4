//! `rehome`: the headless command line over the Rehome core.
//!
//! Output is JSON on stdout. An error prints `{"code", "message"}` (the same codes
//! the UI receives) on stderr and exits non-zero.

#![forbid(unsafe_code)]

mod browse;
mod bulk;
mod csv;
mod draft;
mod feed;
mod listing;
mod offer;
mod output;
mod photo;
mod settings;
mod social;
mod sync;

use clap::{Parser, Subcommand};
use rehome_app::{AppConfig, SessionToken};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "rehome", version, about = "Rehome from the command line")]
struct Cli {
    /// The data folder (default: the platform's, e.g. $XDG_DATA_HOME/app.rehome).
    #[arg(long, global = true, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Log to stderr at this level (error, warn, info, debug, trace).
    #[arg(long, global = true, default_value = "warn")]
    log: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the buyer's feed (For You, or --following).
    Feed(feed::FeedArgs),
    /// Search live listings (your sizes applied unless --no-my-size).
    Search(browse::SearchArgs),
    /// Like a listing (queued; sent at the next sync).
    Like(social::ListingArg),
    /// Take a like back (queued; sent at the next sync).
    Unlike(social::ListingArg),
    /// Print what you liked, latest first, with price drops and sold items.
    Likes(browse::LikesArgs),
    /// Follow a seller (queued; sent at the next sync).
    Follow(social::SellerArg),
    /// Stop following a seller (queued; sent at the next sync).
    Unfollow(social::SellerArg),
    /// Print a seller's card and their live listings.
    Closet(browse::ClosetArgs),
    /// Offers: make, counter, accept, decline, list, and offer to likers
    /// (writes queued; sent at the next sync).
    Offer(offer::OfferArgs),
    /// Your account's buyer profile: the sizes you wear.
    Profile(social::ProfileArgs),
    /// Create and edit drafts on this device, and queue them for publishing.
    Draft(draft::DraftArgs),
    /// Bulk edits of the seller's listings and drafts (dry run, undo, redo).
    Bulk(bulk::BulkArgs),
    /// Import listings and drafts from CSV, or export them.
    Csv(csv::CsvArgs),
    /// Shrink photos as the app does before upload (JSON lines on stdout).
    Photo(photo::PhotoArgs),
    /// This device's settings (keep photos' originals or not).
    Settings(settings::SettingsArgs),
    /// signup, login, logout, sync, listing list|delist|relist|sold|quantity, conflicts list|resolve.
    #[command(flatten)]
    Sync(sync::SyncCommand),
}

/// The CLI's token file in the data folder (used only after `--token-store file`).
const TOKEN_FILE: &str = "session-token.json";

impl Cli {
    /// The app's configuration, plus what only the CLI allows: a token from
    /// `REHOME_TOKEN`, and a token file (kept there only on request).
    fn config(&self, server: Option<String>) -> AppConfig {
        let mut config = self.app_config(server);
        config.token_file = Some(config.data_dir.join(TOKEN_FILE));
        config.token = std::env::var("REHOME_TOKEN")
            .ok()
            .filter(|t| !t.trim().is_empty())
            .map(|t| SessionToken::new(t.trim()));
        config
    }

    fn app_config(&self, server: Option<String>) -> AppConfig {
        match &self.data {
            Some(dir) => AppConfig::in_dir(dir.clone(), server),
            None => {
                let mut config = AppConfig::platform_default();
                if let Some(server) = server {
                    config = AppConfig::new(config.data_dir, config.cache_dir, Some(server));
                }
                config
            }
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::new(&cli.log))
        .init();
    let result = match &cli.command {
        Command::Feed(args) => feed::run(&cli, args),
        Command::Search(args) => browse::search(&cli, args),
        Command::Like(arg) => social::like(&cli, arg, true),
        Command::Unlike(arg) => social::like(&cli, arg, false),
        Command::Likes(args) => browse::likes(&cli, args),
        Command::Follow(arg) => social::follow(&cli, arg, true),
        Command::Unfollow(arg) => social::follow(&cli, arg, false),
        Command::Closet(args) => browse::closet(&cli, args),
        Command::Offer(args) => offer::run(&cli, args),
        Command::Profile(args) => social::profile(&cli, args),
        Command::Draft(args) => draft::run(&cli, args),
        Command::Bulk(args) => bulk::run(&cli, args),
        Command::Csv(args) => csv::run(&cli, args),
        Command::Photo(args) => photo::run(args),
        Command::Settings(args) => settings::run(&cli, args),
        Command::Sync(command) => sync::run(&cli, command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => output::fail(err),
    }
}
