-- Migration 4: what buyers need. The price each like was made at (the Likes
-- tab shows a drop since; a like made before this version takes the price at
-- the upgrade), which listings each buyer has had on screen (For You shows
-- them lower), and indexes for the seller card's counts and the likes list.
ALTER TABLE likes ADD COLUMN price_at_like INTEGER;
UPDATE likes SET price_at_like = (SELECT l.price FROM listings l WHERE l.id = likes.listing_id);
CREATE INDEX likes_user ON likes (user_id, created_at);
CREATE TABLE seen (
    user_id    TEXT NOT NULL REFERENCES users(id),
    listing_id TEXT NOT NULL REFERENCES listings(id),
    seen_at    INTEGER NOT NULL,
    PRIMARY KEY (user_id, listing_id)
) WITHOUT ROWID;
CREATE INDEX listings_seller_status ON listings (seller_id, status, published_at);
