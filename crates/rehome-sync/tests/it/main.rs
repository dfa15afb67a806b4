//! Integration tests: the real server in-process, real SQLite, real faults.
mod bulk;
mod crash;
mod devices;
mod faults;
mod hostile;
mod keychain;
mod proxy;
mod pull_pages;
mod retry;
mod status_conflicts;
mod support;
mod sync;
