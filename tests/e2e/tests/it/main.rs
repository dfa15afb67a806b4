//! End-to-end: the real app window against the real server.

mod account;
mod buyer;
mod desktop;
mod drafts;
mod feed;
mod grid;
mod grid_bench;
mod photos;
mod search;
mod sync;
