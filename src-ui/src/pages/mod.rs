//! One module per tab (the editor is the Sell tab's main view), and one per
//! screen pushed over the tabs (a listing, a closet).

pub mod closet;
pub mod drafts;
pub mod editor;
pub mod feed;
pub mod grid;
pub mod likes;
pub mod listing;
pub mod me;
pub mod search;
pub mod sell;
