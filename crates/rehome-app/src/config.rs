use std::path::PathBuf;

/// The app's identifier: the folder name under the platform's data, cache and
/// log directories. Matches `identifier` in tauri.conf.json, so the CLI and the
/// app share one store.
pub const APP_IDENTIFIER: &str = "app.rehome";

/// The marketplace server used when none is configured: the reference server
/// started locally by `cargo xtask run`.
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:8787";

/// Where the app keeps its data and which server it talks to.
#[derive(Clone, Debug)]
pub struct AppConfig {
    /// Drafts, outbox and sync state: must survive anything.
    pub data_dir: PathBuf,
    /// Downloaded photos and feed pages: can be rebuilt from the server.
    pub cache_dir: PathBuf,
    /// The marketplace server's base URL, without a trailing slash.
    pub server: String,
    /// Where photo originals go when the seller asks to keep them.
    pub originals_dir: PathBuf,
    /// Which servers' certificates to trust beyond the OS's roots
    /// (`REHOME_CA_FILE`).
    pub tls: rehome_client::TlsOptions,
    /// Where a session token kept in a plain file is (the CLI's opt-in
    /// `--token-store file`): read when present, removed at sign-out. `None`
    /// in the app, which keeps the keychain only.
    pub token_file: Option<PathBuf>,
    /// A session token given from outside (the CLI's `REHOME_TOKEN`), used
    /// instead of any kept one. `None` in the app.
    pub token: Option<SessionToken>,
}

/// A session token. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The bearer token itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(…)")
    }
}

impl AppConfig {
    /// Data in `$XDG_DATA_HOME/app.rehome`, cache in `$XDG_CACHE_HOME/app.rehome`
    /// (or the platform's equivalents); the server from `REHOME_SERVER`, an
    /// extra CA from `REHOME_CA_FILE`.
    pub fn platform_default() -> Self {
        let data_dir = dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join(APP_IDENTIFIER);
        let cache_dir = dirs::cache_dir()
            .unwrap_or_else(|| data_dir.join("cache"))
            .join(APP_IDENTIFIER);
        Self::new(data_dir, cache_dir, None)
    }

    /// A config rooted in one folder (`--data DIR`): data in DIR, cache in DIR/cache.
    pub fn in_dir(dir: PathBuf, server: Option<String>) -> Self {
        let cache_dir = dir.join("cache");
        Self::new(dir, cache_dir, server)
    }

    /// [`AppConfig::in_dir`] with a server address nothing listens on
    /// (discard port 9): for unit tests that must never reach a server.
    #[cfg(test)]
    pub(crate) fn offline_in(dir: &std::path::Path) -> Self {
        Self::in_dir(dir.to_owned(), Some("http://127.0.0.1:9".into()))
    }

    pub fn new(data_dir: PathBuf, cache_dir: PathBuf, server: Option<String>) -> Self {
        let server = server
            .or_else(|| std::env::var("REHOME_SERVER").ok())
            .unwrap_or_else(|| DEFAULT_SERVER.to_owned());
        Self {
            originals_dir: data_dir.join("originals"),
            data_dir,
            cache_dir,
            server: server.trim_end_matches('/').to_owned(),
            tls: rehome_client::TlsOptions::from_env(),
            token_file: None,
            token: None,
        }
    }
}
