//! Integration tests: the real server in-process, real SQLite, real faults.
mod faults;
mod proxy;
mod support;
mod sync;
