//! Two devices of one seller editing the same listing, offline and online.

use crate::support::*;
use rehome_model::draft::{DraftField, DraftStage};
use rehome_model::sync::GuardedField;
use rehome_sync::conflicts::{self, Resolution};

pub(crate) struct Pair {
    pub server: TestServer,
    pub a: Device,
    pub b: Device,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
    token: String,
}

pub(crate) async fn pair(handle: &str) -> Pair {
    let server = TestServer::start().await;
    let token = server.sign_up(handle).await;
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = Device::open(da.path(), &server.url(), &token, 11);
    let b = Device::open(db.path(), &server.url(), &token, 12);
    Pair {
        server,
        a,
        b,
        _dirs: (da, db),
        token,
    }
}

/// A live listing made on A, known to both.
pub(crate) async fn shared_listing(p: &Pair) -> rehome_model::ListingId {
    let photo = new_photo(&camera_jpeg(5, 320, 240), 320, 240);
    let id = queue_listing(&p.a.store, "Silk dress", "50", &[photo]);
    p.a.settle().await;
    p.b.settle().await;
    assert_eq!(
        p.b.store.get_draft(id).unwrap().stage,
        DraftStage::Live,
        "B adopted A's listing"
    );
    id
}

fn server_row(p: &Pair) -> (String, i64, String) {
    p.server
        .db()
        .query_row("SELECT title, price, status FROM listings", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap()
}

#[tokio::test]
async fn a_title_edited_on_both_devices_ends_as_the_last_one_the_server_received_on_both() {
    let p = pair("twin_title").await;
    let id = shared_listing(&p).await;
    set_field(&p.a.store, id, DraftField::Title, "Silk dress, green");
    set_field(&p.b.store, id, DraftField::Title, "Green silk dress");
    p.a.settle().await;
    p.b.settle().await; // B reaches the server last
    p.a.settle().await;
    for d in [&p.a, &p.b] {
        assert_eq!(
            d.store.get_draft(id).unwrap().values.title,
            "Green silk dress"
        );
        assert!(d.store.open_conflicts().unwrap().is_empty());
    }
    assert_eq!(server_row(&p).0, "Green silk dress");
}

#[tokio::test]
async fn a_price_changed_on_both_devices_is_a_conflict_on_the_later_one_and_resolving_it_converges()
{
    let p = pair("twin_price").await;
    let id = shared_listing(&p).await;
    set_field(&p.a.store, id, DraftField::Price, "45");
    set_field(&p.b.store, id, DraftField::Price, "40");
    let ra = p.a.settle().await;
    let rb = p.b.settle().await;
    assert_eq!((ra.conflicts, rb.conflicts), (0, 1));
    assert!(p.a.store.open_conflicts().unwrap().is_empty());
    let open = conflicts::list(&p.b.store).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(
        (
            open[0].field,
            open[0].mine.as_str(),
            open[0].theirs.as_str(),
            open[0].title.as_str()
        ),
        (GuardedField::Price, "40.00", "45.00", "Silk dress")
    );
    // Until resolved, B shows the server's price (its edit is not applied).
    assert_eq!(p.b.store.get_draft(id).unwrap().values.price, "45.00");

    conflicts::resolve(&p.b.store, open[0].id, Resolution::Mine).unwrap();
    assert!(conflicts::list(&p.b.store).unwrap().is_empty());
    let again = p.b.settle().await;
    assert_eq!((again.applied, again.conflicts), (1, 0));
    p.a.settle().await;
    for d in [&p.a, &p.b] {
        assert_eq!(d.store.get_draft(id).unwrap().values.price, "40.00");
    }
    assert_eq!(server_row(&p).1, 4000);

    // A typed value also resolves (and "theirs" sends nothing).
    set_field(&p.a.store, id, DraftField::Price, "38");
    set_field(&p.b.store, id, DraftField::Price, "36");
    p.a.settle().await;
    p.b.settle().await;
    let open = conflicts::list(&p.b.store).unwrap();
    conflicts::resolve(&p.b.store, open[0].id, Resolution::Value("37.50".into())).unwrap();
    p.b.settle().await;
    p.a.settle().await;
    assert_eq!(server_row(&p).1, 3750);
    for d in [&p.a, &p.b] {
        assert_eq!(d.store.get_draft(id).unwrap().values.price, "37.50");
    }
}

#[tokio::test]
async fn sold_wins_over_an_edit_made_on_the_other_device() {
    let p = pair("twin_sold").await;
    let id = shared_listing(&p).await;
    // The store has no "mark sold" edit yet: a third client of the same
    // seller (say, the web) sells it with a push of its own.
    let sold = serde_json::json!({
        "clientId": "00000000-0000-4000-8000-000000000003",
        "mutations": [{"id": 1, "name": "markSold", "args": {"listingId": id}}]
    });
    let http = client(&p.server.url());
    let request = http
        .request(rehome_client::Method::POST, "/v1/sync/push")
        .bearer_auth(&p.token)
        .json(&sold);
    let reply = http.send(request, 1 << 20).await.unwrap();
    assert_eq!(reply.status(), 200);
    set_field(&p.b.store, id, DraftField::Price, "30");
    p.b.settle().await;
    p.a.settle().await;
    assert_eq!(server_row(&p).2, "sold");
    for d in [&p.a, &p.b] {
        assert_eq!(d.store.get_draft(id).unwrap().stage, DraftStage::Sold);
    }
}

#[tokio::test]
async fn a_sku_set_on_one_device_reaches_the_server_and_the_other_device_exactly() {
    let p = pair("twin_sku").await;
    let id = shared_listing(&p).await;
    set_field(&p.a.store, id, DraftField::Sku, "0012345678901234");
    p.a.settle().await;
    p.b.settle().await;
    let on_server: String = p
        .server
        .db()
        .query_row("SELECT sku FROM listings", [], |r| r.get(0))
        .unwrap();
    assert_eq!(on_server, "0012345678901234");
    assert_eq!(
        p.b.store.get_draft(id).unwrap().values.sku,
        "0012345678901234",
        "B pulled it exactly"
    );
    // And back: B's edit, with its spaces, reaches A.
    set_field(&p.b.store, id, DraftField::Sku, " 0042 ");
    p.b.settle().await;
    p.a.settle().await;
    assert_eq!(p.a.store.get_draft(id).unwrap().values.sku, " 0042 ");
}
