//! The pull, a page at a time: each page is applied (its cookie saved in
//! the same store transaction) before the next is asked for, so a pull cut
//! off anywhere (a kill, a lost connection) keeps every page applied and
//! resumes after the last one.

use super::{SyncEngine, SyncEvent, SyncReport};
use crate::error::SyncError;
use crate::http::Failure;
use rehome_model::sync::{PullRequest, PullResponse};

/// Pages one sync pulls at most (200 000 listings at the server's default
/// page); the rest come at the next sync.
const MAX_PAGES: usize = 1000;

impl SyncEngine {
    /// Pulls the server's changes and rebases the drafts on them.
    pub(super) async fn pull(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        let store = &self.inner.store;
        for _ in 0..MAX_PAGES {
            let cookie = store.cookie()?;
            let request = PullRequest {
                client_id: store.client_id(),
                cookie: cookie.clone(),
                limit: None,
            };
            let mut response: PullResponse =
                match self.inner.http.post_json("/v1/sync/pull", &request).await {
                    Ok(r) => r,
                    Err(f) => return Err(self.failed(None, f)?),
                };
            rehome_store::failpoint::hit("pull:before_apply");
            let server_last = response.last_mutation_id;
            // Never let a pull drop a row whose outcome the push has not seen
            // (nor one this device cannot read back: it was never sent).
            let first = store.outbox()?.first().map(|r| r.seq);
            let unreadable = store.unreadable_outbox()?.first().map(|r| r.seq);
            if let Some(first) = first.into_iter().chain(unreadable).min() {
                response.last_mutation_id = response.last_mutation_id.min(first.saturating_sub(1));
            }
            store.apply_pull(&response)?;
            // Listings made on another device get a draft here too.
            store.adopt_confirmed_listings()?;
            report.pulled_listings += response.patch.len();
            self.emit(&SyncEvent::Pulled {
                listings: response.patch.len(),
                last_mutation_id: server_last,
            });
            if !response.more {
                return Ok(());
            }
            if cookie.as_deref() == Some(response.cookie.as_str()) {
                // "More" without moving on would ask for the same page for ever.
                let stuck = "the server's pull said more but did not move past its cookie";
                return Err(self.failed(None, Failure::Transient(stuck.into()))?);
            }
        }
        Ok(())
    }
}
