//! `cargo xtask`: the project's two commands and their helpers.
//!
//! - `cargo xtask run`: install what is missing, build the UI and the shell, start
//!   the reference server in demo mode on 127.0.0.1, open the app window pointed
//!   at it (under Xvfb when there is no display); the server stops with the window.
//! - `cargo xtask test`: install what is missing, then the fmt and clippy gates,
//!   every unit and integration test, and the end-to-end suite.
//!
//! Also: `setup` (installs only), `ui` (builds the UI into src-ui/dist),
//! `size` (the .deb, binary and UI sizes, and what the wasm is made of; `size ui`:
//! the UI alone), `bench` (the benchmarks), `schemathesis` (the server against
//! its OpenAPI document; also part of `test`).

mod cmd;
mod run;
mod schemathesis;
mod size;
mod test;
mod tools;
mod ui;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let rest = args.get(1..).unwrap_or_default();
    let result = match task {
        "setup" => test::ensure_tools(),
        "ui" => ui::build(),
        "run" => run::run(rest),
        "test" => test::test(rest),
        "size" => size::report(rest),
        "bench" => test::bench(rest),
        "schemathesis" => schemathesis::standalone(rest),
        _ => {
            eprintln!("usage: cargo xtask <run|test|setup|ui|size|bench|schemathesis>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask {task}: {e}");
            ExitCode::FAILURE
        }
    }
}
