//! The schema, one migration per version, recorded in `PRAGMA user_version`.
//!
//! Rules: a shipped migration's SQL is never edited (add a new one instead), and
//! every version keeps a fixture in [`HISTORY_FIXTURES`] that fills a database
//! at that version with rows (pending outbox rows included), so the upgrade test
//! migrates from every earlier version with data in it.

use rusqlite_migration::{M, Migrations};

/// Version 1: drafts, the confirmed server copy, the outbox, photos, sync
/// state and conflicts.
pub const V1: &str = r#"
-- Listings as the UI shows them: every field's text exactly as typed.
CREATE TABLE drafts (
    id             TEXT PRIMARY KEY NOT NULL,   -- UUIDv7, client-generated
    title          TEXT NOT NULL DEFAULT '',
    description    TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL DEFAULT '',
    brand          TEXT NOT NULL DEFAULT '',
    size           TEXT NOT NULL DEFAULT '',
    condition      TEXT NOT NULL DEFAULT '',
    colour         TEXT NOT NULL DEFAULT '',
    price          TEXT NOT NULL DEFAULT '',
    original_price TEXT NOT NULL DEFAULT '',
    parcel         TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'draft'
                   CHECK (status IN ('draft', 'queued', 'live', 'delisted', 'sold', 'deleted')),
    rev            INTEGER NOT NULL DEFAULT 0,  -- edits applied to this row
    created_at     INTEGER NOT NULL,            -- unix ms
    updated_at     INTEGER NOT NULL,
    deleted_at     INTEGER,                     -- soft delete: hidden, undo until undo_until
    undo_until     INTEGER
) STRICT;
CREATE INDEX drafts_by_update ON drafts (deleted_at, updated_at);

-- The last values the server confirmed (a `ServerListing`), with the versions
-- of the guarded fields that price/status/quantity edits compare-and-set on.
CREATE TABLE confirmed_listings (
    id               TEXT PRIMARY KEY NOT NULL,
    seller_id        TEXT NOT NULL,
    fields           TEXT NOT NULL,             -- ListingFields JSON
    price            INTEGER NOT NULL,
    price_version    INTEGER NOT NULL,
    quantity         INTEGER NOT NULL,
    quantity_version INTEGER NOT NULL,
    status           TEXT NOT NULL,
    status_version   INTEGER NOT NULL,
    photos           TEXT NOT NULL              -- [ServerPhoto] JSON
) STRICT;

-- Unsent and unconfirmed mutations. seq is the mutation id; AUTOINCREMENT so
-- an id is never reused, even after the rows before it are confirmed.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT NOT NULL,              -- Mutation's wire name
    args            TEXT NOT NULL,              -- Mutation's args JSON
    listing_id      TEXT,                       -- the listing it is about, if any
    draft_rev       INTEGER,                    -- drafts.rev of the edit that wrote it last
    state           TEXT NOT NULL DEFAULT 'new'
                    CHECK (state IN ('new', 'sent', 'parked')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_by_listing ON outbox (listing_id, seq);

-- Photo files under photos/, named by content hash.
CREATE TABLE photos (
    id            TEXT PRIMARY KEY NOT NULL,
    listing_id    TEXT NOT NULL REFERENCES drafts (id),
    file          TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    byte_len      INTEGER NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    position      INTEGER NOT NULL,
    upload_offset INTEGER NOT NULL DEFAULT 0,
    upload_state  TEXT NOT NULL DEFAULT 'pending'
                  CHECK (upload_state IN ('pending', 'uploading', 'done')),
    upload_url    TEXT,
    file_missing  INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX photos_by_listing ON photos (listing_id, position);
CREATE INDEX photos_by_file ON photos (file);

CREATE TABLE sync_state (
    one       INTEGER PRIMARY KEY CHECK (one = 1),
    client_id TEXT NOT NULL,
    cookie    TEXT
) STRICT;

-- Guarded-field conflicts the user has to resolve.
CREATE TABLE conflicts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    listing_id     TEXT NOT NULL,
    field          TEXT NOT NULL,
    mine           TEXT NOT NULL,
    theirs         TEXT NOT NULL,
    server_version INTEGER NOT NULL,
    mutation_seq   INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    resolved_at    INTEGER
) STRICT;
"#;

/// Version 2: the seller's SKU on each draft, kept exactly as typed.
pub const V2: &str = r#"
ALTER TABLE drafts ADD COLUMN sku TEXT NOT NULL DEFAULT '';
"#;

/// Version 3: the seller's grid. Prices in cents beside their text (written
/// with the text by `DraftRow::write`; filled in for existing rows by the
/// migration's hook), and partial indexes, on exactly the rows the grid shows,
/// for each column it sorts and filters on.
pub const V3: &str = r#"
ALTER TABLE drafts ADD COLUMN price_cents INTEGER;
ALTER TABLE drafts ADD COLUMN original_price_cents INTEGER;
-- Replaced by grid_updated (the drafts list's order, on the same rows) and
-- drafts_deleted (the purge of expired deletes); left in place, SQLite would
-- pick it for `deleted_at IS NULL` and sort the whole table for a page.
DROP INDEX drafts_by_update;
CREATE INDEX drafts_deleted ON drafts (undo_until) WHERE deleted_at IS NOT NULL;
CREATE INDEX grid_updated ON drafts (updated_at, id) WHERE deleted_at IS NULL AND status != 'deleted';
CREATE INDEX grid_title ON drafts (title COLLATE NOCASE, id) WHERE deleted_at IS NULL AND status != 'deleted';
CREATE INDEX grid_price ON drafts (price_cents, id) WHERE deleted_at IS NULL AND status != 'deleted';
CREATE INDEX grid_original_price ON drafts (original_price_cents, id) WHERE deleted_at IS NULL AND status != 'deleted';
CREATE INDEX grid_category ON drafts (category COLLATE NOCASE, id) WHERE deleted_at IS NULL AND status != 'deleted';
CREATE INDEX grid_brand ON drafts (brand COLLATE NOCASE, id) WHERE deleted_at IS NULL AND status != 'deleted';
CREATE INDEX grid_size ON drafts (size COLLATE NOCASE, id) WHERE deleted_at IS NULL AND status != 'deleted';
CREATE INDEX grid_condition ON drafts (condition COLLATE NOCASE, id) WHERE deleted_at IS NULL AND status != 'deleted';
CREATE INDEX grid_colour ON drafts (colour COLLATE NOCASE, id) WHERE deleted_at IS NULL AND status != 'deleted';
CREATE INDEX grid_status ON drafts (status, id) WHERE deleted_at IS NULL AND status != 'deleted';
CREATE INDEX grid_sku ON drafts (sku COLLATE NOCASE, id) WHERE deleted_at IS NULL AND status != 'deleted';
"#;

/// Version 4: undo steps of bulk edits and imports, kept across restarts.
pub const V4: &str = r#"
CREATE TABLE undo_steps (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    label      TEXT NOT NULL,                 -- what it was, for the history
    created_at INTEGER NOT NULL,
    undone     INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
) STRICT;
-- Each value a step changed: undo puts `before` back, redo `after`.
CREATE TABLE undo_rows (
    step_id    INTEGER NOT NULL REFERENCES undo_steps (id) ON DELETE CASCADE,
    listing_id TEXT NOT NULL,
    field      TEXT NOT NULL,                 -- a draft field, quantity, status or deleted
    before     TEXT NOT NULL,
    after      TEXT NOT NULL,
    PRIMARY KEY (step_id, listing_id, field)
) STRICT;
"#;

/// Every migration, in order: index i brings the schema from version i to i+1.
pub const HISTORY: &[&str] = &[V1, V2, V3, V4];

/// The schema version this build writes.
pub const LATEST: i64 = HISTORY.len() as i64;

/// For each version v (index v), SQL that fills a database at version v with
/// representative rows, pending outbox rows included. Version 0 is the empty
/// database (a fresh install). Keep these as they were when the version shipped.
pub const HISTORY_FIXTURES: &[&str] = &[
    "",
    r#"
INSERT INTO sync_state (one, client_id, cookie) VALUES (1, '0190a000-0000-4000-8000-000000000001', 'c1');
INSERT INTO drafts (id, title, price, category, status, rev, created_at, updated_at)
    VALUES ('0190a000-0000-7000-8000-000000000001', 'Linen shirt', '12,50', 'tops', 'draft', 2, 1, 2);
INSERT INTO outbox (name, args, listing_id, draft_rev, state, created_at) VALUES
    ('createListing', '{"listingId":"0190a000-0000-7000-8000-000000000001","fields":{"title":"Linen shirt","category":"tops"},"price":1250,"quantity":1}', '0190a000-0000-7000-8000-000000000001', 2, 'new', 1),
    ('like', '{"listingId":"0190a000-0000-7000-8000-0000000000ff"}', NULL, NULL, 'sent', 2);
"#,
    r#"
INSERT INTO sync_state (one, client_id, cookie) VALUES (1, '0190a000-0000-4000-8000-000000000002', 'c2');
INSERT INTO drafts (id, title, price, category, sku, status, rev, created_at, updated_at)
    VALUES ('0190a000-0000-7000-8000-000000000002', 'Wool coat', '40', 'outerwear', '0012345678901234', 'draft', 2, 1, 2);
INSERT INTO outbox (name, args, listing_id, draft_rev, state, created_at) VALUES
    ('createListing', '{"listingId":"0190a000-0000-7000-8000-000000000002","fields":{"title":"Wool coat","category":"outerwear","sku":"0012345678901234"},"price":4000,"quantity":1}', '0190a000-0000-7000-8000-000000000002', 2, 'new', 1),
    ('like', '{"listingId":"0190a000-0000-7000-8000-0000000000fe"}', NULL, NULL, 'sent', 2);
"#,
    r#"
INSERT INTO sync_state (one, client_id, cookie) VALUES (1, '0190a000-0000-4000-8000-000000000003', 'c3');
INSERT INTO drafts (id, title, price, price_cents, original_price, original_price_cents, category, sku, status, rev, created_at, updated_at)
    VALUES ('0190a000-0000-7000-8000-000000000003', 'Denim jacket', '35,00', 3500, '90', 9000, 'outerwear', 'DJ-01', 'draft', 2, 1, 2);
INSERT INTO outbox (name, args, listing_id, draft_rev, state, created_at) VALUES
    ('createListing', '{"listingId":"0190a000-0000-7000-8000-000000000003","fields":{"title":"Denim jacket","category":"outerwear","originalPrice":9000,"sku":"DJ-01"},"price":3500,"quantity":1}', '0190a000-0000-7000-8000-000000000003', 2, 'new', 1),
    ('like', '{"listingId":"0190a000-0000-7000-8000-0000000000fd"}', NULL, NULL, 'sent', 2);
"#,
    r#"
INSERT INTO sync_state (one, client_id, cookie) VALUES (1, '0190a000-0000-4000-8000-000000000004', 'c4');
INSERT INTO drafts (id, title, price, price_cents, category, status, rev, created_at, updated_at)
    VALUES ('0190a000-0000-7000-8000-000000000004', 'Knit jumper', '18.00', 1800, 'tops', 'draft', 3, 1, 3);
INSERT INTO outbox (name, args, listing_id, draft_rev, state, created_at) VALUES
    ('createListing', '{"listingId":"0190a000-0000-7000-8000-000000000004","fields":{"title":"Knit jumper","category":"tops"},"price":1800,"quantity":1}', '0190a000-0000-7000-8000-000000000004', 3, 'new', 1),
    ('like', '{"listingId":"0190a000-0000-7000-8000-0000000000fc"}', NULL, NULL, 'sent', 2);
INSERT INTO undo_steps (id, label, created_at) VALUES (1, 'price -10.00 %', 3);
INSERT INTO undo_rows (step_id, listing_id, field, before, after)
    VALUES (1, '0190a000-0000-7000-8000-000000000004', 'price', '20.00', '18.00');
"#,
];

pub(crate) fn migrations() -> Migrations<'static> {
    Migrations::new(
        HISTORY
            .iter()
            .enumerate()
            .map(|(i, sql)| {
                M::up_with_hook(sql, move |tx: &rusqlite::Transaction| {
                    // Version 3: the prices in cents, parsed from their text.
                    if i + 1 == 3 {
                        fill_cents(tx)?;
                    }
                    crate::failpoint::hit("migration:before_commit");
                    Ok(())
                })
            })
            .collect(),
    )
}

/// Fills `price_cents` and `original_price_cents` from the prices' text (the
/// parse is Rust's, so it runs here rather than in SQL).
fn fill_cents(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    let rows: Vec<(String, String, String)> = tx
        .prepare("SELECT id, price, original_price FROM drafts")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut update =
        tx.prepare("UPDATE drafts SET price_cents = ?2, original_price_cents = ?3 WHERE id = ?1")?;
    let cents = |t: &str| rehome_model::draft::parse_price(t).ok().map(|m| m.0);
    for (id, price, original) in rows {
        update.execute(rusqlite::params![id, cents(&price), cents(&original)])?;
    }
    Ok(())
}

/// Creates a database at schema `version` (0 = empty) and fills it with that
/// version's fixture: the starting point of the upgrade and crash tests.
pub fn create_at_version(
    db: &std::path::Path,
    version: usize,
) -> Result<(), crate::error::StoreError> {
    let err = |e| crate::error::from_sqlite(db, e, "the test database");
    let mut conn = rusqlite::Connection::open(db).map_err(err)?;
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
        .map_err(err)?;
    migrations()
        .to_version(&mut conn, version)
        .map_err(|e| crate::error::migration_error(db, e))?;
    if let Some(sql) = HISTORY_FIXTURES.get(version) {
        conn.execute_batch(sql).map_err(err)?;
    }
    Ok(())
}
