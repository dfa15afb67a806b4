//! Rehome's sync engine: push/pull with rebase, conflicts, resumable (tus)
//! photo uploads, and backoff. See [`engine`] for the rules it keeps.
//!
//! Time and randomness are passed in ([`rehome_store::Clock`],
//! [`rehome_store::Entropy`]), so retry schedules replay from a seed.

#![forbid(unsafe_code)]

pub mod backoff;
pub mod conflicts;
pub mod engine;
mod error;
mod http;
pub mod keychain;
pub mod parked;
#[cfg(feature = "test-support")]
pub mod proxy;
pub mod state;

pub use backoff::Backoff;
pub use engine::{SyncConfig, SyncEngine, SyncEvent, SyncReport};
pub use error::SyncError;
pub use http::ServerSession;

/// The sync engine's named crash points, in the order a sync reaches them.
/// They stop the process through rehome-store's [`rehome_store::failpoint`]
/// (feature `failpoints`, `REHOME_FAILPOINT=NAME@N`).
pub const CRASH_POINTS: &[&str] = &[
    // Kill points of the test child itself: after a local edit committed.
    "local:after_commit",
    // The batch is claimed from the outbox; the push is about to go out.
    "push:claimed",
    // The server committed and answered; nothing recorded here yet.
    "push:server_committed",
    // Outcomes recorded; the outbox rows not deleted yet.
    "push:before_outbox_delete",
    // A chunk reached the server; its progress not recorded here yet.
    "upload:mid_chunks",
    // The upload finished; its AttachPhoto not pushed yet.
    "upload:before_attach",
    // The pull's answer arrived; not applied yet.
    "pull:before_apply",
];
