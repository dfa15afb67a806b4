//! The fault proxy really does each fault. Upstream is a small recording HTTP
//! server (test code for testing test code): it notes every request it sees,
//! with how many body bytes actually arrived, and answers 64 KiB.

use crate::support::client;
use rehome_client::Method;
use rehome_sync::proxy::{Fault, FaultPlan, FaultProxy};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Clone, Debug, PartialEq, Eq)]
struct Seen {
    path: String,
    declared: usize,
    arrived: usize,
    body_hash: u64,
}

#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<Seen>>>);

impl Recorder {
    fn seen(&self) -> Vec<Seen> {
        self.0.lock().unwrap().clone()
    }

    /// Waits until `n` requests have arrived (a replay runs on its own task).
    async fn wait_for(&self, n: usize) -> Vec<Seen> {
        for _ in 0..400 {
            if self.seen().len() >= n {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        self.seen()
    }
}

const REPLY_BYTES: usize = 64 * 1024;

async fn recording_upstream() -> (SocketAddr, Recorder) {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let rec = Recorder::default();
    let r = rec.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let r = r.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                loop {
                    // Head.
                    let head_end = loop {
                        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i + 4;
                        }
                        let mut chunk = [0u8; 8192];
                        match sock.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                    buf.drain(..head_end);
                    let path = head.split(' ').nth(1).unwrap_or("").to_owned();
                    let declared: usize = head
                        .lines()
                        .find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case("content-length")
                                .then(|| v.trim().parse().ok())?
                        })
                        .unwrap_or(0);
                    let mut eof = false;
                    while buf.len() < declared {
                        let mut chunk = [0u8; 8192];
                        match sock.read(&mut chunk).await {
                            Ok(0) | Err(_) => {
                                eof = true;
                                break;
                            }
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let arrived = buf.len().min(declared);
                    let body: Vec<u8> = buf.drain(..arrived).collect();
                    let body_hash = body.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
                    });
                    r.0.lock().unwrap().push(Seen {
                        path,
                        declared,
                        arrived,
                        body_hash,
                    });
                    if eof {
                        return;
                    }
                    let reply = vec![b'x'; REPLY_BYTES];
                    let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {REPLY_BYTES}\r\n\r\n");
                    if sock.write_all(head.as_bytes()).await.is_err()
                        || sock.write_all(&reply).await.is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    (addr, rec)
}

/// What the client got: the status and body length, or an error.
async fn send(proxy: &FaultProxy, path: &str, body_len: usize) -> Result<(u16, usize), String> {
    let http = client(&proxy.base_url());
    let request = http.request(Method::POST, path).body(vec![7u8; body_len]);
    let reply = http
        .send(request, 1 << 20)
        .await
        .map_err(|e| e.to_string())?;
    Ok((reply.status(), reply.body().len()))
}

#[derive(Debug, PartialEq, Eq)]
struct Observed {
    client: Result<(u16, usize), ()>,
    /// (declared, arrived) body bytes per request the upstream saw.
    upstream: Vec<(usize, usize)>,
    counted: u64,
}

async fn observe(fault: Fault, seed: u64, expect_upstream: usize) -> Observed {
    let (up, rec) = recording_upstream().await;
    let proxy = FaultProxy::start(up, FaultPlan::always(fault, seed))
        .await
        .unwrap();
    let client = send(&proxy, "/probe", 100_000).await.map_err(|_| ());
    let seen = rec.wait_for(expect_upstream).await;
    // Nothing more arrives later.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(rec.seen().len(), seen.len(), "{fault:?}: late arrivals");
    if let [a, b] = seen.as_slice() {
        assert_eq!(
            (a.path.as_str(), a.body_hash),
            (b.path.as_str(), b.body_hash),
            "a replay is the same bytes"
        );
    }
    Observed {
        client,
        upstream: seen.iter().map(|s| (s.declared, s.arrived)).collect(),
        counted: proxy.count(fault),
    }
}

#[tokio::test]
async fn each_fault_does_what_it_says() {
    let ok = Ok((200, REPLY_BYTES));
    let whole = (100_000, 100_000);
    let check = |fault: Fault,
                 got: Observed,
                 client: Result<(u16, usize), ()>,
                 upstream: Vec<(usize, usize)>| {
        assert_eq!(got.client, client, "{fault:?}: what the client got");
        assert_eq!(got.upstream, upstream, "{fault:?}: what the server got");
        assert_eq!(got.counted, 1, "{fault:?}: counted");
    };
    check(
        Fault::Pass,
        observe(Fault::Pass, 1, 1).await,
        ok,
        vec![whole],
    );
    check(
        Fault::Delay,
        observe(Fault::Delay, 1, 1).await,
        ok,
        vec![whole],
    );
    check(
        Fault::Drop,
        observe(Fault::Drop, 1, 0).await,
        Err(()),
        vec![],
    );
    check(
        Fault::DropReply,
        observe(Fault::DropReply, 1, 1).await,
        Err(()),
        vec![whole],
    );
    check(
        Fault::Duplicate,
        observe(Fault::Duplicate, 1, 2).await,
        ok,
        vec![whole, whole],
    );
    check(
        Fault::Duplicate,
        observe(Fault::Duplicate, 2, 2).await,
        ok,
        vec![whole, whole],
    );
    check(
        Fault::CutResponse,
        observe(Fault::CutResponse, 3, 1).await,
        Err(()),
        vec![whole],
    );
    check(
        Fault::Status502,
        observe(Fault::Status502, 1, 0).await,
        Ok((502, 28)),
        vec![],
    );
    check(
        Fault::Status503,
        observe(Fault::Status503, 1, 0).await,
        Ok((503, 36)),
        vec![],
    );
}

#[tokio::test]
async fn a_cut_request_delivers_only_part_of_the_body() {
    for seed in 1..6 {
        let got = observe(Fault::CutRequest, seed, 1).await;
        assert_eq!(got.client, Err(()), "seed {seed}");
        let [(declared, arrived)] = got.upstream.as_slice() else {
            panic!("seed {seed}: {got:?}");
        };
        assert_eq!(*declared, 100_000);
        assert!(*arrived < 100_000, "seed {seed}: {arrived} arrived");
    }
}

#[tokio::test]
async fn faults_can_be_switched_off_and_keep_alive_connections_get_one_decision_per_request() {
    let (up, rec) = recording_upstream().await;
    let proxy = FaultProxy::start(up, FaultPlan::mixed(5, 50))
        .await
        .unwrap();
    let http = client(&proxy.base_url());
    let mut failures = 0;
    for i in 0..60 {
        let request = http
            .request(Method::POST, &format!("/n/{i}"))
            .body(vec![1u8; 3000]);
        match http.send(request, 1 << 20).await {
            Ok(r) if r.is_success() => {}
            _ => failures += 1,
        }
    }
    let counts = proxy.counts();
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    assert_eq!(total, 60, "{counts:?}");
    assert!(failures > 5, "{failures} failures: {counts:?}");
    let faulted: u64 = counts
        .iter()
        .filter(|(f, _)| *f != Fault::Pass)
        .map(|(_, n)| n)
        .sum();
    assert!(faulted > 15, "{counts:?}");

    proxy.set_faults(false);
    let before = rec.seen().len();
    for i in 0..20 {
        let r = send(&proxy, &format!("/clean/{i}"), 10).await;
        assert_eq!(r, Ok((200, REPLY_BYTES)));
    }
    assert_eq!(rec.seen().len(), before + 20);
    assert_eq!(proxy.count(Fault::Pass), counts[0].1 + 20);
}

#[tokio::test]
async fn its_own_replies_stand_in_for_someone_elses_server_on_the_paths_asked() {
    let (up, rec) = recording_upstream().await;
    let plan = |fault| FaultPlan::always(fault, 1).on_paths(&["/v1/uploads", "/v1/sync/pull"]);
    let proxy = FaultProxy::start(up, plan(Fault::CaptivePortal))
        .await
        .unwrap();
    let http = client(&proxy.base_url());

    // A captive portal: a 403 sign-in page, nothing reaches the server.
    let portal = http
        .send(http.request(Method::POST, "/v1/uploads"), 1 << 20)
        .await
        .unwrap();
    assert_eq!(portal.status(), 403);
    assert_eq!(
        portal.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(String::from_utf8_lossy(portal.body()).contains("Sign in to use this network"));
    assert_eq!(portal.problem(), None);
    // Other paths pass.
    assert_eq!(send(&proxy, "/probe", 10).await, Ok((200, REPLY_BYTES)));
    assert_eq!(rec.seen().len(), 1, "only /probe reached the server");

    // A reply that never ends is cut by the client at its bound.
    proxy.set_plan(plan(Fault::EndlessReply));
    let endless = http
        .send(http.request(Method::POST, "/v1/sync/pull"), 1 << 20)
        .await
        .unwrap_err();
    assert!(
        endless.to_string().contains("larger than 1048576 bytes"),
        "{endless}"
    );
    assert_eq!(
        (
            proxy.count(Fault::CaptivePortal),
            proxy.count(Fault::EndlessReply)
        ),
        (1, 1)
    );
    assert_eq!(rec.seen().len(), 1);
}
