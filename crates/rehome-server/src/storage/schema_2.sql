-- Who has shown they hold each blob's bytes (by uploading them, or as the
-- seller of a demo shot). Dedupe by content hash, and a photo's completeness,
-- are scoped to these holders: knowing a hash is not owning the content.
CREATE TABLE blob_holders (
    sha256  TEXT NOT NULL REFERENCES blobs(sha256),
    user_id TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (sha256, user_id)
) WITHOUT ROWID;
-- Existing content: whoever finished an upload of it, and the owners of the
-- photos that already name it (trusted as they stood before this version).
INSERT OR IGNORE INTO blob_holders (sha256, user_id)
    SELECT u.sha256, u.owner_id FROM uploads u JOIN blobs b ON b.sha256 = u.sha256
    WHERE u.completed_at IS NOT NULL;
INSERT OR IGNORE INTO blob_holders (sha256, user_id)
    SELECT p.sha256, p.owner_id FROM photos p JOIN blobs b ON b.sha256 = p.sha256
    WHERE p.owner_id IS NOT NULL;
