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
    let limit = cfg.sign_in_limits.per_account_failures;
    let t = start_with(cfg, dir).await;
    t.sign_up("target").await;
    let statuses = parallel_sign_ins(&t, 64, "target", "guess-guess").await;
    let evaluated = statuses.iter().filter(|&&s| s == 401).count();
    let refused = statuses.iter().filter(|&&s| s == 429).count();
    assert_eq!(evaluated + refused, 64, "{statuses:?}");
    assert!(evaluated <= limit, "{evaluated} guesses evaluated: {statuses:?}");
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
