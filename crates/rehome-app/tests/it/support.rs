//! What the facade's tests share: a private gnome-keyring on its own D-Bus
//! session bus (the token goes to a real Secret Service), a real server that
//! can be stopped and started again on the same port. JPEGs come from
//! rehome-testkit's `photos`.

use rehome_server::{RunningServer, ServerConfig};
use rehome_testkit::PrivateKeyring;
use std::net::SocketAddr;

/// A private session bus with an unlocked gnome-keyring for this test
/// process (rehome-testkit's `PrivateKeyring`), started once;
/// `DBUS_SESSION_BUS_ADDRESS` points at it. It ends when the process exits.
pub fn private_keyring() {
    // SAFETY: called before the test starts its runtime or any thread
    // that reads the environment (each test is its own process under
    // nextest; under `cargo test` only the first call sets the variable).
    unsafe { PrivateKeyring::for_this_process() };
}

/// The real server, in this process, on a port it keeps across a stop and a
/// start (the device's account names that address).
pub struct RestartableServer {
    pub addr: SocketAddr,
    server: RunningServer,
    dir: tempfile::TempDir,
}

impl RestartableServer {
    pub async fn start() -> RestartableServer {
        let dir = tempfile::tempdir().unwrap();
        let server = rehome_server::spawn(ServerConfig::for_tests(dir.path()))
            .await
            .unwrap();
        RestartableServer {
            addr: server.addr,
            server,
            dir,
        }
    }

    pub fn url(&self) -> String {
        self.server.base_url()
    }

    /// Stops accepting and waits until the server is down.
    pub async fn stop(&mut self) {
        self.server.stop_for_now().await.unwrap();
    }

    /// Serves again on the same port and data.
    pub async fn restart(&mut self) {
        self.server.start_again().await.unwrap();
    }

    /// Ends `handle`'s session on the server with the token this device's
    /// keychain holds, as a sign-out on another device would.
    pub async fn revoke_session(&self, handle: &str) {
        let token = rehome_sync::keychain::load_token(&self.url(), handle).unwrap();
        let http = rehome_client::Client::new()
            .unwrap()
            .server(&self.url())
            .unwrap();
        let request = http
            .request(rehome_client::Method::POST, "/v1/auth/sign-out")
            .bearer_auth(token);
        let reply = http.send(request, 1 << 20).await.unwrap();
        assert!(reply.is_success(), "{}", reply.status());
    }

    /// A read-only look at the server's database.
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open_with_flags(
            self.dir.path().join("rehome.sqlite3"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap()
    }
}
