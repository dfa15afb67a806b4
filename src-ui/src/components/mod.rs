//! Small reusable pieces of UI.

pub mod card_grid;
pub mod conflicts;
pub mod feed_why;
pub mod icon;
pub mod listing_card;
pub mod load_error;
pub mod my_sizes;
pub mod seller_card;
pub mod social_notice;
pub mod stage_badge;
pub mod sync_indicator;
pub mod tab_bar;
pub mod theme_choice;
