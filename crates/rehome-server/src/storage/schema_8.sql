-- Migration 8: negotiations. An offer says who made it (the seller's counter or
-- the buyer's), which offer it counters, when it expires and why it closed;
-- an offer to likers keeps who liked the listing when it was sent (only they
-- may take it); a listing keeps its offer floor and the buyer it sold to.
ALTER TABLE offers ADD COLUMN by_seller INTEGER NOT NULL DEFAULT 0;
ALTER TABLE offers ADD COLUMN reply_to TEXT;
ALTER TABLE offers ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE offers ADD COLUMN closed_reason TEXT;
ALTER TABLE offers ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE offers SET expires_at = created_at + 86400000, updated_at = created_at;
UPDATE offers SET by_seller = 1 WHERE buyer_id IS NULL;
CREATE INDEX offers_listing ON offers (listing_id, status);
CREATE INDEX offers_buyer ON offers (buyer_id, created_at);
CREATE INDEX offers_seller ON offers (seller_id, created_at);
CREATE TABLE offer_recipients (
    offer_id TEXT NOT NULL REFERENCES offers(id),
    user_id  TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (offer_id, user_id)
);
ALTER TABLE listings ADD COLUMN offer_floor INTEGER;
ALTER TABLE listings ADD COLUMN buyer_id TEXT REFERENCES users(id);
