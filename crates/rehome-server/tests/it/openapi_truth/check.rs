//! The machinery of `openapi_truth`: a request, what it must get, and the
//! check that the document lists it.

use crate::support::TestServer;
use serde_json::Value;

#[derive(Clone, Copy)]
pub(super) enum Auth {
    None,
    Good,
    Bad,
}

pub(super) enum Body {
    None,
    Json(Value),
    Raw(&'static str, Vec<u8>),
}

/// One request: `method` and `template` name the operation in the document,
/// `path` is the concrete URL path.
pub(super) struct Case {
    pub(super) method: &'static str,
    pub(super) template: &'static str,
    pub(super) path: String,
    pub(super) auth: Auth,
    pub(super) token: Option<String>,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) body: Body,
    pub(super) status: u16,
}

pub(super) fn case(
    method: &'static str,
    template: &'static str,
    path: impl Into<String>,
    status: u16,
) -> Case {
    Case {
        method,
        template,
        path: path.into(),
        auth: Auth::None,
        token: None,
        headers: Vec::new(),
        body: Body::None,
        status,
    }
}

impl Case {
    pub(super) fn authed(mut self) -> Self {
        self.auth = Auth::Good;
        self
    }
    pub(super) fn bad_token(mut self) -> Self {
        self.auth = Auth::Bad;
        self
    }
    pub(super) fn token(mut self, token: &str) -> Self {
        self.token = Some(token.to_owned());
        self
    }
    pub(super) fn json(mut self, v: Value) -> Self {
        self.body = Body::Json(v);
        self
    }
    pub(super) fn raw(mut self, content_type: &'static str, bytes: impl Into<Vec<u8>>) -> Self {
        self.body = Body::Raw(content_type, bytes.into());
        self
    }
    pub(super) fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
    pub(super) fn expect(mut self, status: u16) -> Self {
        self.status = status;
        self
    }
    /// The tus version header every tus request but OPTIONS needs.
    pub(super) fn tus(self) -> Self {
        self.header("tus-resumable", "1.0.0")
    }
}

pub(super) struct Checker<'a> {
    pub(super) t: &'a TestServer,
    pub(super) doc: Value,
    pub(super) token: String,
    pub(super) failures: Vec<String>,
    pub(super) checked: usize,
}

impl Checker<'_> {
    pub(super) async fn run(&mut self, cases: Vec<Case>) {
        for c in cases {
            self.one(c).await;
        }
    }

    async fn one(&mut self, c: Case) {
        let t = self.t;
        let method = reqwest::Method::from_bytes(c.method.to_uppercase().as_bytes()).unwrap();
        let mut req = t.http.request(method, t.url(&c.path));
        match (&c.token, c.auth) {
            (Some(token), _) => req = req.bearer_auth(token),
            (None, Auth::Good) => req = req.bearer_auth(&self.token),
            (None, Auth::Bad) => req = req.bearer_auth("not-a-session"),
            (None, Auth::None) => {}
        }
        for (name, value) in &c.headers {
            req = req.header(*name, value);
        }
        req = match c.body {
            Body::None => req,
            Body::Json(v) => req.json(&v),
            Body::Raw(ct, bytes) => req.header("content-type", ct).body(bytes),
        };
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let ct = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let text = res.text().await.unwrap_or_default();
        let what = format!("{} {} -> {status}", c.method.to_uppercase(), c.path);
        self.checked += 1;
        if status != c.status {
            self.failures
                .push(format!("{what}, expected {}: {text}", c.status));
            return;
        }
        let documented = &self.doc["paths"][c.template][c.method]["responses"][status.to_string()];
        if documented.is_null() {
            self.failures.push(format!(
                "{what}: the document lists no {status} for {} {}",
                c.method, c.template
            ));
            return;
        }
        if status >= 400 && c.method != "head" {
            if ct != "application/problem+json" {
                self.failures.push(format!("{what}: sent as {ct:?}"));
            }
            if documented["content"]["application/problem+json"].is_null() {
                self.failures.push(format!(
                    "{what}: the document gives {status} no problem+json body"
                ));
            }
        }
    }
}

pub(super) fn param<'a>(doc: &'a Value, path: &str, method: &str, name: &str) -> &'a Value {
    doc["paths"][path][method]["parameters"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .map(|p| &p["schema"])
        .unwrap_or(&Value::Null)
}

pub(super) fn schema<'a>(doc: &'a Value, component: &str) -> &'a Value {
    &doc["components"]["schemas"][component]
}
