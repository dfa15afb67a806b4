//! Rehome's shared vocabulary: the domain and wire types that the UI, the core,
//! the CLI and the server exchange, the validation rules, and the IPC command table.
//!
//! This crate does no IO and depends on nothing that does (no tauri, rusqlite,
//! reqwest or tokio), so it compiles for `wasm32-unknown-unknown` as well as native.
//! Every JSON shape here is camelCase on the wire.

#![forbid(unsafe_code)]

pub mod api;
pub mod card_grid;
pub mod draft;
pub mod error;
pub mod feed;
mod hex;
pub mod ids;
pub mod ipc;
pub mod listing;
pub mod offers;
pub mod seller_grid;
pub mod size;
pub mod sync;

pub use error::{ApiError, ErrorCode};
pub use feed::{Cursor, FeedPage, FeedQuery, ListingCard, PhotoRef, SellerRef};
pub use hex::hex;
pub use ids::{ListingId, PhotoId, UserId};
pub use listing::{Category, Condition, Money};
