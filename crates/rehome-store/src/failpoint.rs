//! Named crash points for the crash tests, compiled in only with the
//! `failpoints` feature (the crate's own tests turn it on; rehome-sync's
//! `failpoints` feature turns it on too and names its own points).
//!
//! `REHOME_FAILPOINT=NAME@N` (read once) makes the process stop at the N-th time
//! it reaches point NAME: it prints `FAILPOINT NAME` on stdout and sleeps, so the
//! parent test can SIGKILL it exactly there. Without the feature, `hit` is empty.

/// Every point of the store, in the order an edit reaches them.
pub const POINTS: &[&str] = &[
    "edit:begun",
    "edit:after_draft_row",
    "edit:before_commit",
    "edit:after_commit",
    "photo:after_temp_write",
    "photo:after_fsync",
    "photo:after_rename",
    "migration:before_commit",
    "bulk:begun",
    "bulk:row_written",
    "bulk:before_commit",
    "bulk:after_commit",
];

/// Stops the process here if `REHOME_FAILPOINT` names this point and hit.
#[cfg(feature = "failpoints")]
pub fn hit(name: &str) {
    use std::io::Write;
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static TARGET: OnceLock<Option<(String, u64)>> = OnceLock::new();
    static HITS: AtomicU64 = AtomicU64::new(0);
    let target = TARGET.get_or_init(|| {
        let spec = std::env::var("REHOME_FAILPOINT").ok()?;
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
