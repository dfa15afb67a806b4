//! The background sync runner: while the app is open it syncs
//! - on a timer (every 30 s by default),
//! - shortly after a local change that needs sending, once no other came for
//!   1.5 s (the facade's edit paths nudge it through [`SyncTrigger`]; typing
//!   coalesces into one mutation instead of one per keystroke),
//! - when the seller asks ([`App::sync_now`]),
//! - after a failure, when its backoff wait is over (full jitter, 1 s to
//!   5 min, rehome-sync's [`Backoff`]); a success clears the backoff;
//! - and, while offline, as soon as the server accepts connections again
//!   (looked at every [`PROBE_INTERVAL_MS`]; see [`SyncRunner::run`]).
//!
//! Only one sync runs at a time. Without an account it says so
//! ([`SignedOut`](rehome_model::ipc::SyncIndicator::SignedOut)) and only looks again on the timer or a nudge.
//!
//! Time and randomness are passed in ([`Clock`], [`Entropy`]), and
//! [`SyncRunner::tick`] does at most one sync and says when the next is due,
//! so tests drive the runner step by step; [`SyncRunner::run`] is the loop
//! the shell spawns.
//!
//! The status snapshot ([`App::sync_status`], in `sync_status.rs`) joins the
//! runner's state (offline, syncing, the photo bytes sent in this sync from
//! the engine's [`SyncEvent`]s) with the store's (what is queued, parked, live).

use crate::{App, AppError};
use rehome_model::{ListingId, PhotoId};
use rehome_store::{Clock, Entropy, Store};
use rehome_sync::{Backoff, ServerSession, SyncConfig, SyncEngine, SyncError, SyncEvent};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// While offline, how often the runner looks whether the server is back.
pub const PROBE_INTERVAL_MS: u64 = 2_000;

/// Whether `server` (an http(s) URL) accepts a TCP connection within 2 s.
/// Nothing is sent: this only tells "unreachable" from "reachable".
async fn accepts_connections(server: &str) -> bool {
    let Some((host, port)) = rehome_client::host_and_port(server) else {
        return false;
    };
    matches!(
        tokio::time::timeout(
            Duration::from_secs(2),
            tokio::net::TcpStream::connect((host.as_str(), port)),
        )
        .await,
        Ok(Ok(_))
    )
}

/// How the runner paces itself.
#[derive(Clone, Debug)]
pub struct SyncSchedule {
    /// The timer: a sync at least this often while nothing else triggers one.
    pub interval_ms: u64,
    /// After a local change, wait until no other came for this long.
    pub settle_ms: u64,
    /// The wait after consecutive failures.
    pub backoff: Backoff,
    /// The engine's knobs. Its in-sync upload retries are off by default: the
    /// runner's own backoff decides when to try again, so an offline device
    /// says so at once instead of after a minute of retries.
    pub engine: SyncConfig,
}

impl Default for SyncSchedule {
    fn default() -> Self {
        Self {
            interval_ms: 30_000,
            settle_ms: 1_500,
            backoff: Backoff::default(),
            engine: SyncConfig {
                upload_retries: 0,
                ..SyncConfig::default()
            },
        }
    }
}

/// The nudge the facade's edit paths give the runner. Cheap to clone.
#[derive(Clone, Default)]
pub(crate) struct SyncTrigger {
    inner: Arc<TriggerInner>,
}

#[derive(Default)]
struct TriggerInner {
    wake: tokio::sync::Notify,
    /// Local changes saved so far (each nudge counts one).
    changes: AtomicU64,
    /// The user asked: skip any backoff wait.
    forced: AtomicBool,
    /// One sync at a time, whichever runner or caller starts it.
    one_at_a_time: tokio::sync::Mutex<()>,
    state: Mutex<RunnerState>,
}

/// What the runner knows between syncs.
#[derive(Default)]
pub(crate) struct RunnerState {
    phase: Phase,
    running: bool,
    /// Consecutive failed syncs (0 after a success).
    failures: u32,
    /// When the next try is due after a failure.
    retry_at: Option<u64>,
    /// When the timer's next sync is due.
    next_timer: u64,
    last_ok: Option<u64>,
    last_error: Option<String>,
    /// The token the server last refused (401): the account shows as
    /// expired while this device still holds it (see [`App::account`]).
    refused_token: Option<String>,
    /// The change count the last sync started from.
    changes_synced: u64,
    /// The change count last seen, and when (the settle wait starts there).
    changes_seen: u64,
    change_seen_at: u64,
    /// Photo bytes sent in the running sync: photo → (listing, sent, total).
    uploads: HashMap<PhotoId, (ListingId, u64, u64)>,
}

impl RunnerState {
    /// What the status needs, copied out of the lock.
    pub(crate) fn snapshot(&self) -> StateSnapshot {
        StateSnapshot {
            phase: self.phase,
            running: self.running,
            retry_at: self.retry_at,
            last_ok: self.last_ok,
            last_error: self.last_error.clone(),
            uploads: self.uploads.clone(),
        }
    }
}

/// What [`App::sync_status`] reads of the runner, copied out of its lock.
pub(crate) struct StateSnapshot {
    pub(crate) phase: Phase,
    pub(crate) running: bool,
    pub(crate) retry_at: Option<u64>,
    pub(crate) last_ok: Option<u64>,
    pub(crate) last_error: Option<String>,
    pub(crate) uploads: HashMap<PhotoId, (ListingId, u64, u64)>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Phase {
    /// No sync tried yet.
    #[default]
    Starting,
    SignedOut,
    SessionExpired,
    Offline,
    Synced,
}

impl SyncTrigger {
    pub(crate) fn state(&self) -> std::sync::MutexGuard<'_, RunnerState> {
        self.inner.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Did the last sync with `token` end in the server refusing it?
    pub(crate) fn session_refused(&self, token: &str) -> bool {
        self.state().refused_token.as_deref() == Some(token)
    }

    /// A local change needs sending: sync once changes have settled (not
    /// before a backoff wait is over: a keystroke must not hammer a server
    /// that is down).
    pub(crate) fn nudge(&self) {
        self.inner.changes.fetch_add(1, Ordering::SeqCst);
        self.inner.wake.notify_one();
    }

    /// The user asked: sync now, whatever the backoff.
    pub(crate) fn force(&self) {
        self.inner.forced.store(true, Ordering::SeqCst);
        self.inner.wake.notify_one();
    }

    fn on_event(&self, e: &SyncEvent) {
        let mut s = self.state();
        match e {
            SyncEvent::UploadProgress {
                photo_id,
                listing_id,
                sent,
                total,
            } => {
                s.uploads.insert(*photo_id, (*listing_id, *sent, *total));
            }
            SyncEvent::UploadDone {
                photo_id,
                listing_id,
                ..
            } => {
                let entry = s.uploads.entry(*photo_id).or_insert((*listing_id, 0, 0));
                entry.1 = entry.2;
            }
            _ => {}
        }
    }
}

/// What one [`SyncRunner::tick`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tick {
    /// A sync ran; the outcome says how it ended.
    Ran(SyncOutcome),
    /// Another sync is running: nothing started.
    Busy,
    /// Nothing is due before `until` (unix ms) unless nudged.
    NotDue { until: u64 },
}

/// How one sync ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncOutcome {
    /// Everything that could move moved; `pending` rows are still waiting
    /// (behind a photo or parked ones not counted).
    Synced { pending: usize },
    /// Could not reach the server (or it failed): next try at `retry_at`.
    Offline { retry_at: u64 },
    /// No account on this device.
    SignedOut,
    /// The server refused the session: sign in again.
    SessionExpired,
}

/// Drives background sync for one [`App`].
pub struct SyncRunner<'a> {
    app: &'a App,
    clock: Arc<dyn Clock>,
    entropy: Arc<dyn Entropy>,
    schedule: SyncSchedule,
    /// The engine of the session it was made for (its rebase chains live
    /// across syncs).
    engine: Mutex<Option<(ServerSession, SyncEngine)>>,
    /// On the system clock the runner shares the facade's store; on a
    /// passed-in clock (tests step it) it opens one with that clock, once.
    uses_app_store: bool,
    store: Mutex<Option<Arc<Store>>>,
}

impl<'a> SyncRunner<'a> {
    pub fn new(
        app: &'a App,
        clock: Arc<dyn Clock>,
        entropy: Arc<dyn Entropy>,
        schedule: SyncSchedule,
    ) -> Self {
        Self {
            app,
            clock,
            entropy,
            schedule,
            engine: Mutex::new(None),
            uses_app_store: false,
            store: Mutex::new(None),
        }
    }

    fn trigger(&self) -> &SyncTrigger {
        &self.app.sync_trigger
    }

    /// When the next sync is due (unix ms), given what happened so far.
    fn due_at(&self, now: u64) -> u64 {
        let inner = &self.trigger().inner;
        if inner.forced.load(Ordering::SeqCst) {
            return 0;
        }
        let changes = inner.changes.load(Ordering::SeqCst);
        let mut s = self.trigger().state();
        if s.phase == Phase::Starting {
            return 0;
        }
        if let (Phase::Offline, Some(at)) = (s.phase, s.retry_at) {
            return at;
        }
        if changes != s.changes_synced {
            // Changes to send: once none came for `settle_ms` (typing
            // coalesces into one mutation instead of one per keystroke).
            if changes != s.changes_seen {
                s.changes_seen = changes;
                s.change_seen_at = now;
            }
            return s
                .change_seen_at
                .saturating_add(self.schedule.settle_ms)
                .min(s.next_timer);
        }
        s.next_timer
    }

    /// Runs one sync if one is due now; otherwise says until when nothing is.
    #[tracing::instrument(skip(self))]
    pub async fn tick(&self) -> Tick {
        let now = self.clock.now_millis();
        let due = self.due_at(now);
        if due > now {
            return Tick::NotDue { until: due };
        }
        self.sync().await
    }

    /// Runs one sync now, whatever is due (one at a time: `Busy` if another
    /// is running).
    pub async fn sync(&self) -> Tick {
        let inner = &self.trigger().inner;
        let Ok(_one) = inner.one_at_a_time.try_lock() else {
            return Tick::Busy;
        };
        // Changes saved while this sync runs ask for the next one.
        let changes = inner.changes.load(Ordering::SeqCst);
        self.trigger().state().changes_synced = changes;
        inner.forced.store(false, Ordering::SeqCst);
        let outcome = self.sync_inner().await;
        let now = self.clock.now_millis();
        let mut s = self.trigger().state();
        s.running = false;
        // `uploads` keeps this sync's bytes until the next one starts.
        s.next_timer = now.saturating_add(self.schedule.interval_ms);
        match &outcome {
            Ok(_) => {
                s.phase = Phase::Synced;
                s.failures = 0;
                s.retry_at = None;
                s.last_ok = Some(now);
                s.last_error = None;
                s.refused_token = None;
            }
            Err(SyncOutcome::SignedOut) => {
                s.phase = Phase::SignedOut;
                s.failures = 0;
                s.retry_at = None;
            }
            Err(SyncOutcome::SessionExpired) => {
                s.phase = Phase::SessionExpired;
                s.failures = 0;
                s.retry_at = None;
            }
            // `failed` has counted it and set the next try.
            Err(_) => {}
        }
        Tick::Ran(match outcome {
            Ok(pending) => SyncOutcome::Synced { pending },
            Err(o) => o,
        })
    }

    /// One sync: `Ok(rows still pending)` or how it stopped.
    async fn sync_inner(&self) -> Result<usize, SyncOutcome> {
        let session = match self.app.session() {
            Ok(s) => s,
            Err(e) => {
                tracing::info!(error = %e, "not signed in: nothing to sync");
                return Err(SyncOutcome::SignedOut);
            }
        };
        let token = session.token.clone();
        let engine = match self.engine_for(session) {
            Ok(engine) => engine,
            Err(e) => return Err(self.failed(e.to_string())),
        };
        // This runner keeps the one backoff: when it tries, the rows' own
        // waits must not hold the push back.
        if let Err(e) = engine.store().make_outbox_due_now() {
            return Err(self.failed(e.to_string()));
        }
        {
            let mut s = self.trigger().state();
            s.running = true;
            s.uploads.clear();
        }
        match engine.sync_once().await {
            Ok(report) => Ok(report.pending),
            Err(SyncError::NeedsSignIn(m)) => {
                tracing::warn!(reason = %m, "the server refused the session");
                self.trigger().state().refused_token = Some(token);
                Err(SyncOutcome::SessionExpired)
            }
            Err(e) => Err(self.failed(e.to_string())),
        }
    }

    /// A failed sync: count it and schedule the next try.
    fn failed(&self, reason: String) -> SyncOutcome {
        let mut s = self.trigger().state();
        s.failures = s.failures.saturating_add(1);
        let retry_at = self.schedule.backoff.next_attempt_at(
            s.failures,
            self.clock.as_ref(),
            self.entropy.as_ref(),
        );
        tracing::info!(%reason, failures = s.failures, retry_at, "sync failed; backing off");
        s.phase = Phase::Offline;
        s.retry_at = Some(retry_at);
        s.last_error = Some(reason);
        SyncOutcome::Offline { retry_at }
    }

    fn engine_for(&self, session: ServerSession) -> Result<SyncEngine, AppError> {
        let mut slot = self.engine.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((s, engine)) = slot.as_ref()
            && s.base_url() == session.base_url()
            && s.token == session.token
        {
            return Ok(engine.clone());
        }
        let store = self.store()?;
        let trigger = self.trigger().clone();
        let engine = SyncEngine::new(
            store,
            session.clone(),
            self.clock.clone(),
            self.entropy.clone(),
            self.schedule.engine.clone(),
        )?
        .with_events(move |e| trigger.on_event(e));
        *slot = Some((session, engine.clone()));
        Ok(engine)
    }

    fn store(&self) -> Result<Arc<Store>, AppError> {
        if self.uses_app_store {
            return self.app.store();
        }
        let mut slot = self.store.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = slot.as_ref() {
            return Ok(s.clone());
        }
        let store = Arc::new(Store::open(
            &self.app.config().data_dir,
            self.clock.clone(),
            self.entropy.clone(),
        )?);
        *slot = Some(store.clone());
        Ok(store)
    }

    /// The loop the shell spawns: tick, then sleep until the next sync is
    /// due or something nudges. Never returns.
    ///
    /// While offline it also looks, every [`PROBE_INTERVAL_MS`], whether the
    /// server accepts a connection. When it did not and now does, the
    /// connection is back: it syncs at once instead of waiting out the
    /// backoff. A server that accepts connections but fails (5xx) never
    /// turns from unreachable to reachable, so it keeps its backoff.
    pub async fn run(self) {
        let mut was_reachable: Option<bool> = None;
        loop {
            let wait = match self.tick().await {
                Tick::Ran(outcome) => {
                    tracing::debug!(?outcome, "synced");
                    continue;
                }
                // Someone else's sync: look again when it is likely over.
                Tick::Busy => 1_000,
                Tick::NotDue { until } => until.saturating_sub(self.clock.now_millis()),
            };
            let offline = self.trigger().state().phase == Phase::Offline;
            let wait = if offline {
                wait.min(PROBE_INTERVAL_MS)
            } else {
                wait
            };
            tracing::debug!(wait_ms = wait, "sync runner waiting");
            tokio::select! {
                _ = self.trigger().inner.wake.notified() => {}
                _ = tokio::time::sleep(Duration::from_millis(wait)) => {}
            }
            if self.trigger().state().phase != Phase::Offline {
                was_reachable = None;
                continue;
            }
            let reachable = accepts_connections(&self.server_url()).await;
            if was_reachable == Some(false) && reachable {
                tracing::info!("the server is reachable again: syncing now");
                self.trigger().force();
            }
            was_reachable = Some(reachable);
        }
    }

    /// The server this device syncs with: the signed-in account's, else the
    /// configured one.
    fn server_url(&self) -> String {
        match self.app.signed_in_account() {
            Ok(Some(account)) => account.server,
            _ => self.app.config().server.clone(),
        }
    }
}

impl<'a> SyncRunner<'a> {
    /// The runner the app uses: the system clock, OS randomness, the default
    /// schedule.
    pub fn with_system_clock(app: &'a App) -> Self {
        Self {
            uses_app_store: true,
            ..Self::new(
                app,
                Arc::new(rehome_store::SystemClock),
                Arc::new(rehome_store::OsEntropy::default()),
                SyncSchedule::default(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_server_is_reachable_only_while_it_accepts_connections() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let open = format!("http://{}", listener.local_addr().unwrap());
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("http://{}", l.local_addr().unwrap())
        }; // dropped: nothing listens there now
        let check = async |url: &str, expected: bool| {
            assert_eq!(accepts_connections(url).await, expected, "{url}");
        };
        check(&open, true).await;
        check(&format!("{open}/some/path"), true).await;
        check(&closed, false).await;
        check("not a url", false).await;
        check("file:///tmp/x", false).await;
        drop(listener);
        check(&open, false).await;
    }
}
