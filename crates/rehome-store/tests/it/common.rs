//! Test helpers: a store in a temp folder with a fixed clock and seeded randomness.

use rehome_model::ListingId;
use rehome_model::draft::{DraftField, DraftValues};
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

/// Some bytes that look like a JPEG (SOI marker) with their hash.
pub fn jpeg(seed: u8, len: usize) -> rehome_store::NewPhoto {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    bytes.extend([0xFF, 0xD9]);
    let sha256 = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    rehome_store::NewPhoto {
        jpeg: bytes,
        width: 1600,
        height: 1200,
        sha256,
    }
}

pub fn assert_clean(store: &Store) {
    let audit = store.audit().unwrap();
    assert_eq!(audit.integrity, "ok");
    assert!(audit.problems.is_empty(), "{:#?}", audit.problems);
}
