//! `rehome signup|login|logout|sync|listing|conflicts`: accounts, sync and where each
//! listing stands. The password is read from stdin (or the terminal, without
//! echo). The session token goes to the OS keychain; on a machine without one
//! (a server, a container, CI) `--print-token` prints it for `REHOME_TOKEN`,
//! and `--token-store file` keeps it in a mode-0600 file, on explicit request only.

use crate::Cli;
use crate::output::{block_on, print_json};
use rehome_app::{App, KeepToken};
use rehome_model::ipc::{ConflictChoice, ResolveConflictRequest};
use rehome_model::{ApiError, ErrorCode};
use std::io::{BufRead, IsTerminal, Write};

#[derive(clap::Subcommand)]
pub enum SyncCommand {
    /// Create an account on a server and sign in (password from stdin or the terminal).
    Signup(AuthArgs),
    /// Sign in (password from stdin or the terminal).
    Login(AuthArgs),
    /// Sign out: the server revokes the session, and the token leaves the keychain (or its file).
    Logout,
    /// Send queued edits and photos, and fetch the server's changes.
    Sync {
        /// One sync, then exit (otherwise keep syncing every 30 s).
        #[arg(long)]
        once: bool,
        /// Progress as JSON lines (the only format; accepted for scripts).
        #[arg(long)]
        json: bool,
    },
    /// Listings on this device: their sync state (list); delist, relist, sold, quantity.
    Listing {
        #[command(subcommand)]
        command: ListingCommand,
    },
    /// Conflicting edits of price, status or quantity.
    Conflicts {
        #[command(subcommand)]
        command: ConflictsCommand,
    },
}

#[derive(clap::Args)]
pub struct AuthArgs {
    #[arg(long, value_name = "URL")]
    server: String,
    #[arg(long, value_name = "HANDLE")]
    user: String,
    /// Print the session token on stdout and keep it nowhere: for
    /// `REHOME_TOKEN` on a machine without a keychain.
    #[arg(long, conflicts_with = "token_store")]
    print_token: bool,
    /// Where to keep the session token. `file` is a plain file in the data
    /// folder (mode 0600): anyone who can read it can act as you.
    #[arg(long, value_enum, value_name = "STORE", default_value = "keychain")]
    token_store: TokenStore,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TokenStore {
    Keychain,
    File,
}

#[derive(clap::Subcommand)]
pub enum ListingCommand {
    /// Every listing on this device with its sync state.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Anyone's listing as its page shows it (from the server; offline, as
    /// seen last).
    Show {
        id: String,
        /// The marketplace server's base URL (default: the signed-in
        /// account's, then $REHOME_SERVER, then the local one).
        #[arg(long)]
        server: Option<String>,
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Lifecycle(crate::listing::LifecycleCommand),
}

#[derive(clap::Subcommand)]
pub enum ConflictsCommand {
    /// Open conflicts, oldest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Settle one: keep mine, take theirs, or set a new value.
    Resolve {
        id: i64,
        #[arg(long, conflicts_with_all = ["theirs", "value"])]
        mine: bool,
        #[arg(long, conflicts_with = "value")]
        theirs: bool,
        #[arg(long, value_name = "V")]
        value: Option<String>,
    },
}

fn read_password() -> Result<String, ApiError> {
    let stdin = std::io::stdin();
    let tty = stdin.is_terminal();
    if tty {
        eprint!("Password: ");
        let _ = std::io::stderr().flush();
        let _ = std::process::Command::new("stty").arg("-echo").status();
    }
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    if tty {
        let _ = std::process::Command::new("stty").arg("echo").status();
        eprintln!();
    }
    read.map_err(|e| ApiError::new(ErrorCode::Invalid, format!("reading the password: {e}")))?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(
            ApiError::new(ErrorCode::Invalid, "no password given on stdin").with_field("password"),
        );
    }
    Ok(password)
}

pub fn run(cli: &Cli, command: &SyncCommand) -> Result<(), ApiError> {
    if let SyncCommand::Listing {
        command:
            ListingCommand::Show {
                id,
                server,
                json: _,
            },
    } = command
    {
        let app = App::open(cli.config(server.clone())).map_err(ApiError::from)?;
        return crate::browse::show_listing(&app, id);
    }
    let app = App::open(cli.config(None)).map_err(ApiError::from)?;
    match command {
        SyncCommand::Signup(a) | SyncCommand::Login(a) => {
            let password = read_password()?;
            let keep = match (a.print_token, a.token_store) {
                (true, _) => KeepToken::Nowhere,
                (false, TokenStore::File) => KeepToken::File,
                (false, TokenStore::Keychain) => KeepToken::Keychain,
            };
            let signed = block_on(async {
                match command {
                    SyncCommand::Signup(_) => {
                        app.sign_up_at(&a.server, &a.user, &password, keep).await
                    }
                    _ => app.sign_in_at(&a.server, &a.user, &password, keep).await,
                }
            })?
            .map_err(ApiError::from)?;
            if let Some(token) = &signed.token {
                return crate::output::print_line(token.expose());
            }
            if let Some(path) = &signed.token_file {
                eprintln!(
                    "{}",
                    serde_json::json!({
                        "warning": "token_in_file",
                        "message": format!(
                            "the session token is kept in the plain file {} (mode 0600): anyone who can read it can act as you; `rehome logout` removes it",
                            path.display()
                        ),
                    })
                );
            } else if !signed.kept_in_keychain {
                eprintln!(
                    "{}",
                    serde_json::json!({"code": "no_keychain", "message": "no keychain service here: the session was not kept; sign in again next time, or use --print-token with REHOME_TOKEN"})
                );
            }
            print_json(&signed)
        }
        SyncCommand::Logout => {
            let account = app.signed_in_account().map_err(ApiError::from)?;
            block_on(app.sign_out())?.map_err(ApiError::from)?;
            print_json(&serde_json::json!({ "signedOut": account.map(|a| a.handle) }))
        }
        SyncCommand::Sync { once, json: _ } => {
            let print = |e: &rehome_sync::SyncEvent| {
                if let Ok(line) = serde_json::to_string(e) {
                    let mut out = std::io::stdout().lock();
                    let _ = writeln!(out, "{line}");
                    let _ = out.flush();
                }
            };
            loop {
                let result = block_on(app.sync_once(print))?;
                match result {
                    Ok(report) if *once => {
                        // One line, like the events before it.
                        let line = serde_json::json!({"event": "report", "report": report});
                        return crate::output::print_line(&line.to_string());
                    }
                    Ok(_) => {}
                    Err(e) if *once => return Err(ApiError::from(e)),
                    Err(e) => {
                        let api = ApiError::from(e);
                        if matches!(
                            api.code,
                            ErrorCode::Unauthorized
                                | ErrorCode::NoKeychain
                                | ErrorCode::KeychainFailed
                        ) {
                            return Err(api);
                        }
                        eprintln!("{}", serde_json::to_string(&api).unwrap_or_default());
                    }
                }
                std::thread::sleep(std::time::Duration::from_secs(30));
            }
        }
        SyncCommand::Listing {
            command: ListingCommand::List { json: _ },
        } => print_json(&app.listings_with_sync_state().map_err(ApiError::from)?),
        SyncCommand::Listing {
            command: ListingCommand::Show { .. },
        } => Ok(()),
        SyncCommand::Listing {
            command: ListingCommand::Lifecycle(command),
        } => crate::listing::run(&app, command),
        SyncCommand::Conflicts { command } => match command {
            ConflictsCommand::List { json: _ } => {
                print_json(&app.list_conflicts().map_err(ApiError::from)?)
            }
            ConflictsCommand::Resolve {
                id,
                mine,
                theirs,
                value,
            } => {
                let choice = match (mine, theirs, value) {
                    (true, _, _) => ConflictChoice::Mine,
                    (_, true, _) => ConflictChoice::Theirs,
                    (_, _, Some(v)) => ConflictChoice::Value(v.clone()),
                    _ => {
                        return Err(ApiError::new(
                            ErrorCode::Invalid,
                            "say --mine, --theirs or --value V",
                        ));
                    }
                };
                app.resolve_conflict(ResolveConflictRequest { id: *id, choice })
                    .map_err(ApiError::from)?;
                print_json(&serde_json::json!({"resolved": id}))
            }
        },
    }
}
