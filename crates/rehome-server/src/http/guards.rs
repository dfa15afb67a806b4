//! The router's outer layers: a limit on requests in flight, an idle
//! timeout on every request body, and `nosniff` on every answer.

use super::support::AppRef;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::time::Duration;

/// At most `limits.max_concurrent_requests` requests in flight; one more
/// waits `limits.request_wait_ms` for a turn, then gets a 503 with
/// `Retry-After`.
pub(super) async fn one_of_a_few(
    State(state): State<AppRef>,
    req: Request,
    next: Next,
) -> Response {
    match state.requests.take().await {
        Ok(turn) => {
            let res = next.run(req).await;
            drop(turn);
            res
        }
        Err(p) => p.into_response(),
    }
}

/// A request body that stops sending for `limits.body_idle_timeout_ms` ends
/// in an error (what the handler sees as a cut connection), so a trickle
/// cannot hold a request, or an upload's lock, for ever.
pub(super) async fn idle_bodies_end(
    State(state): State<AppRef>,
    req: Request,
    next: Next,
) -> Response {
    let idle = Duration::from_millis(state.limits.body_idle_timeout_ms);
    next.run(req.map(|body| with_idle_timeout(body, idle)))
        .await
}

fn with_idle_timeout(body: Body, idle: Duration) -> Body {
    let chunks = body.into_data_stream();
    Body::from_stream(futures_util::stream::unfold(
        Some(chunks),
        move |chunks| async move {
            let mut chunks = chunks?;
            match tokio::time::timeout(idle, chunks.next()).await {
                Ok(Some(chunk)) => Some((chunk, Some(chunks))),
                Ok(None) => None,
                Err(_) => Some((
                    Err(axum::Error::new(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the request body stopped arriving",
                    ))),
                    None,
                )),
            }
        },
    ))
}

/// Every answer says its `Content-Type` is the truth: a browser never
/// guesses that uploaded bytes are HTML or script.
pub(super) async fn no_sniffing(mut res: Response) -> Response {
    res.headers_mut().insert(
        axum::http::header::X_CONTENT_TYPE_OPTIONS,
        axum::http::HeaderValue::from_static("nosniff"),
    );
    res
}
