//! Serving connections: HTTP/1.1 through hyper with a header-read timeout,
//! and a shutdown that drains for at most a deadline, then cuts what is
//! left. (The body idle timeout and the limit on requests in flight are
//! the router's outer layers, `http/guards.rs`.)

use crate::{App, AppState, ServerError};
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower::Service;

/// Serves `app` on `listener` (a `TcpListener`, or a [`crate::tls::TlsListener`])
/// until `shutdown` resolves, then drains in-flight requests for at most
/// `limits.shutdown_deadline_ms` and cuts the rest.
pub async fn serve<L>(
    app: App,
    mut listener: L,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError>
where
    L: axum::serve::Listener<Addr = SocketAddr>,
{
    let router = app.router();
    if app.state.warm_demo_photos {
        app.start_demo_warm_up();
    }
    let gc = tokio::spawn(collect_expired_hourly(app.state.clone()));
    let limits = app.state.limits.clone();
    let mut http1 = hyper::server::conn::http1::Builder::new();
    http1
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_millis(limits.header_read_timeout_ms));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut connections = tokio::task::JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (io, peer) = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        // Reap the connections that ended, so the set holds only live ones.
        while connections.try_join_next().is_some() {}
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<_>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            let mut router = router.clone();
            async move { router.call(req.map(Body::new)).await }
        });
        let conn = graceful.watch(http1.serve_connection(TokioIo::new(io), service));
        connections.spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%peer, error = %e, "connection ended");
            }
        });
    }
    drop(listener);
    let deadline = Duration::from_millis(limits.shutdown_deadline_ms);
    if tokio::time::timeout(deadline, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            connections = connections.len(),
            "shutdown deadline passed; cutting the connections left"
        );
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
    gc.abort();
    Ok(())
}

async fn collect_expired_hourly(state: Arc<AppState>) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let s = state.clone();
        let _ = tokio::task::spawn_blocking(move || {
            if let Err(e) = crate::uploads::collect_expired(&s, s.clock.now_ms()) {
                tracing::warn!(error = %e, "collecting expired uploads failed");
            }
        })
        .await;
    }
}
