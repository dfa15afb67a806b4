//! Rehome's sync engine: push/pull with rebase, conflicts, resumable (tus)
//! photo uploads, and backoff. See [`engine`] for the rules it keeps.
//!
//! Time and randomness are passed in ([`rehome_store::Clock`],
//! [`rehome_store::Entropy`]), so retry schedules replay from a seed.

pub mod backoff;
pub mod conflicts;
pub mod engine;
mod error;
pub mod failpoint;
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
