//! A fault-injecting HTTP/1.1 TCP proxy for tests (feature `test-support`).
//!
//! It listens on 127.0.0.1:0 and forwards to a real server. It understands just
//! enough HTTP/1.1 to find where each request and response ends
//! (`Content-Length`; chunked bodies are passed through without faults), so it
//! can decide a fault **per request** on keep-alive connections. Each decision
//! comes from a seeded RNG (splitmix64 over the seed and the request's number),
//! so a seed names a fault sequence.
//!
//! The faults ([`Fault`]):
//! - `Drop`: the client's connection is closed; the request never reaches the server;
//! - `DropReply`: the request reaches the server, which answers, but the client's
//!   connection is closed before the answer (the "server committed, client never
//!   heard" case);
//! - `Delay`: the request is held up to `max_delay_ms` before forwarding;
//! - `Duplicate`: the same request bytes are also sent on a second upstream
//!   connection (a replay the client never made), whose answer is discarded;
//! - `CutRequest`: only part of the request body reaches the server, then both
//!   connections are closed;
//! - `CutResponse`: the server answers in full, but only part of the answer
//!   reaches the client, then both connections are closed;
//! - `Status502` / `Status503`: the proxy answers itself; the server never hears;
//! - `CaptivePortal`: the proxy answers itself as a hotel or café network's
//!   sign-in page does: `403 Forbidden`, an HTML page;
//! - `EndlessReply`: the proxy answers itself `200 OK`, `application/json`,
//!   chunked, with no `Content-Length` and a body that never ends (JSON
//!   whitespace, until the client hangs up).
//!
//! [`FaultPlan::on_paths`] limits the faults to requests whose path starts
//! with a prefix (the others pass).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

mod framing;

use framing::{Message, header, is_head_request, read_message, request_path, response_has_no_body};

/// One thing the proxy can do to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fault {
    Pass,
    Drop,
    DropReply,
    Delay,
    Duplicate,
    CutRequest,
    CutResponse,
    Status502,
    Status503,
    CaptivePortal,
    EndlessReply,
}

impl Fault {
    pub const ALL: [Fault; 11] = [
        Fault::Pass,
        Fault::Drop,
        Fault::DropReply,
        Fault::Delay,
        Fault::Duplicate,
        Fault::CutRequest,
        Fault::CutResponse,
        Fault::Status502,
        Fault::Status503,
        Fault::CaptivePortal,
        Fault::EndlessReply,
    ];

    /// The faults of a network between us and our server, which
    /// [`FaultPlan::mixed`] draws from (the proxy's own replies that stand in
    /// for someone else's server are only given on purpose).
    pub const NETWORK: [Fault; 8] = [
        Fault::Drop,
        Fault::DropReply,
        Fault::Delay,
        Fault::Duplicate,
        Fault::CutRequest,
        Fault::CutResponse,
        Fault::Status502,
        Fault::Status503,
    ];

    fn index(self) -> usize {
        Fault::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }
}

/// How often each fault happens: weights out of their sum (with `Pass`).
#[derive(Clone, Debug)]
pub struct FaultPlan {
    pub seed: u64,
    /// `(fault, weight)`; `Pass` gets whatever weight it is given here.
    pub weights: Vec<(Fault, u32)>,
    pub max_delay_ms: u64,
    /// Exact faults for given request numbers (counted from 0 over the
    /// proxy's life); these win over `weights`.
    pub script: Vec<(u64, Fault)>,
    /// When not empty, only requests whose path starts with one of these
    /// get a fault; the others pass.
    pub paths: Vec<String>,
}

impl FaultPlan {
    /// No faults at all.
    pub fn clean() -> Self {
        Self {
            seed: 0,
            weights: vec![(Fault::Pass, 1)],
            max_delay_ms: 0,
            script: Vec::new(),
            paths: Vec::new(),
        }
    }

    /// Request `n` gets `fault` for each `(n, fault)`; every other request passes.
    pub fn scripted(script: Vec<(u64, Fault)>) -> Self {
        Self {
            script,
            ..Self::clean()
        }
    }

    /// Every request gets `fault`.
    pub fn always(fault: Fault, seed: u64) -> Self {
        Self {
            seed,
            weights: vec![(fault, 1)],
            max_delay_ms: 200,
            script: Vec::new(),
            paths: Vec::new(),
        }
    }

    /// Faults only for requests whose path starts with one of `prefixes`.
    pub fn on_paths(mut self, prefixes: &[&str]) -> Self {
        self.paths = prefixes.iter().map(|p| p.to_string()).collect();
        self
    }

    /// A mix: `percent` of requests get one of the [`Fault::NETWORK`] faults, evenly.
    pub fn mixed(seed: u64, percent: u32) -> Self {
        let faults = &Fault::NETWORK;
        let each = percent.max(1);
        let mut weights = vec![(Fault::Pass, (100 - percent.min(100)) * faults.len() as u32)];
        weights.extend(faults.iter().map(|f| (*f, each)));
        Self {
            seed,
            weights,
            max_delay_ms: 150,
            script: Vec::new(),
            paths: Vec::new(),
        }
    }

    /// The fault for request number `n` (and a second draw for its parameters).
    pub fn decide(&self, n: u64) -> (Fault, u64) {
        let r1 = splitmix(self.seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let r2 = splitmix(r1);
        if let Some((_, f)) = self.script.iter().find(|(at, _)| *at == n) {
            return (*f, r2);
        }
        let total: u64 = self.weights.iter().map(|(_, w)| u64::from(*w)).sum();
        if total == 0 {
            return (Fault::Pass, r2);
        }
        let mut pick = r1 % total;
        for (fault, w) in &self.weights {
            if pick < u64::from(*w) {
                return (*fault, r2);
            }
            pick -= u64::from(*w);
        }
        (Fault::Pass, r2)
    }
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

struct Shared {
    upstream: SocketAddr,
    plan: std::sync::Mutex<FaultPlan>,
    faults_on: AtomicBool,
    next_request: AtomicU64,
    counts: [AtomicU64; Fault::ALL.len()],
    upstream_request_bytes: AtomicU64,
}

/// A running proxy. Dropping it stops accepting (open connections end when
/// their peers close).
pub struct FaultProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultProxy {
    /// Starts a proxy to `upstream` on 127.0.0.1 at a free port.
    pub async fn start(upstream: SocketAddr, plan: FaultPlan) -> std::io::Result<FaultProxy> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            upstream,
            plan: std::sync::Mutex::new(plan),
            faults_on: AtomicBool::new(true),
            next_request: AtomicU64::new(0),
            counts: Default::default(),
            upstream_request_bytes: AtomicU64::new(0),
        });
        let accept_shared = shared.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let _ = client.set_nodelay(true);
                tokio::spawn(serve_connection(client, accept_shared.clone()));
            }
        });
        Ok(FaultProxy { addr, shared, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Turns faults off (every request passes) or back on.
    pub fn set_faults(&self, on: bool) {
        self.shared.faults_on.store(on, Ordering::SeqCst);
    }

    /// Replaces the fault plan (request numbering continues).
    pub fn set_plan(&self, plan: FaultPlan) {
        *self.shared.plan.lock().unwrap_or_else(|p| p.into_inner()) = plan;
    }

    /// How many requests got `fault`.
    pub fn count(&self, fault: Fault) -> u64 {
        self.shared.counts[fault.index()].load(Ordering::SeqCst)
    }

    /// Every fault with its count.
    pub fn counts(&self) -> Vec<(Fault, u64)> {
        Fault::ALL.iter().map(|f| (*f, self.count(*f))).collect()
    }

    /// Request bytes written upstream (duplicates included).
    pub fn upstream_request_bytes(&self) -> u64 {
        self.shared.upstream_request_bytes.load(Ordering::SeqCst)
    }
}

async fn forward(
    upstream: &mut TcpStream,
    up_buf: &mut Vec<u8>,
    request: &Message,
    shared: &Shared,
) -> std::io::Result<Message> {
    let bytes = request.bytes();
    upstream.write_all(&bytes).await?;
    shared
        .upstream_request_bytes
        .fetch_add(bytes.len() as u64, Ordering::SeqCst);
    let was_head = is_head_request(&request.head);
    read_message(upstream, up_buf, |h| response_has_no_body(was_head, h))
        .await?
        .ok_or_else(|| std::io::ErrorKind::UnexpectedEof.into())
}

async fn serve_connection(mut client: TcpStream, shared: Arc<Shared>) {
    let _ = serve_connection_inner(&mut client, &shared).await;
    let _ = client.shutdown().await;
}

async fn serve_connection_inner(
    client: &mut TcpStream,
    shared: &Arc<Shared>,
) -> std::io::Result<()> {
    let mut upstream: Option<TcpStream> = None;
    let mut client_buf = Vec::new();
    let mut up_buf = Vec::new();
    loop {
        let Some(request) = read_message(client, &mut client_buf, |_| false).await? else {
            return Ok(());
        };
        let n = shared.next_request.fetch_add(1, Ordering::SeqCst);
        let (fault, r) = if shared.faults_on.load(Ordering::SeqCst) {
            let plan = shared
                .plan
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone();
            let path = request_path(&request.head);
            if plan.paths.is_empty() || plan.paths.iter().any(|p| path.starts_with(p.as_str())) {
                let (f, r) = plan.decide(n);
                (f, r % (plan.max_delay_ms + 1))
            } else {
                (Fault::Pass, 0)
            }
        } else {
            (Fault::Pass, 0)
        };
        shared.counts[fault.index()].fetch_add(1, Ordering::SeqCst);
        match fault {
            Fault::Drop => return Ok(()),
            Fault::Status502 | Fault::Status503 => {
                let line = if fault == Fault::Status502 {
                    "502 Bad Gateway"
                } else {
                    "503 Service Unavailable"
                };
                let body = format!("fault proxy: {line}");
                let res = format!(
                    "HTTP/1.1 {line}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                client.write_all(res.as_bytes()).await?;
                return Ok(());
            }
            Fault::CaptivePortal => {
                let body = "<!DOCTYPE html><html><head><title>Welcome</title></head>\
                            <body><h1>Sign in to use this network</h1>\
                            <form action=\"/login\" method=\"post\"><button>Accept and connect</button></form>\
                            </body></html>";
                let res = format!(
                    "HTTP/1.1 403 Forbidden\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                client.write_all(res.as_bytes()).await?;
                return Ok(());
            }
            Fault::EndlessReply => {
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                client.write_all(head.as_bytes()).await?;
                // 64 KiB chunks of JSON whitespace until the client hangs up.
                let chunk = format!("10000\r\n{}\r\n", " ".repeat(0x10000));
                loop {
                    client.write_all(chunk.as_bytes()).await?;
                }
            }
            _ => {}
        }
        if upstream.is_none() {
            let s = TcpStream::connect(shared.upstream).await?;
            let _ = s.set_nodelay(true);
            upstream = Some(s);
            up_buf.clear();
        }
        let Some(up) = upstream.as_mut() else {
            return Ok(());
        };
        match fault {
            Fault::Delay => {
                tokio::time::sleep(Duration::from_millis(r)).await;
            }
            Fault::Duplicate => {
                let copy = request.bytes();
                let target = shared.upstream;
                let counter = shared.clone();
                // The replay runs to completion on its own connection; its
                // answer is read and thrown away.
                let replay = tokio::spawn(async move {
                    let mut s = TcpStream::connect(target).await?;
                    s.write_all(&copy).await?;
                    counter
                        .upstream_request_bytes
                        .fetch_add(copy.len() as u64, Ordering::SeqCst);
                    let mut sink = Vec::new();
                    let was_head = is_head_request(&copy);
                    read_message(&mut s, &mut sink, |h| response_has_no_body(was_head, h)).await?;
                    Ok::<(), std::io::Error>(())
                });
                // Half the time the replay lands first.
                if r % 2 == 0 {
                    let _ = replay.await;
                }
            }
            Fault::CutRequest => {
                let cut = if request.body.is_empty() {
                    0
                } else {
                    (r as usize) % request.body.len()
                };
                up.write_all(&request.head).await?;
                up.write_all(&request.body[..cut]).await?;
                shared
                    .upstream_request_bytes
                    .fetch_add((request.head.len() + cut) as u64, Ordering::SeqCst);
                up.flush().await?;
                // Give the server a moment to read the partial body before the cut.
                tokio::time::sleep(Duration::from_millis(20)).await;
                let _ = up.shutdown().await;
                return Ok(());
            }
            _ => {}
        }
        let response = forward(up, &mut up_buf, &request, shared).await?;
        match fault {
            Fault::DropReply => return Ok(()),
            Fault::CutResponse => {
                let bytes = response.bytes();
                let cut = (r as usize) % bytes.len().max(1);
                client.write_all(&bytes[..cut]).await?;
                client.flush().await?;
                return Ok(());
            }
            _ => {
                client.write_all(&response.bytes()).await?;
                if header(&response.head, "connection")
                    .is_some_and(|v| v.eq_ignore_ascii_case("close"))
                {
                    return Ok(());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::framing::{BodyLen, body_len};
    use super::*;

    #[test]
    fn a_plan_picks_faults_by_weight_and_replays_from_its_seed() {
        let plan = FaultPlan::mixed(9, 40);
        let picks: Vec<Fault> = (0..4000).map(|n| plan.decide(n).0).collect();
        let again: Vec<Fault> = (0..4000).map(|n| plan.decide(n).0).collect();
        assert_eq!(picks, again);
        let passes = picks.iter().filter(|f| **f == Fault::Pass).count();
        // 60 % pass, give or take.
        assert!((2200..2600).contains(&passes), "{passes}");
        for f in &Fault::NETWORK {
            let n = picks.iter().filter(|p| *p == f).count();
            // 40 % spread over 8 faults: about 200 each.
            assert!((120..300).contains(&n), "{f:?}: {n}");
        }
        let other: Vec<Fault> = (0..4000)
            .map(|n| FaultPlan::mixed(10, 40).decide(n).0)
            .collect();
        assert_ne!(picks, other);
    }

    #[test]
    fn heads_and_lengths_are_parsed() {
        let head = b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: close\r\n\r\n";
        assert_eq!(header(head, "content-length"), Some("12"));
        assert_eq!(header(head, "CONNECTION"), Some("close"));
        assert!(matches!(body_len(head, false, false), BodyLen::Exactly(12)));
        assert!(matches!(body_len(head, true, false), BodyLen::Exactly(0)));
        assert!(matches!(
            body_len(b"HEAD / HTTP/1.1\r\n\r\n", false, true),
            BodyLen::Exactly(0)
        ));
        assert!(matches!(
            body_len(b"HTTP/1.1 200 OK\r\n\r\n", false, false),
            BodyLen::Unframed
        ));
        assert!(response_has_no_body(
            false,
            b"HTTP/1.1 204 No Content\r\n\r\n"
        ));
        assert!(!response_has_no_body(false, b"HTTP/1.1 200 OK\r\n\r\n"));
        assert!(response_has_no_body(true, b"HTTP/1.1 200 OK\r\n\r\n"));
        assert!(matches!(
            body_len(
                b"POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n",
                false,
                true
            ),
            BodyLen::Unframed
        ));
    }
}
