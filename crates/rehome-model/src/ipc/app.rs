//! Facts about the running app. (The feed's request and page types are
//! [`crate::FeedQuery`] and [`crate::FeedPage`].)

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    /// The marketplace server's base URL.
    pub server: String,
}
