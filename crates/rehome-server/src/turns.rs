//! Turns at expensive work: password hashing (argon2, about 19 MiB and a
//! core's worth of time each) and photo decoding (up to the pixel limit × 3
//! bytes each). Only so many run at once; a request waits a little for a
//! turn, then is answered 503 with `Retry-After`, naming the limit.

use crate::problem::Problem;
use axum::http::StatusCode;
use rehome_model::ErrorCode;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub struct Turns {
    permits: Arc<Semaphore>,
    at_once: u32,
    wait: Duration,
    /// The limit's name (its flag), for the refusal's `field`.
    limit: &'static str,
    /// What the server is too busy doing, for the refusal's detail.
    work: &'static str,
}

/// A turn; the next waiter's when dropped.
pub struct Turn(#[allow(dead_code)] OwnedSemaphorePermit);

impl Turns {
    pub fn new(at_once: usize, wait_ms: u64, limit: &'static str, work: &'static str) -> Self {
        let at_once = at_once.clamp(1, 1 << 16) as u32;
        Self {
            permits: Arc::new(Semaphore::new(at_once as usize)),
            at_once,
            wait: Duration::from_millis(wait_ms),
            limit,
            work,
        }
    }

    /// Waits for a turn; a 503 problem with `Retry-After` when none comes in
    /// time.
    pub async fn take(&self) -> Result<Turn, Problem> {
        match tokio::time::timeout(self.wait, self.permits.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(Turn(permit)),
            _ => Err(Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::RateLimited,
                format!(
                    "The server is {} for too many requests at once; try again in a second",
                    self.work
                ),
            )
            .with_field(self.limit)
            .retry_after(1)),
        }
    }

    /// Takes every turn there is (what a flood does), until dropped: for
    /// tests and the abuse benchmark.
    pub async fn take_all(&self) -> Option<OwnedSemaphorePermit> {
        self.permits
            .clone()
            .acquire_many_owned(self.at_once)
            .await
            .ok()
    }
}
