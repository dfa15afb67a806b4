//! End-to-end: the real app window against the real server.

mod account;
mod buyer;
mod desktop;
mod drafts;
mod feed;
mod photos;
mod search;
mod sync;
