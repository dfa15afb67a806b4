//! Integration tests of the facade: the real server on 127.0.0.1, real
//! SQLite files, a real Secret Service for the session token.
mod account;
mod csv;
mod file_pick;
mod hostile;
mod recent_searches;
mod store_handle;
mod support;
mod sync_runner;
mod tls;
