//! rehome-store on real SQLite files in temp folders, real files, real kills.

mod bulk;
mod bulk_crash;
mod common;
mod crash;
mod edits;
mod faults;
mod grid;
mod listing_life;
mod migrate;
mod photos;
mod sku;
mod sync;
