//! Named crash points of the sync engine for the crash tests, compiled in
//! only with the `failpoints` feature.
//!
//! `REHOME_SYNC_FAILPOINT=NAME@N` makes the process stop the N-th time it
//! reaches point NAME: it prints `FAILPOINT NAME` on stdout and sleeps, so the
//! parent test can SIGKILL it exactly there.

/// Every point, in the order a sync reaches them.
pub const POINTS: &[&str] = &[
    // Kill points of the test child itself: after a local edit committed.
    "local:after_commit",
    // The batch is claimed from the outbox; the push is about to go out.
    "push:claimed",
    // The server committed and answered; nothing recorded here yet.
    "push:server_committed",
    // Outcomes recorded; the outbox rows not deleted yet.
    "push:before_outbox_delete",
    // A chunk reached the server; its progress not recorded here yet.
    "upload:mid_chunks",
    // The upload finished; its AttachPhoto not pushed yet.
    "upload:before_attach",
    // The pull's answer arrived; not applied yet.
    "pull:before_apply",
];

#[cfg(feature = "failpoints")]
pub fn hit(name: &str) {
    use std::io::Write;
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static TARGET: OnceLock<Option<(String, u64)>> = OnceLock::new();
    static HITS: AtomicU64 = AtomicU64::new(0);
    let target = TARGET.get_or_init(|| {
        let spec = std::env::var("REHOME_SYNC_FAILPOINT").ok()?;
        let (point, n) = spec.split_once('@')?;
        Some((point.to_owned(), n.parse().ok()?))
    });
    if let Some((point, n)) = target
        && point == name
        && HITS.fetch_add(1, Ordering::SeqCst) + 1 == *n
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "FAILPOINT {name}");
        let _ = out.flush();
        loop {
            std::thread::sleep(std::time::Duration::from_secs(60));
        }
    }
}

#[cfg(not(feature = "failpoints"))]
#[inline(always)]
pub fn hit(_name: &str) {}
