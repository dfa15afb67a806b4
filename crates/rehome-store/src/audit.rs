//! The audit the crash tests (and a curious user) run: every invariant the
//! store promises, checked against the database and the photo files.

use crate::error::StoreError;
use crate::outbox::{load_outbox_all, mutation_listing};
use crate::rows::{DraftRow, load_drafts, load_photos};
use crate::store::{Store, integrity_check};
use rehome_model::draft::{DraftField, parse_field, parse_price};
use rehome_model::sync::{ListingFields, Mutation};
use rehome_model::{ListingId, Money, PhotoId};
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// What [`Store::audit`] found. `problems` is empty when every invariant holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Audit {
    pub integrity: String,
    pub drafts: usize,
    pub outbox_rows: usize,
    pub photos: usize,
    pub problems: Vec<String>,
}

impl Store {
    /// Checks the invariants that must hold after any crash:
    /// - `PRAGMA integrity_check` and `foreign_key_check` are clean;
    /// - every outbox row decodes, and its listing's draft exists at a revision
    ///   at least the one that wrote it (no outbox row without its edit);
    /// - for every draft, the confirmed copy with the outbox replayed on top
    ///   equals every field of the draft whose text parses (no edit without its
    ///   outbox row);
    /// - every photo row has its file with the right SHA-256 (unless reported
    ///   missing), and is attached in the outbox or the confirmed copy.
    pub fn audit(&self) -> Result<Audit, StoreError> {
        let integrity = integrity_check(self.db_path())?;
        self.read(|c| {
            let mut problems = Vec::new();
            if integrity != "ok" {
                problems.push(format!("integrity_check: {integrity}"));
            }
            let fk: i64 = c
                .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })
                .map_err(StoreError::Sqlite)?;
            if fk != 0 {
                problems.push(format!("{fk} foreign key violations"));
            }
            let drafts = load_drafts(c, "")?;
            let by_id: BTreeMap<ListingId, &DraftRow> = drafts.iter().map(|d| (d.id, d)).collect();
            let mut outbox = Vec::new();
            for (seq, row) in load_outbox_all(c, "")? {
                match row {
                    Ok(row) => outbox.push(row),
                    Err(e) => problems.push(format!("outbox {seq} cannot be decoded: {e}")),
                }
            }
            let mut projected: BTreeMap<ListingId, (ListingFields, Option<Money>)> =
                BTreeMap::new();
            let mut attached: BTreeSet<PhotoId> = BTreeSet::new();
            for row in &outbox {
                let Some(listing) = mutation_listing(&row.mutation) else {
                    continue;
                };
                match by_id.get(&listing) {
                    None => {
                        problems.push(format!("outbox {} for missing draft {listing}", row.seq))
                    }
                    Some(d) if row.draft_rev.is_some_and(|r| r > d.rev) => problems.push(format!(
                        "outbox {} written by rev {:?} but draft {listing} is at rev {}",
                        row.seq, row.draft_rev, d.rev
                    )),
                    _ => {}
                }
                let entry = projected
                    .entry(listing)
                    .or_insert_with(|| confirmed_values(c, listing).unwrap_or_default());
                match &row.mutation {
                    Mutation::CreateListing { fields, price, .. } => {
                        rehome_model::draft::merge_fields(&mut entry.0, fields.clone());
                        entry.1 = Some(*price);
                    }
                    Mutation::UpdateListing { fields, .. } => {
                        rehome_model::draft::merge_fields(&mut entry.0, fields.clone());
                    }
                    Mutation::SetPrice { price, .. } => entry.1 = Some(*price),
                    Mutation::AttachPhoto { photo_id, .. } => {
                        attached.insert(*photo_id);
                    }
                    Mutation::DetachPhoto { photo_id, .. } => {
                        attached.remove(photo_id);
                    }
                    _ => {}
                }
            }
            for d in &drafts {
                if d.status == "deleted" {
                    continue;
                }
                let (fields, price) = match projected.get(&d.id) {
                    Some(p) => p.clone(),
                    None => confirmed_values(c, d.id)?,
                };
                for field in DraftField::ALL {
                    let text = d.values.get(*field);
                    if *field == DraftField::Price {
                        if let Ok(p) = parse_price(text)
                            && price != Some(p)
                        {
                            problems.push(format!(
                                "draft {} price {text:?} but outbox/server has {price:?}",
                                d.id
                            ));
                        }
                        continue;
                    }
                    if let Some(mine) = parse_field(*field, text)
                        && !same_field(&mine, &fields, *field)
                    {
                        problems.push(format!(
                            "draft {} {field} {text:?} is not in the outbox or the confirmed copy",
                            d.id
                        ));
                    }
                }
            }
            let mut photo_count = 0;
            for d in &drafts {
                let confirmed_photos = confirmed_photo_ids(c, d.id)?;
                for p in load_photos(c, d.id)? {
                    photo_count += 1;
                    if !attached.contains(&p.id) && !confirmed_photos.contains(&p.id) {
                        problems.push(format!("photo {} has no AttachPhoto", p.id));
                    }
                    if p.file_missing {
                        continue;
                    }
                    match std::fs::read(self.photos_dir().join(&p.file)) {
                        Ok(bytes) if format!("{:x}", Sha256::digest(&bytes)) == p.sha256 => {}
                        Ok(_) => problems.push(format!("photo file {} has the wrong hash", p.file)),
                        Err(e) => problems.push(format!("photo file {}: {e}", p.file)),
                    }
                }
            }
            Ok(Audit {
                integrity,
                drafts: drafts.len(),
                outbox_rows: outbox.len(),
                photos: photo_count,
                problems,
            })
        })
    }
}

/// Text fields: `None` on the wire and `""` mean the same (nothing set).
fn same_field(mine: &ListingFields, theirs: &ListingFields, field: DraftField) -> bool {
    fn text(a: &Option<String>) -> &str {
        a.as_deref().unwrap_or("")
    }
    match field {
        DraftField::Title => text(&mine.title) == text(&theirs.title),
        DraftField::Description => text(&mine.description) == text(&theirs.description),
        DraftField::Brand => text(&mine.brand) == text(&theirs.brand),
        DraftField::Size => text(&mine.size) == text(&theirs.size),
        DraftField::Colour => text(&mine.colour) == text(&theirs.colour),
        DraftField::Category => mine.category == theirs.category,
        DraftField::Condition => mine.condition == theirs.condition,
        DraftField::OriginalPrice => mine.original_price == theirs.original_price,
        DraftField::Parcel => mine.parcel == theirs.parcel,
        DraftField::Sku => text(&mine.sku) == text(&theirs.sku),
        DraftField::Price => true,
    }
}

fn confirmed_values(
    c: &Connection,
    id: ListingId,
) -> Result<(ListingFields, Option<Money>), StoreError> {
    let row: Option<(String, i64)> = c
        .query_row(
            "SELECT fields, price FROM confirmed_listings WHERE id = ?1",
            [id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(StoreError::Sqlite)?;
    match row {
        None => Ok((ListingFields::default(), None)),
        Some((fields, price)) => Ok((
            serde_json::from_str(&fields).map_err(|e| StoreError::Decode(e.to_string()))?,
            Some(Money(price)),
        )),
    }
}

fn confirmed_photo_ids(c: &Connection, id: ListingId) -> Result<BTreeSet<PhotoId>, StoreError> {
    let photos: Option<String> = c
        .query_row(
            "SELECT photos FROM confirmed_listings WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .optional()
        .map_err(StoreError::Sqlite)?;
    let Some(photos) = photos else {
        return Ok(BTreeSet::new());
    };
    let list: Vec<rehome_model::sync::ServerPhoto> =
        serde_json::from_str(&photos).map_err(|e| StoreError::Decode(e.to_string()))?;
    Ok(list.into_iter().map(|p| p.id).collect())
}
