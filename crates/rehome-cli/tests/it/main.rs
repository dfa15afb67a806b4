//! The `rehome` binary, run as a user would, against the real server.

mod bulk;
mod buyer;
mod draft;
mod feed;
mod listing;
mod offers;
mod photo;
mod support;
mod sync;
