//! One module per tab.

pub mod feed;
pub mod me;
pub mod placeholders;
