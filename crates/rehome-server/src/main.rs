//! `rehome-server --listen 127.0.0.1:PORT --data DIR [--demo [--demo-listings N]] [--tls-cert FILE --tls-key FILE] [--LIMIT N ...]`

#![forbid(unsafe_code)]

use clap::Parser;
use rehome_server::{App, ServerConfig};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// Rehome's reference marketplace API.
#[derive(Parser, Debug)]
#[command(name = "rehome-server", version)]
struct Args {
    /// Address to listen on; port 0 picks a free port (the real one is printed).
    #[arg(long, default_value = "127.0.0.1:8787")]
    listen: SocketAddr,
    /// Data directory (SQLite database and photo files); created if missing.
    #[arg(long)]
    data: PathBuf,
    /// Seed demo sellers, buyers and listings with photos (idempotent).
    #[arg(long)]
    demo: bool,
    /// With --demo: seed this many live listings (default 60), spread over
    /// sellers, categories, brands, sizes and prices like the first 60; their
    /// photos are drawn on first request.
    #[arg(long, value_name = "N", requires = "demo", default_value_t = rehome_server::demo::DEMO_LISTINGS as u32,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    demo_listings: u32,
    /// Draw each demo photo only when first requested, instead of drawing them
    /// all on a background thread after start-up (spares CPU in tests).
    #[arg(long)]
    lazy_photos: bool,
    /// Terminate TLS here (no proxy in front): the certificate chain, PEM.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The certificate's private key, PEM.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// A reverse proxy in front of this server (repeatable): from it, the
    /// client's address is taken from X-Forwarded-For.
    #[arg(long = "trusted-proxy", value_name = "IP")]
    trusted_proxies: Vec<std::net::IpAddr>,
    #[command(flatten)]
    limits: rehome_server::LimitFlags,
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => {
            let files = rehome_server::tls::TlsFiles {
                cert: cert.clone(),
                key: key.clone(),
            };
            match rehome_server::tls::acceptor(&files) {
                Ok(acceptor) => Some(acceptor),
                Err(e) => {
                    eprintln!("rehome-server: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        _ => None,
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("rehome-server: cannot listen on {}: {e}", args.listen);
            return ExitCode::from(2);
        }
    };
    let mut config = ServerConfig::new(args.data);
    config.demo = args.demo;
    config.demo_listings = args.demo_listings as usize;
    config.warm_demo_photos = !args.lazy_photos;
    config.limits = args.limits.apply(config.limits);
    config.trusted_proxies = args.trusted_proxies;
    let app = match tokio::task::spawn_blocking(move || App::open(config)).await {
        Ok(Ok(app)) => app,
        Ok(Err(e)) => {
            eprintln!("rehome-server: {e}");
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!("rehome-server: start-up failed: {e}");
            return ExitCode::from(1);
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("rehome-server: {e}");
            return ExitCode::from(1);
        }
    };
    {
        let scheme = if tls.is_some() { "https" } else { "http" };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {scheme}://{addr}");
        let _ = out.flush();
    }
    let served = match tls {
        None => rehome_server::serve(app, listener, shutdown_signal()).await,
        Some(acceptor) => match rehome_server::tls::TlsListener::new(listener, acceptor) {
            Ok(listener) => rehome_server::serve(app, listener, shutdown_signal()).await,
            Err(e) => Err(e.into()),
        },
    };
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rehome-server: {e}");
            ExitCode::from(1)
        }
    }
}
