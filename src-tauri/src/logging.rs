//! `tracing` to a daily-rolling file in the app's log dir (and stderr in debug builds).

use std::path::Path;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::prelude::*;

/// Keeps the log writer alive; dropping it flushes the file.
pub struct LogGuard(#[allow(dead_code)] Option<WorkerGuard>);

pub fn init(dir: &Path) -> LogGuard {
    let filter = || {
        tracing_subscriber::EnvFilter::try_from_env("REHOME_LOG").unwrap_or_else(|_| "info".into())
    };
    let stderr = cfg!(debug_assertions)
        .then(|| tracing_subscriber::fmt::layer().with_writer(std::io::stderr));
    let (file, guard) = match std::fs::create_dir_all(dir) {
        Ok(()) => {
            let appender = tracing_appender::rolling::Builder::new()
                .rotation(tracing_appender::rolling::Rotation::DAILY)
                .filename_prefix("rehome")
                .filename_suffix("log")
                .max_log_files(7)
                .build(dir);
            match appender {
                Ok(appender) => {
                    let (writer, guard) = tracing_appender::non_blocking(appender);
                    (
                        Some(
                            tracing_subscriber::fmt::layer()
                                .with_ansi(false)
                                .with_writer(writer),
                        ),
                        Some(guard),
                    )
                }
                Err(e) => {
                    eprintln!("rehome: no log file in {}: {e}", dir.display());
                    (None, None)
                }
            }
        }
        Err(e) => {
            eprintln!("rehome: cannot create the log dir {}: {e}", dir.display());
            (None, None)
        }
    };
    let _ = tracing_subscriber::registry()
        .with(file.with_filter(filter()))
        .with(stderr.with_filter(filter()))
        .try_init();
    LogGuard(guard)
}
