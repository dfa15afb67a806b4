//! The document tells the truth: every case below is a real request to the
//! real server, the status it must get, and the proof that the document lists
//! that status for that operation (with a problem+json body where the server
//! sends one). Each bound the document states is tried on both sides.

mod bounds;
mod check;

use crate::support::{config, manual_clock, start_with};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use check::{Auth, Checker, case};
use serde_json::{Value, json};

#[tokio::test]
async fn every_status_the_server_answers_is_documented() {
    let dir = tempfile::tempdir().unwrap();
    let clock = manual_clock(1_750_000_000_000);
    let mut c = config(dir.path(), true);
    c.clock = clock.clone();
    let t = start_with(c, dir).await;
    let doc: Value = serde_json::from_str(&rehome_server::openapi::document()).unwrap();
    let (token, _) = t.sign_up("truth_user").await;
    let (_, feed) = t.get_json("/v1/feed?limit=1").await;
    let listing = feed["items"][0]["id"].as_str().unwrap().to_owned();
    let seller = feed["items"][0]["seller"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let photo = feed["items"][0]["cover"]["id"].as_str().unwrap().to_owned();
    let etag = t
        .http
        .get(t.url(&format!("/v1/photos/{photo}")))
        .send()
        .await
        .unwrap()
        .headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    let second: Value = t
        .sign_in("truth_user", "password1")
        .await
        .json()
        .await
        .unwrap();
    let second = second["token"].as_str().unwrap().to_owned();
    let nobody = uuid::Uuid::from_u128(7);
    let mut check = Checker {
        t: &t,
        doc,
        token,
        failures: Vec::new(),
        checked: 0,
    };

    // Reads.
    let big = 1u64 << 31;
    let mut cases = vec![
        case("get", "/v1/feed", "/v1/feed", 200),
        case("get", "/v1/feed", "/v1/feed", 200).authed(),
        case("get", "/v1/feed", "/v1/feed", 401).bad_token(),
        case("get", "/v1/feed", "/v1/feed?limit=1", 200),
        case("get", "/v1/feed", "/v1/feed?limit=100", 200),
        case("get", "/v1/feed", "/v1/feed?limit=0", 422),
        case("get", "/v1/feed", "/v1/feed?limit=101", 422),
        case("get", "/v1/feed", format!("/v1/feed?limit={big}"), 422),
        case("get", "/v1/feed", "/v1/feed?limit=4294967296", 400),
        case("get", "/v1/feed", "/v1/feed?limit=-1", 400),
        case("get", "/v1/feed", "/v1/feed?cursor=bad", 400),
        case("get", "/v1/feed", "/v1/feed?colour=red", 400),
        case("get", "/v1/search", "/v1/search?q=shirt", 200),
        case(
            "get",
            "/v1/search",
            format!("/v1/search?q={}", "%C3%A9".repeat(200)),
            200,
        ),
        case(
            "get",
            "/v1/search",
            format!("/v1/search?q={}", "e".repeat(201)),
            422,
        ),
        case("get", "/v1/search", "/v1/search?limit=100", 200),
        case("get", "/v1/search", "/v1/search?limit=101", 422),
        case("get", "/v1/search", "/v1/search?limit=0", 422),
        case("get", "/v1/search", "/v1/search?category=tops", 200),
        case("get", "/v1/search", "/v1/search?category=hats", 422),
        case("get", "/v1/search", "/v1/search?category=", 422),
        case("get", "/v1/search", "/v1/search?condition=like_new", 200),
        case("get", "/v1/search", "/v1/search?condition=mint", 422),
        case(
            "get",
            "/v1/search",
            "/v1/search?minPrice=500&maxPrice=100",
            422,
        ),
        case("get", "/v1/search", "/v1/search?minPrice=abc", 400),
        case("get", "/v1/search", "/v1/search?cursor=bad", 400),
        case("get", "/v1/search", "/v1/search?colour=red", 400),
        case(
            "get",
            "/v1/listings/{listingId}",
            format!("/v1/listings/{listing}"),
            200,
        ),
        case(
            "get",
            "/v1/listings/{listingId}",
            format!("/v1/listings/{listing}"),
            200,
        )
        .authed(),
        case(
            "get",
            "/v1/listings/{listingId}",
            format!("/v1/listings/{listing}"),
            401,
        )
        .bad_token(),
        case(
            "get",
            "/v1/listings/{listingId}",
            format!("/v1/listings/{nobody}"),
            404,
        ),
        case("get", "/v1/listings/{listingId}", "/v1/listings/nope", 404),
        case(
            "get",
            "/v1/sellers/{seller}/listings",
            format!("/v1/sellers/{seller}/listings"),
            200,
        ),
        case(
            "get",
            "/v1/sellers/{seller}/listings",
            format!("/v1/sellers/{nobody}/listings"),
            404,
        ),
        case(
            "get",
            "/v1/sellers/{seller}/listings",
            "/v1/sellers/nope/listings",
            404,
        ),
        case(
            "get",
            "/v1/sellers/{seller}/listings",
            format!("/v1/sellers/{seller}/listings?limit=101"),
            422,
        ),
        case(
            "get",
            "/v1/sellers/{seller}/listings",
            format!("/v1/sellers/{seller}/listings?cursor=bad"),
            400,
        ),
        case(
            "get",
            "/v1/sellers/{seller}/listings",
            format!("/v1/sellers/{seller}/listings?x=1"),
            400,
        ),
    ];
    let card = "/v1/sellers/{seller}";
    let seen = "/v1/me/seen";
    let seen_ids = |n: usize| json!({"listingIds": vec![listing.clone(); n]});
    cases.extend([
        case("get", "/v1/feed", "/v1/feed?following=true", 200).authed(),
        case("get", "/v1/feed", "/v1/feed?following=true", 401),
        case("get", "/v1/search", "/v1/search?sort=price_asc", 200),
        case("get", "/v1/search", "/v1/search?sort=cheapest", 422),
        case("get", "/v1/search", "/v1/search?size=M;W30", 200),
        case(
            "get",
            "/v1/search",
            format!("/v1/search?size={}", vec!["M"; 20].join(";")),
            200,
        ),
        case(
            "get",
            "/v1/search",
            format!("/v1/search?size={}", vec!["M"; 21].join(";")),
            422,
        ),
        case(
            "get",
            "/v1/search",
            format!("/v1/search?size={}", "é".repeat(21)),
            422,
        ),
        case("get", card, format!("/v1/sellers/{seller}"), 200),
        case("get", card, format!("/v1/sellers/{seller}"), 200).authed(),
        case("get", card, format!("/v1/sellers/{seller}"), 401).bad_token(),
        case("get", card, format!("/v1/sellers/{nobody}"), 404),
        case("get", card, "/v1/sellers/nobody_here", 404),
        case(
            "get",
            "/v1/sellers/{seller}/listings",
            format!("/v1/sellers/{seller}/listings"),
            401,
        )
        .bad_token(),
        case("post", seen, seen, 204).authed().json(seen_ids(200)),
        case("post", seen, seen, 422).authed().json(seen_ids(201)),
        case("post", seen, seen, 422).authed().json(seen_ids(0)),
        case("post", seen, seen, 422).authed().json(json!({"x": 1})),
        case("post", seen, seen, 400)
            .authed()
            .raw("application/json", "{"),
        case("post", seen, seen, 415)
            .authed()
            .raw("text/plain", "{}"),
        case("post", seen, seen, 401).json(seen_ids(1)),
    ]);
    for path in ["/v1/me/likes", "/v1/notifications"] {
        cases.extend([
            case("get", path, path, 200).authed(),
            case("get", path, path, 401),
            case("get", path, path, 401).bad_token(),
            case("get", path, format!("{path}?limit=100"), 200).authed(),
            case("get", path, format!("{path}?limit=101"), 422).authed(),
            case("get", path, format!("{path}?limit=0"), 422).authed(),
            case("get", path, format!("{path}?cursor=bad"), 400).authed(),
            case("get", path, format!("{path}?x=1"), 400).authed(),
        ]);
    }
    let offers = "/v1/offers";
    cases.extend([
        case("get", offers, offers, 200).authed(),
        case("get", offers, "/v1/offers?role=received", 200).authed(),
        case("get", offers, "/v1/offers?role=sent", 200).authed(),
        case("get", offers, "/v1/offers?role=both", 400).authed(),
        case("get", offers, "/v1/offers?limit=1", 400).authed(),
        case("get", offers, offers, 401),
        case("get", offers, offers, 401).bad_token(),
    ]);
    check.run(cases).await;

    // Accounts.
    let too_big = vec![b' '; 300 * 1024];
    let settings = "/v1/me/settings";
    let sign_up = "/v1/auth/sign-up";
    let sign_in = "/v1/auth/sign-in";
    let budget = |n: u32| json!({"notifications": {"dailyBudget": n}});
    let sizes = |s: Vec<String>| json!({"sizes": s});
    let cases = vec![
        case("get", "/v1/me", "/v1/me", 200).authed(),
        case("get", "/v1/me", "/v1/me", 401),
        case("put", settings, settings, 200)
            .authed()
            .json(budget(100)),
        case("put", settings, settings, 422)
            .authed()
            .json(budget(101)),
        case("put", settings, settings, 200)
            .authed()
            .json(json!({"notifications": {"dailyBudget": 3, "quietStart": 1439, "quietEnd": 0}})),
        case("put", settings, settings, 422)
            .authed()
            .json(json!({"notifications": {"dailyBudget": 3, "quietStart": 1440, "quietEnd": 0}})),
        case("put", settings, settings, 422)
            .authed()
            .json(json!({"notifications": {"dailyBudget": 3, "quietStart": 60}})),
        case("put", settings, settings, 200).authed().json(
            json!({"notifications": {"dailyBudget": 3, "quietStart": null, "quietEnd": null}}),
        ),
        case("put", settings, settings, 200)
            .authed()
            .json(sizes(vec![" M ".into(); 20])),
        case("put", settings, settings, 422)
            .authed()
            .json(sizes(vec!["M".into(); 21])),
        case("put", settings, settings, 200)
            .authed()
            .json(sizes(vec!["é".repeat(20)])),
        case("put", settings, settings, 422)
            .authed()
            .json(sizes(vec!["é".repeat(21)])),
        case("put", settings, settings, 422)
            .authed()
            .json(sizes(vec!["  ".into()])),
        case("put", settings, settings, 422)
            .authed()
            .json(json!({"x": 1})),
        case("put", settings, settings, 400)
            .authed()
            .raw("application/json", "{"),
        case("put", settings, settings, 415)
            .authed()
            .raw("text/plain", "{}"),
        case("put", settings, settings, 413)
            .authed()
            .raw("application/json", too_big.clone()),
        case("put", settings, settings, 401).json(budget(3)),
        case("post", sign_up, sign_up, 201)
            .json(json!({"handle": "truth.two", "password": "é".repeat(256)})),
        case("post", sign_up, sign_up, 422)
            .json(json!({"handle": "truth_three", "password": "é".repeat(257)})),
        case("post", sign_up, sign_up, 422)
            .json(json!({"handle": "truth_three", "password": "1234567"})),
        case("post", sign_up, sign_up, 201).json(json!({"handle": "abc", "password": "12345678"})),
        case("post", sign_up, sign_up, 409).json(json!({"handle": "abc", "password": "12345678"})),
        case("post", sign_up, sign_up, 422).json(json!({"handle": "ab", "password": "12345678"})),
        case("post", sign_up, sign_up, 422)
            .json(json!({"handle": "a".repeat(31), "password": "12345678"})),
        case("post", sign_up, sign_up, 422).json(json!({"handle": "Abc", "password": "12345678"})),
        case("post", sign_up, sign_up, 422)
            .json(json!({"handle": "truth_four", "password": "12345678", "sizes": vec!["M"; 21]})),
        case("post", sign_up, sign_up, 422).json(json!({"handle": "truth_four"})),
        case("post", sign_up, sign_up, 400).raw("application/json", "{"),
        case("post", sign_up, sign_up, 415).raw("text/plain", "{}"),
        case("post", sign_up, sign_up, 413).raw("application/json", too_big.clone()),
        case("post", sign_in, sign_in, 200).json(json!({"handle": "abc", "password": "12345678"})),
        case("post", sign_in, sign_in, 422).json(json!({"handle": "abc"})),
        case("post", sign_in, sign_in, 400).raw("application/json", "{"),
        case("post", sign_in, sign_in, 415).raw("text/plain", "{}"),
        case("post", sign_in, sign_in, 413).raw("application/json", too_big.clone()),
    ];
    check.run(cases).await;
    let wrong = || {
        case("post", sign_in, sign_in, 401)
            .json(json!({"handle": "abc", "password": "wrong-password"}))
    };
    check.run((0..5).map(|_| wrong()).collect()).await;
    let locked = wrong().expect(429);
    let sign_out = "/v1/auth/sign-out";
    check
        .run(vec![
            locked,
            case("post", sign_out, sign_out, 401),
            case("post", sign_out, sign_out, 401).bad_token(),
            case("post", sign_out, sign_out, 204).token(&second),
        ])
        .await;

    // Sync.
    let client = uuid::Uuid::from_u128(1);
    let push = "/v1/sync/push";
    let pull = "/v1/sync/pull";
    let like = |id: Value| json!({"id": id, "name": "like", "args": {"listingId": listing}});
    let set_price = |version: Value| json!({"id": 1, "name": "setPrice", "args": {"listingId": listing, "price": 100, "baseVersion": version}});
    let pushing = |mutations: Vec<Value>| json!({"clientId": client, "mutations": mutations});
    let cases = vec![
        case("post", push, push, 200).authed().json(pushing(vec![])),
        case("post", push, push, 200)
            .authed()
            .json(pushing(vec![like(json!(i64::MAX))])),
        case("post", push, push, 422)
            .authed()
            .json(pushing(vec![like(json!(1u64 << 63))])),
        case("post", push, push, 422)
            .authed()
            .json(pushing(vec![like(json!(u64::MAX))])),
        case("post", push, push, 422)
            .authed()
            .json(pushing(vec![like(json!(-1))])),
        case("post", push, push, 422)
            .authed()
            .json(pushing(vec![set_price(json!(1u64 << 63))])),
        case("post", push, push, 200)
            .authed()
            .json(pushing((1..=500).map(|i| like(json!(i))).collect())),
        case("post", push, push, 413)
            .authed()
            .json(pushing((1..=501).map(|i| like(json!(i))).collect())),
        case("post", push, push, 422)
            .authed()
            .json(json!({"clientId": client})),
        case("post", push, push, 400)
            .authed()
            .raw("application/json", "{"),
        case("post", push, push, 415)
            .authed()
            .raw("text/plain", "{}"),
        case("post", push, push, 413)
            .authed()
            .raw("application/json", too_big.clone()),
        case("post", push, push, 401).json(pushing(vec![])),
        case("post", pull, pull, 200)
            .authed()
            .json(json!({"clientId": client})),
        case("post", pull, pull, 200)
            .authed()
            .json(json!({"clientId": client, "cookie": "0"})),
        case("post", pull, pull, 200)
            .authed()
            .json(json!({"clientId": client, "limit": 1})),
        case("post", pull, pull, 200)
            .authed()
            .json(json!({"clientId": client, "limit": 1000})),
        case("post", pull, pull, 422)
            .authed()
            .json(json!({"clientId": client, "limit": 0})),
        case("post", pull, pull, 422)
            .authed()
            .json(json!({"clientId": client, "limit": 1001})),
        case("post", pull, pull, 400)
            .authed()
            .json(json!({"clientId": client, "cookie": "x"})),
        case("post", pull, pull, 422)
            .authed()
            .json(json!({"cookie": "0"})),
        case("post", pull, pull, 400)
            .authed()
            .raw("application/json", "{"),
        case("post", pull, pull, 415)
            .authed()
            .raw("text/plain", "{}"),
        case("post", pull, pull, 413)
            .authed()
            .raw("application/json", too_big.clone()),
        case("post", pull, pull, 401).json(json!({"clientId": client})),
    ];
    check.run(cases).await;

    // Uploads (tus) and photos.
    let uploads = "/v1/uploads";
    let one = "/v1/uploads/{uploadId}";
    let create = |len: &str| {
        case("post", uploads, uploads, 201)
            .authed()
            .tus()
            .header("upload-length", len)
    };
    let location = |res: reqwest::Response| {
        assert_eq!(res.status(), 201);
        res.headers()["location"].to_str().unwrap().to_owned()
    };
    let uploader = check.token.clone();
    let new_upload = |len: usize| {
        let t = &t;
        let token = uploader.clone();
        async move {
            location(
                t.http
                    .post(t.url(uploads))
                    .bearer_auth(token)
                    .header("tus-resumable", "1.0.0")
                    .header("upload-length", len.to_string())
                    .send()
                    .await
                    .unwrap(),
            )
        }
    };
    let open = new_upload(10).await;
    let short = new_upload(4).await;
    let missing = "/v1/uploads/00000000000000000000000000000000";
    let chunk = |at: &str, offset: u64, bytes: &[u8], status: u16| {
        case("patch", one, at, status)
            .authed()
            .tus()
            .header("upload-offset", offset.to_string())
            .raw("application/offset+octet-stream", bytes.to_vec())
    };
    let sha = |bytes: &[u8]| {
        use sha2::Digest;
        format!("sha256 {}", STANDARD.encode(sha2::Sha256::digest(bytes)))
    };
    let max = (8 * 1024 * 1024).to_string();
    let over = (8 * 1024 * 1024 + 1).to_string();
    let cases = vec![
        case("options", uploads, uploads, 204),
        create("10"),
        create(&max),
        create(&over).expect(413),
        create("0").expect(422),
        case("post", uploads, uploads, 400).authed().tus(),
        case("post", uploads, uploads, 400)
            .authed()
            .tus()
            .header("upload-defer-length", "1"),
        case("post", uploads, uploads, 400)
            .authed()
            .tus()
            .header("upload-length", "4")
            .header("upload-metadata", "photoId !!!"),
        case("post", uploads, uploads, 412)
            .authed()
            .header("upload-length", "4"),
        case("post", uploads, uploads, 401)
            .tus()
            .header("upload-length", "4"),
        case("head", one, open.clone(), 200).authed().tus(),
        case("head", one, missing, 404).authed().tus(),
        case("head", one, open.clone(), 412).authed(),
        case("head", one, open.clone(), 401).tus(),
        chunk(&open, 0, b"abcd", 204),
        chunk(&open, 0, b"abcd", 409),
        chunk(&open, 4, b"0123456789", 413),
        chunk(&open, 4, b"efgh", 460).header("upload-checksum", sha(b"other")),
        chunk(&open, 4, b"efgh", 400).header("upload-checksum", "md5 abc"),
        chunk(&open, 4, b"efgh", 204).header("upload-checksum", sha(b"efgh")),
        case("patch", one, open.clone(), 415)
            .authed()
            .tus()
            .header("upload-offset", "8")
            .raw("application/octet-stream", "ij"),
        case("patch", one, open.clone(), 400)
            .authed()
            .tus()
            .raw("application/offset+octet-stream", "ij"),
        {
            let mut c = chunk(&open, 8, b"ij", 412);
            c.headers.retain(|(n, _)| *n != "tus-resumable");
            c
        },
        {
            let mut c = chunk(&open, 8, b"ij", 401);
            c.auth = Auth::None;
            c
        },
        chunk(missing, 0, b"ij", 404),
        // Complete, but not a photo.
        chunk(&short, 0, b"abcd", 422),
        case(
            "get",
            "/v1/photos/{photoId}",
            format!("/v1/photos/{photo}"),
            200,
        ),
        case(
            "get",
            "/v1/photos/{photoId}",
            format!("/v1/photos/{photo}"),
            304,
        )
        .header("if-none-match", etag.clone()),
        case(
            "get",
            "/v1/photos/{photoId}",
            format!("/v1/photos/{nobody}"),
            404,
        ),
        case("get", "/v1/photos/{photoId}", "/v1/photos/nope", 404),
        case(
            "get",
            "/v1/photos/{photoId}/thumb",
            format!("/v1/photos/{photo}/thumb"),
            200,
        ),
        case(
            "get",
            "/v1/photos/{photoId}/thumb",
            format!("/v1/photos/{nobody}/thumb"),
            404,
        ),
        case("get", "/v1/openapi.json", "/v1/openapi.json", 200),
    ];
    check.run(cases).await;
    // A week and a day later, the unfinished upload has expired.
    clock.advance(8 * 24 * 3_600_000);
    check
        .run(vec![
            case("head", one, open.clone(), 410).authed().tus(),
            chunk(&open, 8, b"ij", 410),
        ])
        .await;

    assert!(
        check.failures.is_empty(),
        "{} of {} cases disagree with the document:\n{}",
        check.failures.len(),
        check.checked,
        check.failures.join("\n")
    );
}
