//! Every limit the server enforces, its default, and its command-line flag
//! (`LimitFlags`, flattened into the binary's arguments). A refusal because of
//! a limit is a problem whose `field` is the limit's name (its flag without
//! the dashes), so clients and operators can tell which one was hit.

/// Limits the server enforces.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest JSON body accepted.
    pub max_body_bytes: usize,
    /// Largest photo upload accepted (enforced while streaming).
    pub max_upload_bytes: u64,
    /// Largest photo accepted, in pixels (width × height, from the JPEG header).
    pub max_photo_pixels: u64,
    /// How long a session token lives.
    pub session_ttl_ms: i64,
    /// How long an unfinished or unattached upload lives.
    pub upload_ttl_ms: i64,
    /// How long a PATCH waits for the upload's previous PATCH to end before
    /// it answers 423.
    pub upload_busy_wait_ms: u64,
    /// Items per page when the client does not say, and the most it may ask for.
    pub default_page: u32,
    pub max_page: u32,
    /// Changes per pull page when the client does not say, and the most it
    /// may ask for (a page of 1,000 listings with 24 photos each stays far
    /// below the client's 32 MiB reply limit).
    pub default_pull_page: u32,
    pub max_pull_page: u32,
    /// The window every sign-in count slides over.
    pub sign_in_window_ms: i64,
    /// Failed sign-ins one address may make on one account in the window;
    /// then that address is locked out of that account (not the owner).
    pub sign_in_failures_per_account_address: usize,
    /// Failed sign-ins one address may make over all accounts in the window.
    pub sign_in_failures_per_address: usize,
    /// Failed sign-ins on one account from anywhere after which it is slowed
    /// down (not locked): one attempt per `sign_in_slow_ms`.
    pub sign_in_slow_after: usize,
    pub sign_in_slow_ms: i64,
    /// The longest a slowed-down attempt waits for its turn; longer is a 429.
    pub sign_in_max_wait_ms: i64,
    /// Password hashes (argon2, about 19 MiB each) computed at once; more
    /// sign-ins and sign-ups wait for a turn.
    pub max_password_hashes: usize,
    /// How long a sign-in or sign-up waits for a hashing turn before it is
    /// answered 503 with `Retry-After`.
    pub password_hash_wait_ms: u64,
    /// Uploaded photos decoded at once (checking one and drawing its
    /// thumbnail takes up to `max_photo_pixels` × 3 bytes).
    pub max_photo_decodes: usize,
    /// How long an upload's last chunk waits for a decoding turn before it
    /// is answered 503 with `Retry-After` (the client resends it).
    pub photo_decode_wait_ms: u64,
    /// Bytes an account may have in unfinished uploads at once (each is a
    /// part file kept until it expires); more is a 429 until some finish.
    pub max_unfinished_upload_bytes: u64,
    /// Photo bytes an account may hold (uploaded content, deduplicated),
    /// counting its unfinished uploads; more is a 413.
    pub max_stored_photo_bytes: u64,
    /// Listings an account may have that are not sold or deleted (drafts,
    /// live, delisted); a `createListing` beyond is rejected.
    pub max_listings: u64,
    /// How long a client may take to send a request's headers before the
    /// connection is closed (slow-header attacks).
    pub header_read_timeout_ms: u64,
    /// How long a request body may stop arriving before it counts as cut
    /// (a trickling PATCH would otherwise hold its upload's lock for ever).
    pub body_idle_timeout_ms: u64,
    /// Requests handled at once; one more waits `request_wait_ms` for a
    /// turn, then gets a 503 with `Retry-After`.
    pub max_concurrent_requests: usize,
    pub request_wait_ms: u64,
    /// How long a shutdown drains in-flight requests before it cuts them.
    pub shutdown_deadline_ms: u64,
    /// Acknowledged mutation outcomes kept per client (below the lowest id a
    /// push carries); older ones are pruned.
    pub kept_outcomes_per_client: u64,
    /// SQLite connections reading at once; more reads wait for one.
    pub max_db_readers: usize,
    /// Accounts one address may create within `sign_up_window_ms`.
    pub max_sign_ups_per_address: usize,
    pub sign_up_window_ms: i64,
    /// How long an offer or counter stays open unanswered before it expires.
    pub offer_ttl_ms: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 256 * 1024,
            max_upload_bytes: 8 * 1024 * 1024,
            max_photo_pixels: 40_000_000,
            session_ttl_ms: 30 * 24 * 3_600_000,
            upload_ttl_ms: 7 * 24 * 3_600_000,
            upload_busy_wait_ms: 15_000,
            default_page: 20,
            max_page: 100,
            default_pull_page: 200,
            max_pull_page: 1000,
            sign_in_window_ms: 15 * 60_000,
            sign_in_failures_per_account_address: 5,
            sign_in_failures_per_address: 30,
            sign_in_slow_after: 10,
            sign_in_slow_ms: 2_000,
            sign_in_max_wait_ms: 10_000,
            max_password_hashes: 4,
            password_hash_wait_ms: 2_000,
            max_photo_decodes: 2,
            photo_decode_wait_ms: 10_000,
            max_unfinished_upload_bytes: 128 * 1024 * 1024,
            max_stored_photo_bytes: 2 * 1024 * 1024 * 1024,
            max_listings: 2_000,
            header_read_timeout_ms: 10_000,
            body_idle_timeout_ms: 30_000,
            max_concurrent_requests: 512,
            request_wait_ms: 10_000,
            shutdown_deadline_ms: 10_000,
            kept_outcomes_per_client: 1_000,
            max_db_readers: crate::storage::DEFAULT_READERS,
            max_sign_ups_per_address: 10,
            sign_up_window_ms: 3_600_000,
            offer_ttl_ms: 24 * 3_600_000,
        }
    }
}

/// Declares `LimitFlags`: one optional `--flag` per limit, applied over the
/// defaults (so the defaults live only in `Limits::default`).
macro_rules! limit_flags {
    ($($field:ident: $ty:ty, $help:literal;)*) => {
        /// The limits as command-line flags (each optional; see README.md for
        /// the defaults).
        #[derive(clap::Args, Debug, Default, Clone)]
        pub struct LimitFlags {
            $(
                #[doc = $help]
                #[arg(long, value_name = "N")]
                pub $field: Option<$ty>,
            )*
        }

        impl LimitFlags {
            /// The defaults, with every flag given replacing its limit.
            pub fn apply(&self, mut limits: Limits) -> Limits {
                $(
                    if let Some(v) = self.$field {
                        limits.$field = v;
                    }
                )*
                limits
            }

            /// Every flag's name (`max-body-bytes`, …), for the README check.
            pub fn names() -> Vec<String> {
                vec![$(stringify!($field).replace('_', "-")),*]
            }
        }
    };
}

limit_flags! {
    max_body_bytes: usize, "Largest JSON body accepted, in bytes.";
    max_upload_bytes: u64, "Largest photo upload, in bytes.";
    max_photo_pixels: u64, "Largest photo, in pixels (width × height).";
    session_ttl_ms: i64, "How long a session lives, in ms.";
    upload_ttl_ms: i64, "How long an unfinished or unattached upload lives, in ms.";
    upload_busy_wait_ms: u64, "How long a PATCH waits for the upload's previous PATCH, in ms.";
    default_page: u32, "Items per page when the client does not say.";
    max_page: u32, "Most items per page a client may ask for.";
    default_pull_page: u32, "Changes per pull page when the client does not say.";
    max_pull_page: u32, "Most changes per pull page a client may ask for.";
    sign_in_window_ms: i64, "The window sign-in failures are counted in, in ms.";
    sign_in_failures_per_account_address: usize, "Failed sign-ins one address may make on one account per window.";
    sign_in_failures_per_address: usize, "Failed sign-ins one address may make over all accounts per window.";
    sign_in_slow_after: usize, "Failed sign-ins on one account after which it is slowed down.";
    sign_in_slow_ms: i64, "A slowed-down account's time between attempts, in ms.";
    sign_in_max_wait_ms: i64, "The longest a slowed-down sign-in waits before a 429, in ms.";
    max_password_hashes: usize, "Password hashes computed at once.";
    password_hash_wait_ms: u64, "How long a sign-in waits for a hashing turn before a 503, in ms.";
    max_photo_decodes: usize, "Uploaded photos decoded at once.";
    photo_decode_wait_ms: u64, "How long a last chunk waits for a decoding turn before a 503, in ms.";
    max_unfinished_upload_bytes: u64, "Bytes one account may have in unfinished uploads.";
    max_stored_photo_bytes: u64, "Photo bytes one account may hold.";
    max_listings: u64, "Listings one account may have that are not sold or deleted.";
    header_read_timeout_ms: u64, "How long a client may take to send a request's headers, in ms.";
    body_idle_timeout_ms: u64, "How long a request body may stop arriving before it counts as cut, in ms.";
    max_concurrent_requests: usize, "Requests handled at once.";
    request_wait_ms: u64, "How long a request waits for a turn before a 503, in ms.";
    shutdown_deadline_ms: u64, "How long a shutdown drains requests before cutting them, in ms.";
    kept_outcomes_per_client: u64, "Acknowledged mutation outcomes kept per client.";
    max_db_readers: usize, "SQLite connections reading at once.";
    max_sign_ups_per_address: usize, "Accounts one address may create per sign-up window.";
    sign_up_window_ms: i64, "The sign-up window, in ms.";
    offer_ttl_ms: i64, "How long an offer or counter stays open unanswered, in ms.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_lists_every_limit_flag() {
        let readme = include_str!("../README.md");
        for name in LimitFlags::names() {
            assert!(
                readme.contains(&format!("| `--{name} N` |")),
                "README.md has no row for --{name}"
            );
        }
    }

    #[test]
    fn flags_replace_only_the_limits_given() {
        let flags = LimitFlags {
            max_password_hashes: Some(9),
            ..LimitFlags::default()
        };
        let limits = flags.apply(Limits::default());
        assert_eq!(limits.max_password_hashes, 9);
        assert_eq!(limits.max_page, Limits::default().max_page);
    }
}
