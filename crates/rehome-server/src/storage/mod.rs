//! All SQL lives here, behind a narrow interface: the rest of the server speaks
//! in domain types and never sees a statement. A PostgreSQL backend would replace
//! this module (see ARCHITECTURE.md, "Moving to PostgreSQL").
//!
//! SQLite in WAL mode with `synchronous=FULL` (a confirmed push must survive a
//! power cut: the client deletes its outbox row on our word), foreign keys on,
//! one writer connection taking `BEGIN IMMEDIATE`, and a small pool of readers.
//!
//! One file per table group, each adding its methods to [`Storage`] (reads) and
//! [`WriteTx`] (one narrow method per write); `db.rs` opens and migrates
//! (`schema.sql`, `schema_2.sql`, …: one file per migration, append only).

mod accounts;
mod cards;
mod db;
mod listings;
mod mutations;
mod notifications;
mod offers;
mod photos;
mod social;
mod uploads;

pub use accounts::NewUser;
pub use cards::{
    BOOST_FOLLOWED_MS, BOOST_LIKED_BRAND_MS, BOOST_SIZE_MS, CardList, CardRow, DEMOTE_SEEN_MS,
    Keyset, SearchFilter,
};
pub use db::{DEFAULT_READERS, Result, Storage, StorageError, WriteTx, schema_version};
pub use listings::{ListingRow, OwnedChanges, OwnedListing, SeedListing, status_str};
pub use notifications::{NewNotification, kind_str};
pub use offers::{OfferRow, OfferSide};
pub use photos::{AttachedPhoto, BlobInfo, PhotoState};
pub use uploads::UploadRow;
