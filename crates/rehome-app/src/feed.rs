//! The buyer's feed (For You, or Following), asked as the signed-in buyer and
//! kept per account like every read (see `read_cache`), so a page seen once
//! reads again offline.

use rehome_model::FeedQuery;

/// The feed's path and query for `query`.
pub(crate) fn feed_path(query: &FeedQuery) -> String {
    crate::url_query::with_query(
        "/v1/feed",
        &[
            ("following", query.following.then(|| "true".to_owned())),
            ("cursor", query.cursor.as_ref().map(|c| c.0.clone())),
            ("limit", query.limit.map(|l| l.to_string())),
        ],
    )
}
