//! Every word the UI shows, in one place, ready for translation. Keep them short:
//! many of our users are new to online shopping, and icons carry most meaning.

pub const TAB_FEED: &str = "Shop";
pub const TAB_SELL: &str = "Sell";
pub const TAB_DRAFTS: &str = "Drafts";
pub const TAB_LIKES: &str = "Likes";
pub const TAB_ME: &str = "Me";

pub const FEED_EMPTY: &str = "Nothing here yet";
pub const FEED_END: &str = "You've seen it all";
pub const FEED_LOADING: &str = "Loading…";
pub const RETRY: &str = "Try again";
pub const OFFLINE: &str = "You're offline";
pub const SERVER_TROUBLE: &str = "The shop is having trouble";
pub const SIZE: &str = "Size";
pub const LIKES: &str = "likes";

pub const SOON: &str = "Coming soon";
pub const SELL_SOON: &str = "Photograph an item, fill in a draft even with no network, and publish. Photos shrink on your phone before they upload.";
pub const DRAFTS_SOON: &str = "Your drafts will live here, saved on this device as you type. Unlimited, and they never expire.";
pub const LIKES_SOON: &str =
    "Items you like will gather here, and you'll hear when their price drops.";
pub const ME_SOON: &str = "Sign in, your closet and your settings are on the way.";
pub const VERSION: &str = "Version";
pub const SERVER: &str = "Shop server";
