//! How the CLI prints: JSON on stdout, errors as `{"code","message"}` on stderr.

use rehome_model::ApiError;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

pub fn print_json<T: Serialize>(value: &T) -> Result<(), ApiError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| ApiError::new(rehome_model::ErrorCode::Internal, e.to_string()))?;
    print_line(&text)
}

/// Writes one line to stdout. A reader that went away (`rehome … | head`)
/// ends the command quietly, as Unix tools do, instead of a panic; what was
/// saved is already saved (every store write is its own transaction).
pub fn print_line(text: &str) -> Result<(), ApiError> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(ApiError::new(
            rehome_model::ErrorCode::Internal,
            format!("cannot write to stdout: {e}"),
        )),
    }
}

pub fn fail(err: ApiError) -> ExitCode {
    let text = serde_json::to_string(&err)
        .unwrap_or_else(|_| format!("{{\"code\":\"internal\",\"message\":{:?}}}", err.message));
    eprintln!("{text}");
    ExitCode::FAILURE
}

/// A single-threaded runtime for one command's async work.
pub fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, ApiError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            ApiError::new(
                rehome_model::ErrorCode::Internal,
                format!("cannot start the async runtime: {e}"),
            )
        })?;
    Ok(runtime.block_on(future))
}
