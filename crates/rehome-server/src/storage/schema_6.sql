-- Migration 6: the server strips metadata (EXIF, XMP, comments) from
-- uploaded photos, so what it stores can differ from what the client sent,
-- and hashed. A client names its photo by the hash it computed: this maps
-- that hash to the content kept.
CREATE TABLE blob_aliases (
    sent_sha256 TEXT PRIMARY KEY,
    sha256      TEXT NOT NULL REFERENCES blobs(sha256)
) WITHOUT ROWID;
CREATE INDEX blob_aliases_blob ON blob_aliases (sha256);
