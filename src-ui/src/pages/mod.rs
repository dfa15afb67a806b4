//! One module per tab (the editor is the Sell tab's main view).

pub mod drafts;
pub mod editor;
pub mod feed;
pub mod me;
pub mod placeholders;
pub mod sell;
