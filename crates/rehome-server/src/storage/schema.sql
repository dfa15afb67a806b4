-- Migration 1: the whole marketplace schema. Times are Unix milliseconds (UTC),
-- ids are UUID text, money is integer cents. Plain SQL that PostgreSQL also reads
-- (apart from INTEGER PRIMARY KEY AUTOINCREMENT → BIGSERIAL, see ARCHITECTURE-server.md).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('change_seq', 0);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    handle        TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    daily_budget  INTEGER NOT NULL DEFAULT 5,
    quiet_start   INTEGER,            -- minute of the day (UTC), inclusive
    quiet_end     INTEGER,            -- minute of the day (UTC), exclusive
    first_sale_at INTEGER
);
CREATE TABLE user_sizes (
    user_id TEXT NOT NULL REFERENCES users(id),
    size    TEXT NOT NULL,
    PRIMARY KEY (user_id, size)
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,      -- hex SHA-256 of the bearer token
    user_id    TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE listings (
    id               TEXT PRIMARY KEY,
    seller_id        TEXT NOT NULL REFERENCES users(id),
    title            TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL DEFAULT '',
    category         TEXT,
    brand            TEXT NOT NULL DEFAULT '',
    size             TEXT NOT NULL DEFAULT '',
    condition        TEXT,
    colour           TEXT,
    original_price   INTEGER,
    parcel           TEXT,            -- JSON of rehome_model::sync::Parcel
    price            INTEGER NOT NULL,
    price_version    INTEGER NOT NULL DEFAULT 0,
    quantity         INTEGER NOT NULL,
    quantity_version INTEGER NOT NULL DEFAULT 0,
    status           TEXT NOT NULL,
    status_version   INTEGER NOT NULL DEFAULT 0,
    like_count       INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    published_at     INTEGER,
    change_seq       INTEGER NOT NULL
);
CREATE INDEX listings_fresh ON listings (status, published_at DESC, id DESC);
CREATE INDEX listings_seller ON listings (seller_id, change_seq);

CREATE TABLE blobs (
    sha256       TEXT PRIMARY KEY,    -- hex SHA-256 of the JPEG; the file is blobs/<sha256>.jpg
    bytes        INTEGER NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    thumb_sha256 TEXT NOT NULL,       -- the ~400 px thumbnail, blobs/<thumb>.jpg
    created_at   INTEGER NOT NULL
);
CREATE TABLE photos (
    id         TEXT PRIMARY KEY,      -- client-named PhotoId
    sha256     TEXT,                  -- may name a blob still uploading; NULL: a demo shot not drawn yet
    width      INTEGER NOT NULL DEFAULT 0,
    height     INTEGER NOT NULL DEFAULT 0,
    owner_id   TEXT REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE TABLE listing_photos (
    listing_id TEXT NOT NULL REFERENCES listings(id),
    photo_id   TEXT NOT NULL REFERENCES photos(id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (listing_id, photo_id)
);
-- Demo photos are drawn lazily (on first request, or by a background warm-up):
-- the spec to draw each one from.
CREATE TABLE demo_shots (
    photo_id TEXT PRIMARY KEY REFERENCES photos(id),
    spec     TEXT NOT NULL            -- "<listing index>:<view>"
);
CREATE TABLE uploads (
    id           TEXT PRIMARY KEY,
    owner_id     TEXT NOT NULL REFERENCES users(id),
    photo_id     TEXT,
    length       INTEGER NOT NULL,
    offset       INTEGER NOT NULL DEFAULT 0,
    sha256       TEXT,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    completed_at INTEGER
);

CREATE TABLE likes (
    user_id    TEXT NOT NULL REFERENCES users(id),
    listing_id TEXT NOT NULL REFERENCES listings(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, listing_id)
);
CREATE INDEX likes_listing ON likes (listing_id);
CREATE TABLE follows (
    follower_id TEXT NOT NULL REFERENCES users(id),
    seller_id   TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (follower_id, seller_id)
);
CREATE INDEX follows_seller ON follows (seller_id);
CREATE TABLE offers (
    id         TEXT PRIMARY KEY,
    listing_id TEXT NOT NULL REFERENCES listings(id),
    seller_id  TEXT NOT NULL REFERENCES users(id),
    buyer_id   TEXT REFERENCES users(id),   -- NULL: an offer to all likers
    amount     INTEGER NOT NULL,
    status     TEXT NOT NULL,               -- open | accepted | declined
    created_at INTEGER NOT NULL
);

CREATE TABLE clients (
    user_id          TEXT NOT NULL REFERENCES users(id),
    client_id        TEXT NOT NULL,
    last_mutation_id INTEGER NOT NULL,
    PRIMARY KEY (user_id, client_id)
);
CREATE TABLE mutation_results (
    user_id     TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    mutation_id INTEGER NOT NULL,
    outcome     TEXT NOT NULL,        -- JSON of rehome_model::sync::MutationOutcome
    PRIMARY KEY (user_id, client_id, mutation_id)
);

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    TEXT NOT NULL REFERENCES users(id),
    kind       TEXT NOT NULL,
    listing_id TEXT,
    actor_id   TEXT,
    amount     INTEGER,
    count      INTEGER NOT NULL DEFAULT 1,  -- a digest folds `count` notifications
    created_at INTEGER NOT NULL,
    day        INTEGER NOT NULL,            -- UTC day number, for the daily budget
    state      TEXT NOT NULL                -- delivered | held (quiet hours / over budget) | folded
);
CREATE INDEX notifications_user ON notifications (user_id, state, id);
