#!/bin/sh
# Writes a few valid push bodies into the corpus dir given as $1.
set -eu
dir=${1:-corpus}
mkdir -p "$dir"
L=018bcfe5-6800-7101-8101-010101010101
C=00000000-0000-0000-0000-000000000001
printf '{"clientId":"%s","mutations":[]}' "$C" > "$dir/empty.json"
printf '{"clientId":"%s","mutations":[{"id":1,"name":"createListing","args":{"listingId":"%s","fields":{"title":"Linen shirt","category":"tops","parcel":{"kind":"weight","grams":300}},"price":1500,"quantity":1}},{"id":2,"name":"setPrice","args":{"listingId":"%s","price":1200,"baseVersion":0}}]}' "$C" "$L" "$L" > "$dir/create.json"
printf '{"clientId":"%s","mutations":[{"id":7,"name":"reorderPhotos","args":{"listingId":"%s","photoIds":["%s"]}},{"id":8,"name":"makeOffer","args":{"offerId":"%s","listingId":"%s","amount":900}}]}' "$C" "$L" "$L" "$C" "$L" > "$dir/photos.json"
