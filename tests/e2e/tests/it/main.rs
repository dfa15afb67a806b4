//! End-to-end: the real app window against the real server.

mod account;
mod buyer;
mod desktop;
mod drafts;
mod feed;
mod grid;
mod photos;
mod sync;
