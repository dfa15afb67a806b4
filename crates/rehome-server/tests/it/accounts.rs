//! Sign-up, sign-in, sessions, sign-out and sign-in rate limiting.

use crate::support::{config, expect_problem, manual_clock, start, start_with};
use rehome_model::api::{Me, Session};
use serde_json::json;

#[tokio::test]
async fn sign_up_sign_in_me_and_sign_out() {
    let t = start(false).await;
    let (token, user) = t.sign_up("ana_b").await;
    let me: Me = t.get_authed(&token, "/v1/me").await.json().await.unwrap();
    assert_eq!(me.user_id, user);
    assert_eq!(me.handle, "ana_b");
    assert_eq!(me.sizes, vec!["M".to_owned()]);
    assert_eq!(me.notifications.daily_budget, 5);

    let res = t.sign_in("ana_b", "password1").await;
    assert_eq!(res.status(), 200);
    let second: Session = res.json().await.unwrap();
    assert_ne!(second.token, token);

    // Sign-out revokes that token only.
    let res = t
        .post_json(Some(&token), "/v1/auth/sign-out", &json!({}))
        .await;
    assert_eq!(res.status(), 204);
    expect_problem(t.get_authed(&token, "/v1/me").await, 401, "unauthorized").await;
    assert_eq!(t.get_authed(&second.token, "/v1/me").await.status(), 200);
}

#[tokio::test]
async fn bad_sign_ups_and_sign_ins_are_problems() {
    let t = start(false).await;
    t.sign_up("taken").await;
    for (body, status, code, field) in [
        (
            json!({"handle": "taken", "password": "password1"}),
            409,
            "invalid",
            "handle",
        ),
        (
            json!({"handle": "x", "password": "password1"}),
            422,
            "invalid",
            "handle",
        ),
        (
            json!({"handle": "Upper", "password": "password1"}),
            422,
            "invalid",
            "handle",
        ),
        (
            json!({"handle": "okname", "password": "short"}),
            422,
            "invalid",
            "password",
        ),
        (
            json!({"handle": "okname", "password": 12345678}),
            422,
            "bad_request",
            "password",
        ),
        (json!({"handle": "okname"}), 422, "bad_request", ""),
        (
            json!({"handle": "okname", "password": "password1", "admin": true}),
            422,
            "bad_request",
            "admin",
        ),
    ] {
        let res = t.post_json(None, "/v1/auth/sign-up", &body).await;
        let problem = expect_problem(res, status, code).await;
        if !field.is_empty() {
            assert_eq!(problem["field"], field, "{body}");
        }
    }
    let res = t.sign_in("taken", "wrong-password").await;
    expect_problem(res, 401, "unauthorized").await;
    let res = t.sign_in("nobody", "password1").await;
    expect_problem(res, 401, "unauthorized").await;
    for header in ["Bearer nonsense", "Basic abc", ""] {
        let res = t
            .http
            .get(t.url("/v1/me"))
            .header("authorization", header)
            .send()
            .await
            .unwrap();
        expect_problem(res, 401, "unauthorized").await;
    }
    expect_problem(
        t.http.get(t.url("/v1/me")).send().await.unwrap(),
        401,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn sessions_expire_on_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    let clock = manual_clock(1_800_000_000_000);
    let mut cfg = config(dir.path(), false);
    cfg.clock = clock.clone();
    cfg.limits.session_ttl_ms = 60_000;
    let t = start_with(cfg, dir).await;
    let (token, _) = t.sign_up("timed").await;
    assert_eq!(t.get_authed(&token, "/v1/me").await.status(), 200);
    clock.advance(59_999);
    assert_eq!(t.get_authed(&token, "/v1/me").await.status(), 200);
    clock.advance(1);
    expect_problem(t.get_authed(&token, "/v1/me").await, 401, "unauthorized").await;
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_account_then_forgiven() {
    let dir = tempfile::tempdir().unwrap();
    let clock = manual_clock(1_800_000_000_000);
    let mut cfg = config(dir.path(), false);
    cfg.clock = clock.clone();
    let t = start_with(cfg, dir).await;
    t.sign_up("target").await;
    for _ in 0..5 {
        expect_problem(
            t.sign_in("target", "guess-guess").await,
            401,
            "unauthorized",
        )
        .await;
    }
    // Locked now, even with the right password.
    let res = t.sign_in("target", "password1").await;
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 15 * 60);
    expect_problem(res, 429, "rate_limited").await;
    // Other accounts are unaffected.
    t.sign_up("bystander").await;
    assert_eq!(t.sign_in("bystander", "password1").await.status(), 200);
    // After the window, the right password works again.
    clock.advance(15 * 60_000 + 1);
    assert_eq!(t.sign_in("target", "password1").await.status(), 200);
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_ip() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), false);
    cfg.limits.sign_in_failures_per_address = 4;
    let t = start_with(cfg, dir).await;
    t.sign_up("ipuser").await;
    for n in 0..4 {
        // Different accounts, same IP.
        let res = t.sign_in(&format!("someone{n}"), "password1").await;
        assert_eq!(res.status(), 401);
    }
    expect_problem(t.sign_in("ipuser", "password1").await, 429, "rate_limited").await;
}

#[tokio::test]
async fn demo_accounts_sign_in_with_the_demo_password() {
    let t = start(true).await;
    for handle in ["vintage_vera", "ana_buys"] {
        let res = t.sign_in(handle, rehome_server::demo::DEMO_PASSWORD).await;
        assert_eq!(res.status(), 200, "{handle}");
    }
}
