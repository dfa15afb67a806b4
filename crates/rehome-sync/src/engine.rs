//! The sync engine: one [`SyncEngine::sync_once`] uploads the photos that are
//! due, drains the outbox in order through `POST /v1/sync/push`, and pulls.
//!
//! # Order and exactly-once
//! The outbox is pushed strictly in `seq` order, in batches. The server records
//! `lastMutationId` with each mutation's effect and answers a replay with the
//! stored outcome, so re-sending a row after any failure (a cut reply, a kill
//! between the server's commit and ours) never applies it twice. An outbox row
//! leaves the store only once the server has processed it:
//! - `Applied`: deleted by `lastMutationId`;
//! - `Conflict`: moved to the conflicts table (one store transaction);
//! - `Rejected`: *parked* with the server's reason, kept and shown, and skipped
//!   by later pushes so it never blocks the rows behind it.
//!
//! # Photos first
//! An `AttachPhoto` row is not sent until its photo's upload is complete, and
//! nothing behind it is sent either (order is kept), so a `Publish` always
//! reaches the server after every photo it needs.
//!
//! # Pull
//! A pull never drops an outbox row the push has not resolved: the
//! `lastMutationId` handed to the store is capped below the first row still in
//! the outbox, so an outcome (a conflict, a rejection) is never lost to a pull.
//! It comes in pages, each applied before the next is asked for (`pull.rs`).

use crate::backoff::Backoff;
use crate::error::SyncError;
use crate::http::{Failure, Patched, ServerSession, SyncHttp};
use rehome_model::sync::{
    GuardedField, Mutation, MutationEnvelope, MutationOutcome, PushRequest, PushResponse,
};
use rehome_model::{ListingId, PhotoId};
use rehome_store::{Clock, Entropy, OutboxRow, OutboxState, PhotoUpload, Store};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

mod pull;

/// The most bytes of mutations one push carries: under the server's default
/// body limit (256 KiB) with room for the envelope.
const PUSH_BODY_BUDGET: usize = 192 * 1024;

/// Tuning knobs; the defaults follow DESIGN.md.
#[derive(Clone, Debug)]
pub struct SyncConfig {
    /// Mutations per push (at most [`rehome_model::sync::PUSH_MAX`], the
    /// server's limit): a bulk edit of 10,000 rows goes out in 50 pushes.
    pub batch: usize,
    /// Bytes per tus PATCH (256 KiB to 1 MiB).
    pub chunk_bytes: usize,
    /// Photos uploading at once.
    pub upload_concurrency: usize,
    /// Waits between retries.
    pub backoff: Backoff,
    /// Retries of one photo's upload within one sync before giving up until
    /// the next sync.
    pub upload_retries: u32,
}

impl Default for SyncConfig {
    fn default() -> Self {
        Self {
            batch: 200,
            chunk_bytes: 512 * 1024,
            upload_concurrency: 3,
            backoff: Backoff::default(),
            upload_retries: 6,
        }
    }
}

/// The chunk size actually used: `requested` clamped to 256 KiB–1 MiB.
pub fn clamp_chunk(requested: usize) -> usize {
    requested.clamp(256 * 1024, 1024 * 1024)
}

/// Progress, as the UI and `rehome sync --json` show it (one JSON object each).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "camelCase")]
pub enum SyncEvent {
    #[serde(rename_all = "camelCase")]
    Pushed {
        sent: usize,
        applied: usize,
        conflicts: usize,
        rejected: usize,
        last_mutation_id: u64,
    },
    #[serde(rename_all = "camelCase")]
    Conflict {
        listing_id: ListingId,
        field: String,
        mine: String,
        theirs: String,
    },
    #[serde(rename_all = "camelCase")]
    Parked {
        seq: u64,
        reason: String,
    },
    /// A like or follow refused because its listing sold or vanished, or its
    /// seller is gone: dropped like an applied one, never parked.
    #[serde(rename_all = "camelCase")]
    Settled {
        seq: u64,
        reason: String,
    },
    #[serde(rename_all = "camelCase")]
    UploadProgress {
        photo_id: PhotoId,
        listing_id: ListingId,
        sent: u64,
        total: u64,
    },
    #[serde(rename_all = "camelCase")]
    UploadDone {
        photo_id: PhotoId,
        listing_id: ListingId,
        deduped: bool,
    },
    #[serde(rename_all = "camelCase")]
    Retrying {
        error: String,
        retry_at: u64,
    },
    #[serde(rename_all = "camelCase")]
    Pulled {
        listings: usize,
        last_mutation_id: u64,
    },
    NeedsSignIn,
    #[serde(rename_all = "camelCase")]
    Done {
        pending: usize,
        parked: usize,
    },
}

/// What one sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    pub pushes: usize,
    pub applied: usize,
    pub conflicts: usize,
    pub rejected: usize,
    pub uploaded: usize,
    pub deduped: usize,
    /// Photo bytes sent in PATCH bodies.
    pub upload_bytes_sent: u64,
    /// Of those, bytes the server already had or threw away (resent after a cut).
    pub upload_bytes_resent: u64,
    pub pulled_listings: usize,
    /// Outbox rows still waiting (not parked).
    pub pending: usize,
    pub parked: usize,
}

impl SyncReport {
    fn add(&mut self, r: &SyncReport) {
        self.pushes += r.pushes;
        self.applied += r.applied;
        self.conflicts += r.conflicts;
        self.rejected += r.rejected;
        self.uploaded += r.uploaded;
        self.deduped += r.deduped;
        self.upload_bytes_sent += r.upload_bytes_sent;
        self.upload_bytes_resent += r.upload_bytes_resent;
        self.pulled_listings += r.pulled_listings;
        self.pending = r.pending;
        self.parked = r.parked;
    }
}

type EventSink = Arc<dyn Fn(&SyncEvent) + Send + Sync>;

struct Inner {
    store: Arc<Store>,
    http: SyncHttp,
    clock: Arc<dyn Clock>,
    entropy: Arc<dyn Entropy>,
    config: SyncConfig,
    events: std::sync::OnceLock<EventSink>,
    bytes_sent: AtomicU64,
    bytes_resent: AtomicU64,
    /// This device's own accepted changes to guarded fields, so a later edit
    /// based on the same (now stale) version is not a conflict with itself.
    chains: std::sync::Mutex<HashMap<(ListingId, GuardedField), Chain>>,
    /// Sums over every sync so far, failed ones included.
    totals: std::sync::Mutex<SyncReport>,
}

/// A guarded field this device changed: edits based on `from` are really
/// based on `to` (our own accepted changes in between).
#[derive(Clone, Copy, Debug)]
struct Chain {
    from: u64,
    to: u64,
}

/// The guarded field a mutation compares-and-sets, with its base version.
fn guarded(m: &Mutation) -> Option<(ListingId, GuardedField, u64)> {
    match m {
        Mutation::SetPrice {
            listing_id,
            base_version,
            ..
        } => Some((*listing_id, GuardedField::Price, *base_version)),
        Mutation::SetQuantity {
            listing_id,
            base_version,
            ..
        } => Some((*listing_id, GuardedField::Quantity, *base_version)),
        Mutation::Publish {
            listing_id,
            base_version,
        }
        | Mutation::Delist {
            listing_id,
            base_version,
        }
        | Mutation::Relist {
            listing_id,
            base_version,
        } => Some((*listing_id, GuardedField::Status, *base_version)),
        _ => None,
    }
}

fn with_base(m: &Mutation, base: u64) -> Mutation {
    let mut m = m.clone();
    match &mut m {
        Mutation::SetPrice { base_version, .. }
        | Mutation::SetQuantity { base_version, .. }
        | Mutation::Publish { base_version, .. }
        | Mutation::Delist { base_version, .. }
        | Mutation::Relist { base_version, .. } => *base_version = base,
        _ => {}
    }
    m
}

/// The engine for one store and one signed-in session. Cheap to clone.
#[derive(Clone)]
pub struct SyncEngine {
    inner: Arc<Inner>,
}

enum UploadOutcome {
    Done {
        deduped: bool,
    },
    /// Parked (the server refuses the photo for good).
    Refused,
}

impl SyncEngine {
    pub fn new(
        store: Arc<Store>,
        session: ServerSession,
        clock: Arc<dyn Clock>,
        entropy: Arc<dyn Entropy>,
        mut config: SyncConfig,
    ) -> Result<Self, SyncError> {
        config.chunk_bytes = clamp_chunk(config.chunk_bytes);
        config.batch = config.batch.clamp(1, rehome_model::sync::PUSH_MAX);
        config.upload_concurrency = config.upload_concurrency.max(1);
        let http = SyncHttp::new(session);
        Ok(Self {
            inner: Arc::new(Inner {
                store,
                http,
                clock,
                entropy,
                config,
                events: std::sync::OnceLock::new(),
                bytes_sent: AtomicU64::new(0),
                bytes_resent: AtomicU64::new(0),
                chains: Default::default(),
                totals: Default::default(),
            }),
        })
    }

    /// Calls `sink` for every progress event. Set it before the first sync;
    /// the first sink set wins.
    pub fn with_events(self, sink: impl Fn(&SyncEvent) + Send + Sync + 'static) -> Self {
        let _ = self.inner.events.set(Arc::new(sink));
        self
    }

    /// What every sync of this engine did so far, failed ones included
    /// (`pending` and `parked` are from the last one).
    pub fn totals(&self) -> SyncReport {
        self.inner
            .totals
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.inner.store
    }

    /// Uploads, pushes and pulls until nothing more can move now. Returns what
    /// it did; an error says why it stopped early (offline: when to retry; 401:
    /// sign in again). Nothing is lost on an error: everything stays queued.
    #[tracing::instrument(skip(self))]
    pub async fn sync_once(&self) -> Result<SyncReport, SyncError> {
        let mut report = SyncReport::default();
        let result = self.sync_inner(&mut report).await;
        report.upload_bytes_sent = self.inner.bytes_sent.swap(0, Ordering::SeqCst);
        report.upload_bytes_resent = self.inner.bytes_resent.swap(0, Ordering::SeqCst);
        let outbox = self.inner.store.outbox()?;
        let parked = outbox
            .iter()
            .filter(|r| r.state == OutboxState::Parked)
            .count();
        report.pending = outbox.len() - parked;
        // A row this device cannot read back is never sent: parked too.
        report.parked = parked + self.inner.store.unreadable_outbox()?.len();
        self.inner
            .totals
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .add(&report);
        if let Err(e) = result {
            if matches!(e, SyncError::NeedsSignIn(_)) {
                self.emit(&SyncEvent::NeedsSignIn);
            }
            return Err(e);
        }
        self.emit(&SyncEvent::Done {
            pending: report.pending,
            parked: report.parked,
        });
        Ok(report)
    }

    async fn sync_inner(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        // Each round uploads what is due, then pushes up to the first photo
        // not uploaded yet. A few rounds cover photos added while syncing.
        for _ in 0..8 {
            let uploaded = self.upload_pending(report).await?;
            let pushed = self.push_ready(report).await?;
            if uploaded == 0 && pushed == 0 {
                break;
            }
        }
        self.pull(report).await
    }

    fn emit(&self, e: &SyncEvent) {
        if let Some(sink) = self.inner.events.get() {
            sink(e);
        }
    }

    fn failed(&self, head: Option<&OutboxRow>, f: Failure) -> Result<SyncError, SyncError> {
        Ok(match f {
            Failure::Unauthorized(m) => SyncError::NeedsSignIn(m),
            Failure::Transient(message)
            | Failure::Permanent {
                error: rehome_model::ApiError { message, .. },
                ..
            } => {
                let failures = head.map_or(1, |h| h.attempts + 1);
                let retry_at = self.inner.config.backoff.next_attempt_at(
                    failures,
                    self.inner.clock.as_ref(),
                    self.inner.entropy.as_ref(),
                );
                if let Some(h) = head {
                    self.inner.store.mark_attempt(h.seq, &message, retry_at)?;
                }
                self.emit(&SyncEvent::Retrying {
                    error: message.clone(),
                    retry_at,
                });
                SyncError::Offline { message, retry_at }
            }
        })
    }

    /// Pushes outbox rows in order until the outbox is empty, waiting on a
    /// backoff, or blocked on a photo upload. Returns how many rows the server
    /// processed.
    async fn push_ready(&self, report: &mut SyncReport) -> Result<usize, SyncError> {
        let store = &self.inner.store;
        let mut processed = 0;
        let mut one_at_a_time = false;
        loop {
            let limit = if one_at_a_time {
                1
            } else {
                self.inner.config.batch
            };
            let rows = store.pending_outbox(limit)?;
            if rows.is_empty() {
                return Ok(processed);
            }
            let not_uploaded: HashSet<PhotoId> = store
                .photos_to_upload()?
                .into_iter()
                .map(|p| p.photo_id)
                .collect();
            // Up to the first attach whose photo is not up yet, and before a
            // second edit of the same guarded field (its base is rewritten
            // once the first one's outcome is known).
            let mut guarded_seen = HashSet::new();
            let sendable: Vec<&OutboxRow> = rows
                .iter()
                .take_while(|r| match &r.mutation {
                    Mutation::AttachPhoto { photo_id, .. } => !not_uploaded.contains(photo_id),
                    m => guarded(m).is_none_or(|(l, f, _)| guarded_seen.insert((l, f))),
                })
                .collect();
            if sendable.is_empty() {
                // The head waits for its photo.
                return Ok(processed);
            }
            // And within the body the server takes (long descriptions in
            // bulk): always at least the head.
            let mut bytes = 0;
            let sendable: Vec<&OutboxRow> = sendable
                .into_iter()
                .enumerate()
                .take_while(|(i, r)| {
                    bytes += serde_json::to_vec(&r.mutation).map_or(0, |v| v.len()) + 16;
                    *i == 0 || bytes <= PUSH_BODY_BUDGET
                })
                .map(|(_, r)| r)
                .collect();
            rehome_store::failpoint::hit("push:claimed");
            let request = PushRequest {
                client_id: store.client_id(),
                mutations: sendable
                    .iter()
                    .map(|r| MutationEnvelope {
                        id: r.seq,
                        mutation: self.rebased(&r.mutation),
                    })
                    .collect(),
            };
            report.pushes += 1;
            let response: PushResponse = match self
                .inner
                .http
                .post_json("/v1/sync/push", &request)
                .await
            {
                Ok(r) => r,
                Err(Failure::Permanent { error, .. }) if sendable.len() > 1 => {
                    // The whole batch was refused (one mutation the server
                    // cannot even parse): find it by sending one at a time.
                    tracing::warn!(message = %error.message, "push refused; retrying one by one");
                    one_at_a_time = true;
                    continue;
                }
                Err(Failure::Permanent { error, .. }) => {
                    let head = sendable[0];
                    store.park(head.seq, &error.message)?;
                    report.rejected += 1;
                    self.emit(&SyncEvent::Parked {
                        seq: head.seq,
                        reason: error.message,
                    });
                    continue;
                }
                Err(f) => return Err(self.failed(Some(sendable[0]), f)?),
            };
            rehome_store::failpoint::hit("push:server_committed");
            if response.results.is_empty() {
                return Err(self.failed(
                    Some(sendable[0]),
                    Failure::Transient("the server processed nothing".into()),
                )?);
            }
            let (mut applied, mut conflicts, mut rejected) = (0, 0, 0);
            for result in &response.results {
                let Some(row) = sendable.iter().find(|r| r.seq == result.id) else {
                    continue;
                };
                match &result.outcome {
                    MutationOutcome::Applied => {
                        applied += 1;
                        self.chain_applied(&row.mutation);
                    }
                    MutationOutcome::Conflict {
                        field,
                        mine,
                        theirs,
                        server_version,
                    } => {
                        let mine = serde_json::to_string(mine).unwrap_or_default();
                        let theirs = serde_json::to_string(theirs).unwrap_or_default();
                        match rehome_store::mutation_listing(&row.mutation) {
                            Some(listing_id) => {
                                store.record_conflict(
                                    row.seq,
                                    listing_id,
                                    *field,
                                    &mine,
                                    &theirs,
                                    *server_version,
                                )?;
                                conflicts += 1;
                                self.emit(&SyncEvent::Conflict {
                                    listing_id,
                                    field: serde_json::to_value(field)
                                        .ok()
                                        .and_then(|v| v.as_str().map(str::to_owned))
                                        .unwrap_or_default(),
                                    mine,
                                    theirs,
                                });
                            }
                            None => {
                                let reason = format!("conflict on {field:?}");
                                store.park(row.seq, &reason)?;
                                rejected += 1;
                                self.emit(&SyncEvent::Parked {
                                    seq: row.seq,
                                    reason,
                                });
                            }
                        }
                    }
                    MutationOutcome::Rejected { error }
                        if settles_quietly(&row.mutation, error) =>
                    {
                        // Its listing or seller is gone: nothing the buyer could fix.
                        self.emit(&SyncEvent::Settled {
                            seq: row.seq,
                            reason: error.message.clone(),
                        });
                    }
                    MutationOutcome::Rejected { error } => {
                        store.park(row.seq, &error.message)?;
                        rejected += 1;
                        self.emit(&SyncEvent::Parked {
                            seq: row.seq,
                            reason: error.message.clone(),
                        });
                    }
                }
            }
            rehome_store::failpoint::hit("push:before_outbox_delete");
            store.confirm_processed_up_to(response.last_mutation_id)?;
            processed += response.results.len();
            report.applied += applied;
            report.conflicts += conflicts;
            report.rejected += rejected;
            self.emit(&SyncEvent::Pushed {
                sent: sendable.len(),
                applied,
                conflicts,
                rejected,
                last_mutation_id: response.last_mutation_id,
            });
            one_at_a_time = false;
        }
    }

    /// The mutation with its base version moved past this device's own
    /// accepted changes (the rest of the rebase happens in the store's pull).
    fn rebased(&self, m: &Mutation) -> Mutation {
        let Some((listing, field, base)) = guarded(m) else {
            return m.clone();
        };
        let chains = self.inner.chains.lock().unwrap_or_else(|p| p.into_inner());
        match chains.get(&(listing, field)) {
            Some(c) if c.from == base => with_base(m, c.to),
            _ => m.clone(),
        }
    }

    fn chain_applied(&self, original: &Mutation) {
        let Some((listing, field, base)) = guarded(original) else {
            return;
        };
        let mut chains = self.inner.chains.lock().unwrap_or_else(|p| p.into_inner());
        let entry = chains.entry((listing, field)).or_insert(Chain {
            from: base,
            to: base,
        });
        if entry.from == base {
            entry.to += 1;
        } else {
            *entry = Chain {
                from: base,
                to: base + 1,
            };
        }
    }

    /// Uploads every photo not uploaded yet (bounded concurrency; photos with
    /// the same content one after another, so the second dedupes). Returns how
    /// many finished.
    async fn upload_pending(&self, report: &mut SyncReport) -> Result<usize, SyncError> {
        let store = &self.inner.store;
        let parked_photos: HashSet<PhotoId> = store
            .outbox()?
            .into_iter()
            .filter(|r| r.state == OutboxState::Parked)
            .filter_map(|r| match r.mutation {
                Mutation::AttachPhoto { photo_id, .. } => Some(photo_id),
                _ => None,
            })
            .collect();
        let mut groups: BTreeMap<String, Vec<PhotoUpload>> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        for p in store.photos_to_upload()? {
            if parked_photos.contains(&p.photo_id) {
                continue;
            }
            if !groups.contains_key(&p.sha256) {
                order.push(p.sha256.clone());
            }
            groups.entry(p.sha256.clone()).or_default().push(p);
        }
        if groups.is_empty() {
            return Ok(0);
        }
        let permits = Arc::new(tokio::sync::Semaphore::new(
            self.inner.config.upload_concurrency,
        ));
        let mut tasks = tokio::task::JoinSet::new();
        for sha in order {
            let Some(group) = groups.remove(&sha) else {
                continue;
            };
            let engine = self.clone();
            let permits = permits.clone();
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                let mut outcomes = Vec::new();
                for photo in group {
                    let outcome = engine.upload_one(&photo).await;
                    let stop = outcome.is_err();
                    outcomes.push(outcome);
                    if stop {
                        break;
                    }
                }
                outcomes
            });
        }
        let mut first_error: Option<SyncError> = None;
        let mut done = 0;
        while let Some(joined) = tasks.join_next().await {
            let outcomes =
                joined.map_err(|e| SyncError::BadServerReply(format!("upload task: {e}")))?;
            for outcome in outcomes {
                match outcome {
                    Ok(UploadOutcome::Done { deduped }) => {
                        done += 1;
                        report.uploaded += 1;
                        report.deduped += usize::from(deduped);
                    }
                    Ok(UploadOutcome::Refused) => report.rejected += 1,
                    Err(e) => {
                        // A sign-in problem outranks a network one.
                        let replace = match (&first_error, &e) {
                            (None, _) => true,
                            (Some(SyncError::NeedsSignIn(_)), _) => false,
                            (_, SyncError::NeedsSignIn(_)) => true,
                            _ => false,
                        };
                        if replace {
                            first_error = Some(e);
                        }
                    }
                }
            }
        }
        match first_error {
            // Uploads that finished still count; the push after them may go on
            // only if nothing failed (their attaches wait otherwise anyway).
            Some(e) if done == 0 => Err(e),
            Some(e) => {
                tracing::warn!(error = %e, "some uploads failed; the rest go on");
                Ok(done)
            }
            None => Ok(done),
        }
    }

    /// One photo, resumed from wherever the server has it.
    async fn upload_one(&self, photo: &PhotoUpload) -> Result<UploadOutcome, SyncError> {
        let store = &self.inner.store;
        let bytes = tokio::fs::read(&photo.path)
            .await
            .map_err(|e| SyncError::PhotoFile(format!("{}: {e}", photo.path.display())))?;
        let total = bytes.len() as u64;
        let chunk = self.inner.config.chunk_bytes;
        let photo_id = photo.photo_id.to_string();
        let mut upload_path = photo.upload_url.clone();
        // With a known upload, ask the server where it stands before sending.
        let mut must_ask = upload_path.is_some();
        let mut offset = photo.upload_offset;
        let mut failures = 0u32;
        // Times the server said the upload is gone (404/410, or HEAD found
        // none). The first is normal (an upload expired between syncs) and
        // starts a new one at once; every later one is a failure like any
        // other, with its backoff wait and within the retry budget, so a
        // server whose uploads keep vanishing is never asked in a tight loop.
        let mut gone = 0u32;
        let mut deduped = false;
        let mut checksum_failures = 0u32;
        loop {
            let step: Result<bool, Failure> = async {
                let path = match &upload_path {
                    Some(p) => p.clone(),
                    None => {
                        let (p, server_offset) = self
                            .inner
                            .http
                            .upload_create(total, &photo_id, &photo.sha256)
                            .await?;
                        store.set_upload_progress(photo.photo_id, Some(&p), server_offset)?;
                        deduped = server_offset >= total;
                        offset = server_offset;
                        upload_path = Some(p.clone());
                        must_ask = false;
                        p
                    }
                };
                if must_ask {
                    match self.inner.http.upload_offset(&path).await? {
                        // The server reports the full length only once the
                        // photo is checked, stored and attachable.
                        Some(o) => offset = o,
                        None => {
                            // Expired or unknown there: start a new upload.
                            return Err(Failure::Permanent {
                                status: 410,
                                error: rehome_model::ApiError::new(
                                    rehome_model::ErrorCode::NotFound,
                                    "the upload is gone on the server",
                                ),
                            });
                        }
                    }
                    must_ask = false;
                }
                while offset < total {
                    let start = offset as usize;
                    let end = (start + chunk).min(bytes.len());
                    let body = bytes[start..end].to_vec();
                    let len = body.len() as u64;
                    self.inner.bytes_sent.fetch_add(len, Ordering::SeqCst);
                    match self.inner.http.upload_patch(&path, offset, body).await {
                        Ok(Patched::To(o)) => {
                            if o < total {
                                rehome_store::failpoint::hit("upload:mid_chunks");
                            }
                            offset = o;
                            store.set_upload_progress(photo.photo_id, None, offset)?;
                            self.emit(&SyncEvent::UploadProgress {
                                photo_id: photo.photo_id,
                                listing_id: photo.listing_id,
                                sent: offset,
                                total,
                            });
                        }
                        Ok(Patched::OffsetMismatch(server)) => {
                            self.inner.bytes_resent.fetch_add(len, Ordering::SeqCst);
                            match server {
                                Some(o) => offset = o,
                                None => {
                                    must_ask = true;
                                    return Ok(false);
                                }
                            }
                        }
                        Ok(Patched::ChecksumMismatch) => {
                            self.inner.bytes_resent.fetch_add(len, Ordering::SeqCst);
                            checksum_failures += 1;
                            if checksum_failures > 5 {
                                return Err(Failure::Transient(
                                    "chunks keep arriving damaged".into(),
                                ));
                            }
                        }
                        Err(f) => {
                            // Whatever of this chunk arrived is thrown away by
                            // the server (a checksummed chunk is kept whole or
                            // not at all).
                            self.inner.bytes_resent.fetch_add(len, Ordering::SeqCst);
                            must_ask = true;
                            return Err(f);
                        }
                    }
                }
                Ok(true)
            }
            .await;
            match step {
                Ok(true) => {
                    store.set_upload_progress(photo.photo_id, None, total)?;
                    rehome_store::failpoint::hit("upload:before_attach");
                    self.emit(&SyncEvent::UploadDone {
                        photo_id: photo.photo_id,
                        listing_id: photo.listing_id,
                        deduped,
                    });
                    return Ok(UploadOutcome::Done { deduped });
                }
                Ok(false) => continue,
                Err(Failure::Unauthorized(m)) => return Err(SyncError::NeedsSignIn(m)),
                Err(Failure::Permanent {
                    status: 404 | 410,
                    error,
                }) => {
                    upload_path = None;
                    offset = 0;
                    gone += 1;
                    if gone > 1 {
                        failures += 1;
                        if let Some(e) = self.upload_wait(failures, error.message).await {
                            return Err(e);
                        }
                    }
                }
                Err(Failure::Permanent { error, .. }) => {
                    // The server refuses this photo for good (not a JPEG, too
                    // big): park its attach with the reason.
                    let reason = format!("photo refused: {}", error.message);
                    for row in store.outbox()? {
                        if let Mutation::AttachPhoto { photo_id, .. } = &row.mutation
                            && *photo_id == photo.photo_id
                        {
                            store.park(row.seq, &reason)?;
                            self.emit(&SyncEvent::Parked {
                                seq: row.seq,
                                reason: reason.clone(),
                            });
                        }
                    }
                    return Ok(UploadOutcome::Refused);
                }
                Err(Failure::Transient(message)) => {
                    failures += 1;
                    if let Some(e) = self.upload_wait(failures, message).await {
                        return Err(e);
                    }
                }
            }
        }
    }

    /// After an upload's `failures`-th failure: past the retry budget, the
    /// error that ends this sync's try (with when to try again); otherwise
    /// waits out the backoff and says go on.
    async fn upload_wait(&self, failures: u32, message: String) -> Option<SyncError> {
        if failures > self.inner.config.upload_retries {
            let retry_at = self.inner.config.backoff.next_attempt_at(
                failures,
                self.inner.clock.as_ref(),
                self.inner.entropy.as_ref(),
            );
            return Some(SyncError::Offline { message, retry_at });
        }
        let wait = self
            .inner
            .config
            .backoff
            .delay_ms(failures, self.inner.entropy.as_ref());
        tokio::time::sleep(Duration::from_millis(wait)).await;
        None
    }
}

impl From<rehome_store::StoreError> for Failure {
    fn from(e: rehome_store::StoreError) -> Self {
        // Only reached inside an upload step; the step's caller turns a
        // transient failure into a retry, so a store error ends up reported
        // as the retry's reason. A store that cannot write will fail again at
        // the next call outside the step and surface as a store error there.
        Failure::Transient(format!("store: {e}"))
    }
}

/// Whether a refusal of `m` settles it rather than parking it: a like or
/// follow whose listing or seller is no longer there (`not_found`). The
/// buyer's tap cannot be fixed by retrying, and showing it as an error to fix
/// would be wrong; the Likes list and the listing page say why it is not there.
fn settles_quietly(m: &Mutation, error: &rehome_model::ApiError) -> bool {
    matches!(m, Mutation::Like { .. } | Mutation::Follow { .. })
        && error.code == rehome_model::ErrorCode::NotFound
}
