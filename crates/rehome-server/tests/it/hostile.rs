//! Hostile input on every JSON route and every parameterised GET: always a 4xx
//! problem+json, never a 5xx, a panic or a dropped connection.

use crate::support::start;

#[tokio::test]
async fn hostile_bodies_and_parameters_get_4xx_problems() {
    let t = start(true).await;
    let (token, _) = t.sign_up("hostile").await;
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let big = format!("{{\"handle\":\"{}\"}}", "x".repeat(400 * 1024));
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("application/json", b"".to_vec()),
        ("application/json", b"{".to_vec()),
        ("application/json", b"[]".to_vec()),
        ("application/json", b"null".to_vec()),
        ("application/json", b"1e999".to_vec()),
        ("application/json", b"{\"a\":1}{\"a\":1}".to_vec()),
        ("application/json", b"\xff\xfe\x00{".to_vec()),
        ("application/json", b"{\"clientId\":\"\xff\"}".to_vec()),
        ("application/json", deep.into_bytes()),
        ("application/json", big.into_bytes()),
        ("text/plain", b"{}".to_vec()),
        ("application/x-www-form-urlencoded", b"a=1".to_vec()),
    ];
    let routes = [
        ("POST", "/v1/auth/sign-up"),
        ("POST", "/v1/auth/sign-in"),
        ("POST", "/v1/sync/push"),
        ("POST", "/v1/sync/pull"),
        ("PUT", "/v1/me/settings"),
    ];
    for (method, path) in routes {
        for (ct, body) in &bodies {
            let method: reqwest::Method = method.parse().unwrap();
            let res = t
                .http
                .request(method.clone(), t.url(path))
                .bearer_auth(&token)
                .header("content-type", *ct)
                .body(body.clone())
                .send()
                .await
                .unwrap_or_else(|e| panic!("{method} {path}: connection failed: {e}"));
            let status = res.status().as_u16();
            let ctype = res
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned());
            assert!(
                (400..500).contains(&status),
                "{method} {path} {ct} {:?}: {status}",
                String::from_utf8_lossy(&body[..body.len().min(40)])
            );
            assert_eq!(
                ctype.as_deref(),
                Some("application/problem+json"),
                "{method} {path}"
            );
        }
    }
    let long_q = format!("/v1/search?q={}", "%25".repeat(250));
    let gets = [
        long_q.as_str(),
        "/v1/feed?limit=99999999999",
        "/v1/feed?limit=1&limit=2",
        "/v1/feed?cursor=%ff%fe",
        "/v1/feed?cursor=",
        "/v1/search?maxPrice=9223372036854775808",
        "/v1/search?minPrice=abc",
        "/v1/search?category=%00",
        "/v1/listings/%ff",
        "/v1/sellers/%ff/listings",
        "/v1/me/likes?cursor=x",
        "/v1/notifications?limit=0",
    ];
    for path in gets {
        let res = t
            .http
            .get(t.url(path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        // An empty cursor is "first page": the one accepted case.
        if path.ends_with("cursor=") {
            assert_eq!(status, 200);
            continue;
        }
        assert!((400..500).contains(&status), "{path}: {status}");
        assert_eq!(
            res.headers()["content-type"],
            "application/problem+json",
            "{path}"
        );
    }
}
