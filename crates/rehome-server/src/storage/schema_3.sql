-- Sizes that match across labelling systems (rehome_model::size): the tokens a
-- listing's size label stands for, space-separated with a space at each end
-- (" m w32 e84 "), so a buyer's "M" finds "EU 38" and "UK 10". Filled for
-- existing rows by the migration's hook, and by every write of a listing.
ALTER TABLE listings ADD COLUMN size_tokens TEXT NOT NULL DEFAULT '';
