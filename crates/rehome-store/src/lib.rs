//! The on-device store: drafts as the editor shows them, the server-confirmed
//! copy of each listing, the outbox of mutations for the sync engine, photo
//! files, sync state and conflicts, in one SQLite file (WAL, `synchronous=FULL`).
//!
//! # The one rule
//! One user edit is one transaction that changes the draft rows **and** writes
//! its outbox mutation. The only way to change a draft is [`Store::apply_edit`]:
//! it turns an [`Edit`] into an `Effect` (the new rows *and* the mutation,
//! derived together from the same values) and a single private function,
//! `persist`, writes both inside one `BEGIN IMMEDIATE` transaction. No public
//! API writes a draft row without going through it.
//!
//! # Coalescing
//! Typing produces many edits. An edit may be folded into the outbox's *last*
//! row instead of appending a new one, only if that row is still `new` (never
//! handed to the sync engine) and is about the same listing. Both are
//! last-write-wins per field, so the folded row has exactly the effect of the
//! two rows in sequence, and it happens in the edit's own transaction: an
//! acknowledged edit can never be lost by it. Rows the sync engine has claimed
//! ([`Store::pending_outbox`]) are never touched again.
//!
//! # Threads and processes
//! One writer connection behind a mutex; reads use separate read-only
//! connections, so in WAL mode they are never blocked by the writer.

#![forbid(unsafe_code)]

mod audit;
mod bulk;
mod clock;
mod conflicts;
mod edit;
mod entropy;
mod error;
pub mod failpoint;
mod grid;
mod import;
mod new_photo;
mod outbox;
mod photo_files;
mod pull;
mod rows;
pub mod schema;
mod snapshot;
mod store;
mod uploads;
mod views;

pub use audit::Audit;
pub use bulk::UNDO_STEPS_KEPT;
pub use clock::{Clock, ManualClock, SystemClock};
pub use conflicts::ConflictRow;
pub use edit::{Edit, EditReceipt, QUANTITY_MAX, UNDO_WINDOW_MS};
pub use entropy::{Entropy, OsEntropy, SeededEntropy};
pub use error::StoreError;
pub use import::{ImportOptions, ImportRow};
pub use new_photo::NewPhoto;
pub use outbox::{OutboxRow, OutboxState, UnreadableRow, mutation_listing};
pub use photo_files::ReconcileReport;
pub use store::{DB_FILE, PHOTOS_DIR, Store, integrity_check};
pub use uploads::PhotoUpload;
