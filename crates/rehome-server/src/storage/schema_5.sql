-- Migration 5: indexes for what runs under the writer lock. Finishing an
-- upload and the upload GC look photos up by content hash, and uploads by
-- expiry and by content; the quotas sum an account's unfinished uploads and
-- held content; the blob file checks look blobs up by thumbnail.
CREATE INDEX photos_sha256 ON photos (sha256);
CREATE INDEX uploads_expires ON uploads (expires_at);
CREATE INDEX uploads_sha256 ON uploads (sha256);
CREATE INDEX uploads_owner_unfinished ON uploads (owner_id) WHERE completed_at IS NULL;
CREATE INDEX blob_holders_user ON blob_holders (user_id);
CREATE INDEX blobs_thumb ON blobs (thumb_sha256);
-- Which listings show a photo (content in use, a deleted listing's photos).
CREATE INDEX listing_photos_photo ON listing_photos (photo_id);
