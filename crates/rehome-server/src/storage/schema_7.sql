-- Migration 7: The seller's own stock code (SKU), kept exactly as the seller wrote it.
-- Private to the seller: pulls carry it, public reads do not.
ALTER TABLE listings ADD COLUMN sku TEXT NOT NULL DEFAULT '';
