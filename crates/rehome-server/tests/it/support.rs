//! Starting servers and talking to them.

use rehome_server::{RunningServer, ServerConfig};
use serde_json::Value;
use std::sync::Arc;

pub struct TestServer {
    pub server: RunningServer,
    pub http: reqwest::Client,
    // Kept alive for the server's lifetime.
    pub _dir: tempfile::TempDir,
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        let res = self.http.get(self.url(path)).send().await.unwrap();
        let status = res.status().as_u16();
        let body = res.json::<Value>().await.unwrap_or(Value::Null);
        (status, body)
    }
}

pub fn config(dir: &std::path::Path, demo: bool) -> ServerConfig {
    let mut config = ServerConfig::new(dir);
    config.demo = demo;
    config.warm_demo_photos = false;
    config
}

pub async fn start(demo: bool) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    start_with(config(dir.path(), demo), dir).await
}

pub async fn start_with(config: ServerConfig, dir: tempfile::TempDir) -> TestServer {
    let server = rehome_server::spawn(config).await.unwrap();
    TestServer {
        server,
        http: reqwest::Client::new(),
        _dir: dir,
    }
}

#[allow(dead_code)]
pub fn manual_clock(now_ms: i64) -> Arc<rehome_server::ManualClock> {
    Arc::new(rehome_server::ManualClock::new(now_ms))
}

/// Asserts a problem+json response with this status and code.
pub async fn expect_problem(res: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(res.status().as_u16(), status, "status");
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert_eq!(ct, "application/problem+json");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status, "{body}");
    assert_eq!(body["type"], format!("urn:rehome:problem:{code}"));
    assert!(body["title"].is_string() && body["detail"].is_string());
    body
}
