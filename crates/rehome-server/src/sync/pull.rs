//! Pull: the caller's own listings changed since a cookie (a position in the
//! change sequence), with their photos' content hashes, a page at a time
//! (`more` says another page follows; its cookie is where this one ended).

use crate::problem::Problem;
use crate::storage::{ListingRow, Storage};
use rehome_model::sync::{ListingStatus, PatchOp, PullResponse, ServerListing, ServerPhoto};
use rehome_model::{Money, UserId};

/// Up to `limit` changes since `cookie` for `user`.
pub fn pull(
    store: &Storage,
    blobs: &crate::blobs::BlobStore,
    user: &UserId,
    client: &str,
    cookie: Option<&str>,
    limit: u32,
    now: i64,
) -> Result<PullResponse, Problem> {
    let since = match cookie {
        None | Some("") => 0,
        Some(c) => c
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| Problem::bad_cursor("cookie"))?,
    };
    let last_mutation_id = store.last_mutation_id(user, client)?;
    let page = store.owned_changes(user, since, limit)?;
    let mut patch = Vec::with_capacity(page.listings.len());
    for (row, photos) in page.listings {
        if row.status == ListingStatus::Deleted {
            patch.push(PatchOp::Del { id: row.id });
            continue;
        }
        let mut server_photos = Vec::with_capacity(photos.len());
        for p in photos {
            let Ok(id) = p.photo_id.parse() else { continue };
            let sha256 = match p.sha256 {
                Some(s) => s,
                // A demo shot not drawn yet: draw it so the hash is real.
                None => match store.photo(&p.photo_id)? {
                    crate::storage::PhotoState::DemoPending(spec) => {
                        crate::demo::draw_and_record(store, blobs, &p.photo_id, &spec, now)?.sha256
                    }
                    crate::storage::PhotoState::Ready(b) => b.sha256,
                    crate::storage::PhotoState::Missing => continue,
                },
            };
            server_photos.push(ServerPhoto {
                id,
                sha256,
                width: p.width,
                height: p.height,
            });
        }
        patch.push(PatchOp::Put {
            listing: to_server_listing(row, server_photos),
        });
    }
    Ok(PullResponse {
        cookie: page.resume_from.to_string(),
        last_mutation_id,
        patch,
        more: page.more,
    })
}

pub fn to_server_listing(row: ListingRow, photos: Vec<ServerPhoto>) -> ServerListing {
    ServerListing {
        id: row.id,
        seller_id: row.seller_id,
        fields: row.fields,
        price: Money(row.price),
        price_version: row.price_version,
        quantity: row.quantity,
        quantity_version: row.quantity_version,
        status: row.status,
        status_version: row.status_version,
        photos,
    }
}
