//! Test helpers: a store in a temp folder with a fixed clock and seeded randomness.

use rehome_model::ListingId;
use rehome_model::draft::{DraftField, DraftValues};
use rehome_model::sync::Mutation;
use rehome_store::{Edit, ManualClock, SeededEntropy, Store};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

pub const T0: u64 = 1_750_000_000_000;

pub struct TestStore {
    #[allow(dead_code)] // keeps the folder alive
    pub dir: tempfile::TempDir,
    pub clock: Arc<ManualClock>,
    pub store: Store,
}

pub fn open_in(dir: &Path, seed: u64) -> (Arc<ManualClock>, Store) {
    let clock = Arc::new(ManualClock::new(T0));
    let store = Store::open(dir, clock.clone(), Arc::new(SeededEntropy::new(seed))).unwrap();
    (clock, store)
}

pub fn store() -> TestStore {
    let dir = tempfile::tempdir().unwrap();
    let (clock, store) = open_in(dir.path(), 1);
    TestStore { dir, clock, store }
}

pub fn values(pairs: &[(DraftField, &str)]) -> DraftValues {
    let mut v = DraftValues::default();
    for (f, t) in pairs {
        v.set(*f, *t);
    }
    v
}

/// A draft that passes every rule but the photo.
pub fn complete_values() -> DraftValues {
    use DraftField::*;
    values(&[
        (Title, "Linen shirt"),
        (Category, "tops"),
        (Condition, "good"),
        (Size, "M"),
        (Price, "12.50"),
        (Parcel, "small"),
    ])
}

pub fn create(store: &Store, v: DraftValues) -> ListingId {
    store
        .apply_edit(Edit::CreateDraft { values: v })
        .unwrap()
        .id
}

pub fn set(store: &Store, id: ListingId, field: DraftField, text: &str) {
    store
        .apply_edit(Edit::SetField {
            id,
            field,
            text: text.into(),
        })
        .unwrap();
}

/// Some bytes that look like a JPEG (SOI and EOI markers around `len` more).
pub fn jpeg_bytes(seed: u8, len: usize) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    bytes.extend([0xFF, 0xD9]);
    bytes
}

/// Lower-case hex SHA-256.
pub fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// [`jpeg_bytes`] as a 1600×1200 photo, with their hash.
pub fn jpeg(seed: u8, len: usize) -> rehome_store::NewPhoto {
    jpeg_sized(seed, len, 1600, 1200)
}

/// [`jpeg_bytes`] as a photo of `width`×`height`, with their hash.
pub fn jpeg_sized(seed: u8, len: usize, width: u32, height: u32) -> rehome_store::NewPhoto {
    let bytes = jpeg_bytes(seed, len);
    let sha = sha256(&bytes);
    rehome_store::NewPhoto::checked(bytes, width, height, &sha).unwrap()
}

pub fn assert_clean(store: &Store) {
    let audit = store.audit().unwrap();
    assert_eq!(audit.integrity, "ok");
    assert!(audit.problems.is_empty(), "{:#?}", audit.problems);
}

/// The mutations in the outbox, oldest first.
pub fn mutations(store: &Store) -> Vec<Mutation> {
    store
        .outbox()
        .unwrap()
        .into_iter()
        .map(|r| r.mutation)
        .collect()
}
