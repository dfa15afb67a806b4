//! Accounts: sign-up (limited per address), sign-in (see `sign_in_limiter`), sign-out,
//! and the caller's own profile and settings.

use super::extract::ApiJson;
use super::support::{AppRef, Caller, PeerIp, blocking};
use crate::AppState;
use crate::auth;
use crate::problem::Problem;
use crate::sign_in_limiter::Verdict;
use crate::storage::NewUser;
use crate::sync::SIZE_MAX;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rehome_model::api::{
    Me, NotificationSettings, Session, SettingsUpdate, SignInRequest, SignUpRequest,
};
use rehome_model::{ErrorCode, UserId};

fn clean_sizes(sizes: &[String]) -> Result<Vec<String>, Problem> {
    if sizes.len() > 20 {
        return Err(Problem::invalid("sizes", "At most 20 sizes"));
    }
    let mut out = Vec::new();
    for s in sizes {
        // Counted as sent (the document's maxLength), stored trimmed.
        if s.trim().is_empty() || s.chars().count() > SIZE_MAX {
            return Err(Problem::invalid("sizes", "A size is 1 to 20 characters"));
        }
        out.push(s.trim().to_owned());
    }
    Ok(out)
}

fn new_session(s: &AppState, user: UserId, handle: String) -> Result<Session, Problem> {
    let (token, hash) = auth::new_token()?;
    let now = s.clock.now_ms();
    let expires_at = now + s.limits.session_ttl_ms;
    s.store
        .write(|tx| tx.insert_session(&hash, &user, now, expires_at))?;
    Ok(Session {
        token,
        user_id: user,
        handle,
        expires_at,
    })
}

/// `POST /v1/auth/sign-up`
#[tracing::instrument(skip_all, fields(handle = %req.handle, %ip))]
pub async fn sign_up(
    State(state): State<AppRef>,
    PeerIp(ip): PeerIp,
    ApiJson(req): ApiJson<SignUpRequest>,
) -> Result<(StatusCode, Json<Session>), Problem> {
    auth::validate_handle(&req.handle)?;
    auth::validate_password(&req.password)?;
    let sizes = clean_sizes(&req.sizes)?;
    let now = state.clock.now_ms();
    count_sign_up(&state, ip, now)?;
    let turn = match state.password_hashes.take().await {
        Ok(turn) => turn,
        Err(p) => {
            forgive_sign_up(&state, ip, now);
            return Err(p);
        }
    };
    let created = create_account(&state, req, sizes, turn).await;
    if matches!(&created, Err(p) if p.status == StatusCode::CONFLICT) {
        // A taken handle created nothing.
        forgive_sign_up(&state, ip, now);
    }
    let session = created?;
    Ok((StatusCode::CREATED, Json(session)))
}

/// Counts a sign-up from `ip` before it is tried (so parallel ones cannot
/// all pass); a 429 past `limits.max_sign_ups_per_address` in the window.
fn count_sign_up(state: &AppState, ip: std::net::IpAddr, now: i64) -> Result<(), Problem> {
    let most = state.limits.max_sign_ups_per_address;
    let mut log = state
        .sign_ups
        .lock()
        .map_err(|_| Problem::internal("sign-up log poisoned"))?;
    let (n, wait_ms) = log.count(&ip, now);
    if n >= most {
        let secs = (wait_ms.max(0) as u64).div_ceil(1000);
        return Err(Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            format!("At most {most} accounts per address in a while; try again in {secs} s"),
        )
        .with_field("max-sign-ups-per-address")
        .retry_after(secs));
    }
    log.record(&ip, now);
    Ok(())
}

fn forgive_sign_up(state: &AppState, ip: std::net::IpAddr, at: i64) {
    if let Ok(mut log) = state.sign_ups.lock() {
        log.take_back(&ip, at);
    }
}

async fn create_account(
    state: &AppRef,
    req: SignUpRequest,
    sizes: Vec<String>,
    turn: crate::turns::Turn,
) -> Result<Session, Problem> {
    blocking(state, move |s| {
        let hash = auth::hash_password(&req.password, s.password_cost)?;
        drop(turn);
        let mut random = [0u8; 10];
        crate::random_bytes(&mut random).map_err(|e| Problem::internal(e.to_string()))?;
        let now = s.clock.now_ms();
        let id = UserId::from_parts(now.max(0) as u64, random);
        let user = NewUser {
            id,
            handle: req.handle.clone(),
            password_hash: hash,
            sizes,
        };
        let created = s.store.write(|tx| tx.insert_user(&user, now))?;
        if !created {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                ErrorCode::Invalid,
                "This handle is taken",
            )
            .with_field("handle"));
        }
        new_session(s, id, req.handle)
    })
    .await
}

/// `POST /v1/auth/sign-in`: the attempt is counted before the password is
/// checked (so parallel guesses cannot all be evaluated), and the check waits
/// for a hashing turn.
#[tracing::instrument(skip_all, fields(handle = %req.handle, %ip))]
pub async fn sign_in(
    State(state): State<AppRef>,
    PeerIp(ip): PeerIp,
    ApiJson(req): ApiJson<SignInRequest>,
) -> Result<Json<Session>, Problem> {
    let now = state.clock.now_ms();
    match state.sign_in_limiter.attempt(&req.handle, ip, now) {
        Verdict::Go { wait_ms } if wait_ms > 0 => {
            // The account is slowed down: this attempt waits its turn.
            tokio::time::sleep(std::time::Duration::from_millis(wait_ms as u64)).await;
        }
        Verdict::Go { .. } => {}
        Verdict::Refused {
            retry_after_ms,
            limit,
        } => {
            let secs = (retry_after_ms.max(0) as u64).div_ceil(1000);
            return Err(Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                format!("Too many sign-in attempts; try again in {secs} s"),
            )
            .with_field(limit)
            .retry_after(secs));
        }
    }
    let turn = match state.password_hashes.take().await {
        Ok(turn) => turn,
        Err(p) => {
            // Never evaluated: it does not count as a guess.
            state.sign_in_limiter.forgive(&req.handle, ip, now);
            return Err(p);
        }
    };
    let session = blocking(&state, move |s| {
        let found = s.store.user_by_handle(&req.handle)?;
        let ok = match &found {
            Some((_, _, hash)) => auth::verify_password(&req.password, hash),
            None => {
                // Same work for unknown handles, so timing does not reveal accounts.
                let _ = auth::verify_password(&req.password, &s.dummy_hash);
                false
            }
        };
        drop(turn);
        match found {
            Some((id, handle, _)) if ok => {
                s.sign_in_limiter.succeeded(&req.handle, ip, now);
                new_session(s, id, handle)
            }
            // The attempt was counted as a failure before the check.
            _ => Err(Problem::unauthorized("Wrong handle or password")),
        }
    })
    .await?;
    Ok(Json(session))
}

/// `POST /v1/auth/sign-out`: revokes the token used.
pub async fn sign_out(State(state): State<AppRef>, caller: Caller) -> Result<StatusCode, Problem> {
    blocking(&state, move |s| {
        let now = s.clock.now_ms();
        s.store
            .write(|tx| tx.revoke_session(&caller.token_hash, now))?;
        // After the database: a racing lookup cannot resurrect the token.
        s.sessions.revoke(&caller.token_hash);
        Ok(())
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

fn me_of(s: &AppState, caller: &Caller) -> Result<Me, Problem> {
    Ok(Me {
        user_id: caller.user_id,
        handle: caller.handle.clone(),
        sizes: s.store.sizes(&caller.user_id)?,
        notifications: s
            .store
            .notification_settings(&caller.user_id)?
            .ok_or_else(|| Problem::unauthorized("No such account"))?,
    })
}

/// `GET /v1/me`
pub async fn me(State(state): State<AppRef>, caller: Caller) -> Result<Json<Me>, Problem> {
    blocking(&state, move |s| me_of(s, &caller)).await.map(Json)
}

fn check_settings(n: &NotificationSettings) -> Result<(), Problem> {
    if n.daily_budget > 100 {
        return Err(Problem::invalid(
            "notifications.dailyBudget",
            "At most 100 a day",
        ));
    }
    match (n.quiet_start, n.quiet_end) {
        (None, None) => Ok(()),
        (Some(a), Some(b)) if a < 1440 && b < 1440 => Ok(()),
        (Some(_), Some(_)) => Err(Problem::invalid(
            "notifications.quietStart",
            "Quiet hours are minutes of the day, 0 to 1439",
        )),
        _ => Err(Problem::invalid(
            "notifications.quietEnd",
            "Give both ends of the quiet hours, or neither",
        )),
    }
}

/// `PUT /v1/me/settings`
pub async fn update_settings(
    State(state): State<AppRef>,
    caller: Caller,
    ApiJson(req): ApiJson<SettingsUpdate>,
) -> Result<Json<Me>, Problem> {
    let sizes = req.sizes.as_deref().map(clean_sizes).transpose()?;
    if let Some(n) = &req.notifications {
        check_settings(n)?;
    }
    blocking(&state, move |s| {
        s.store.write(|tx| -> Result<(), Problem> {
            if let Some(sizes) = &sizes {
                tx.set_sizes(&caller.user_id, sizes)?;
            }
            if let Some(n) = &req.notifications {
                tx.set_notification_settings(&caller.user_id, n)?;
            }
            Ok(())
        })?;
        me_of(s, &caller)
    })
    .await
    .map(Json)
}
