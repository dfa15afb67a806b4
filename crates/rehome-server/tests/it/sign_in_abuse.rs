//! Password guessing and hashing floods: attempts are counted before any
//! password is hashed, and hashing runs a few at a time.

use crate::support::{config, expect_problem, start_with};
use rehome_server::auth::PasswordCost;

/// Sends `n` sign-ins for `handle` with `password` at once; the statuses.
async fn parallel_sign_ins(
    t: &crate::support::TestServer,
    n: usize,
    handle: &str,
    password: &str,
) -> Vec<u16> {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..n {
        let req = t
            .http
            .post(t.url("/v1/auth/sign-in"))
            .json(&serde_json::json!({"handle": handle, "password": password}));
        set.spawn(async move { req.send().await.unwrap().status().as_u16() });
    }
    let mut statuses = Vec::new();
    while let Some(status) = set.join_next().await {
        statuses.push(status.unwrap());
    }
    statuses
}

#[tokio::test]
async fn parallel_wrong_sign_ins_evaluate_at_most_the_account_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), false);
    // Dearer than the tests' usual cost, so the guesses overlap while hashing.
    cfg.password_cost = PasswordCost {
        memory_kib: 8 * 1024,
        iterations: 1,
    };
    let limit = cfg.limits.sign_in_failures_per_account_address;
    let t = start_with(cfg, dir).await;
    t.sign_up("target").await;
    let statuses = parallel_sign_ins(&t, 64, "target", "guess-guess").await;
    let evaluated = statuses.iter().filter(|&&s| s == 401).count();
    let refused = statuses.iter().filter(|&&s| s == 429).count();
    assert_eq!(evaluated + refused, 64, "{statuses:?}");
    assert!(
        evaluated <= limit,
        "{evaluated} guesses evaluated: {statuses:?}"
    );
    // Locked now, even with the right password.
    expect_problem(t.sign_in("target", "password1").await, 429, "rate_limited").await;
}

#[tokio::test]
async fn with_every_hashing_turn_taken_sign_ins_get_503_and_are_not_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), false);
    cfg.limits.password_hash_wait_ms = 20;
    let t = start_with(cfg, dir).await;
    t.sign_up("busy").await;
    let flood = t.server.app.state.password_hashes.take_all().await.unwrap();
    for _ in 0..10 {
        let res = t.sign_in("busy", "guess-guess").await;
        let retry = res.headers().get("retry-after").cloned();
        let body = expect_problem(res, 503, "rate_limited").await;
        assert_eq!(body["field"], "max-password-hashes");
        assert_eq!(retry.unwrap(), "1");
    }
    let res = t
        .post_json(
            None,
            "/v1/auth/sign-up",
            &serde_json::json!({"handle": "newcomer", "password": "password1", "sizes": []}),
        )
        .await;
    expect_problem(res, 503, "rate_limited").await;
    drop(flood);
    // The ten guesses were never evaluated, so they did not lock the account.
    assert_eq!(t.sign_in("busy", "password1").await.status(), 200);
    t.sign_up("newcomer").await;
}

/// A sign-in that a trusted proxy forwards for `client`.
async fn sign_in_via(
    t: &crate::support::TestServer,
    client: &str,
    handle: &str,
    password: &str,
) -> reqwest::Response {
    t.http
        .post(t.url("/v1/auth/sign-in"))
        .header("x-forwarded-for", client)
        .json(&serde_json::json!({"handle": handle, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn start_behind_proxy(
    f: impl FnOnce(&mut rehome_server::Limits),
) -> crate::support::TestServer {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(dir.path(), false);
    cfg.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    f(&mut cfg.limits);
    start_with(cfg, dir).await
}

#[tokio::test]
async fn a_guesser_elsewhere_never_locks_the_owner_out() {
    let t = start_behind_proxy(|_| {}).await;
    t.sign_up("owner").await;
    for _ in 0..5 {
        let res = sign_in_via(&t, "203.0.113.7", "owner", "guess-guess").await;
        assert_eq!(res.status(), 401);
    }
    let res = sign_in_via(&t, "203.0.113.7", "owner", "password1").await;
    let body = expect_problem(res, 429, "rate_limited").await;
    assert_eq!(body["field"], "sign-in-failures-per-account-address");
    // The owner, at home, signs in.
    let res = sign_in_via(&t, "198.51.100.1", "owner", "password1").await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn guesses_from_many_addresses_slow_the_account_down_but_never_lock_it() {
    let t = start_behind_proxy(|l| {
        l.sign_in_slow_after = 3;
        l.sign_in_slow_ms = 1;
    })
    .await;
    t.sign_up("popular").await;
    for n in 0..8 {
        let res = sign_in_via(&t, &format!("203.0.113.{n}"), "popular", "guess-guess").await;
        assert_eq!(res.status(), 401, "guess {n}");
    }
    let res = sign_in_via(&t, "198.51.100.1", "popular", "password1").await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() {
    let dir = tempfile::tempdir().unwrap();
    let t = start_with(config(dir.path(), false), dir).await;
    t.sign_up("direct").await;
    for n in 0..5 {
        let res = sign_in_via(&t, &format!("203.0.113.{n}"), "direct", "guess-guess").await;
        assert_eq!(res.status(), 401);
    }
    // All five came from 127.0.0.1, whatever the header said.
    let res = sign_in_via(&t, "198.51.100.1", "direct", "password1").await;
    expect_problem(res, 429, "rate_limited").await;
}
