//! What the facade's tests share: a private gnome-keyring on its own D-Bus
//! session bus (the token goes to a real Secret Service), a real server that
//! can be stopped and started again on the same port, and camera-like JPEGs.

use rehome_server::ServerConfig;
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

/// How to stop the serving task, and the task.
type Serving = (
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<Result<(), rehome_server::ServerError>>,
);

/// The real server, in this process, on a port it keeps across a stop and a
/// start (the device's account names that address).
pub struct RestartableServer {
    pub addr: SocketAddr,
    dir: tempfile::TempDir,
    running: Option<Serving>,
}

impl RestartableServer {
    pub async fn start() -> RestartableServer {
        let dir = tempfile::tempdir().unwrap();
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let mut server = RestartableServer {
            addr,
            dir,
            running: None,
        };
        server.serve(listener).await;
        server
    }

    fn config(&self) -> ServerConfig {
        let mut config = ServerConfig::new(self.dir.path());
        config.warm_demo_photos = false;
        config.password_cost = rehome_server::auth::PasswordCost::for_tests();
        config
    }

    async fn serve(&mut self, listener: tokio::net::TcpListener) {
        let config = self.config();
        let app = tokio::task::spawn_blocking(move || rehome_server::App::open(config))
            .await
            .unwrap()
            .unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(rehome_server::serve(app, listener, async move {
            let _ = stopped.await;
        }));
        self.running = Some((stop, task));
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting and waits until the server is down.
    pub async fn stop(&mut self) {
        if let Some((stop, task)) = self.running.take() {
            let _ = stop.send(());
            task.await.unwrap().unwrap();
        }
    }

    /// Serves again on the same port and data.
    pub async fn restart(&mut self) {
        let listener = tokio::net::TcpListener::bind(self.addr).await.unwrap();
        self.serve(listener).await;
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

/// A JPEG that compresses like a photo, different for every seed.
pub fn photo_jpeg(seed: u64, w: u16, h: u16) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut pixels = Vec::with_capacity(w as usize * h as usize * 3);
    for y in 0..h as u32 {
        for x in 0..w as u32 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let noise = (state & 0x1f) as u32;
            pixels.extend_from_slice(&[
                ((x / 3 + noise) & 0xff) as u8,
                ((y / 2 + noise) & 0xff) as u8,
                (((x + y) / 5 + seed as u32) & 0xff) as u8,
            ]);
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 85)
        .encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}
