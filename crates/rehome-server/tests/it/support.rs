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
    let mut config = ServerConfig::for_tests(dir);
    config.demo = demo;
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

impl TestServer {
    /// Signs up `handle` (password "password1") and returns the bearer token.
    pub async fn sign_up(&self, handle: &str) -> (String, rehome_model::UserId) {
        let res = self
            .http
            .post(self.url("/v1/auth/sign-up"))
            .json(&serde_json::json!({"handle": handle, "password": "password1", "sizes": ["M"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201, "sign-up {handle}");
        let s: rehome_model::api::Session = res.json().await.unwrap();
        (s.token, s.user_id)
    }

    pub async fn sign_in(&self, handle: &str, password: &str) -> reqwest::Response {
        self.http
            .post(self.url("/v1/auth/sign-in"))
            .json(&serde_json::json!({"handle": handle, "password": password}))
            .send()
            .await
            .unwrap()
    }

    pub async fn get_authed(&self, token: &str, path: &str) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_json(
        &self,
        token: Option<&str>,
        path: &str,
        body: &Value,
    ) -> reqwest::Response {
        let mut req = self.http.post(self.url(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }

    /// Pushes `mutations` (id, mutation) as `client` and returns the response.
    pub async fn push(
        &self,
        token: &str,
        client: uuid::Uuid,
        mutations: Vec<(u64, rehome_model::sync::Mutation)>,
    ) -> rehome_model::sync::PushResponse {
        use rehome_model::sync::{ClientId, MutationEnvelope, PushRequest};
        let body = PushRequest {
            client_id: ClientId(client),
            mutations: mutations
                .into_iter()
                .map(|(id, mutation)| MutationEnvelope { id, mutation })
                .collect(),
        };
        let res = self
            .http
            .post(self.url("/v1/sync/push"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "push");
        res.json().await.unwrap()
    }

    pub async fn pull(
        &self,
        token: &str,
        client: uuid::Uuid,
        cookie: Option<String>,
    ) -> rehome_model::sync::PullResponse {
        let res = self
            .http
            .post(self.url("/v1/sync/pull"))
            .bearer_auth(token)
            .json(&serde_json::json!({"clientId": client, "cookie": cookie}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "pull");
        res.json().await.unwrap()
    }
}
