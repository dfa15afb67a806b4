//! The marketplace server, as the facade talks to it (feed, photos, sign-in,
//! sign-out), over the one client in `rehome-client`. Every reply is bounded
//! in size and checked before use: a hostile or broken server gets a clear
//! [`AppError::BadServerReply`], never a panic or an unbounded allocation.

use crate::AppError;
use rehome_client::{Method, Reply, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Largest JSON reply we read (a feed page is a few KiB).
const MAX_JSON_BYTES: usize = 4 << 20;
/// Largest photo we read (the server caps uploads well below this).
pub(crate) const MAX_PHOTO_BYTES: usize = 24 << 20;

/// One server, as the facade calls it. Cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct ServerClient {
    server: rehome_client::ServerClient,
}

impl ServerClient {
    pub(crate) fn new(client: &rehome_client::Client, base: &str) -> Result<Self, AppError> {
        Ok(Self {
            server: client.server(base)?,
        })
    }

    /// The client under it (for the sync engine's session).
    pub(crate) fn client(&self) -> &rehome_client::ServerClient {
        &self.server
    }

    /// GET a JSON document as the signed-in user when `token` is given
    /// (anonymous otherwise).
    pub(crate) async fn get_json_as<T: DeserializeOwned>(
        &self,
        path_and_query: &str,
        token: Option<&str>,
    ) -> Result<T, AppError> {
        let mut request = self.server.request(Method::GET, path_and_query);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let body = self.read(request, MAX_JSON_BYTES, path_and_query).await?;
        serde_json::from_slice(&body)
            .map_err(|e| self.bad_reply(format!("GET {path_and_query}: {e}")))
    }

    /// PUT `body` as JSON with a bearer token and read a JSON reply.
    pub(crate) async fn put_json_as<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        token: &str,
        body: &B,
    ) -> Result<T, AppError> {
        let request = self
            .server
            .request(Method::PUT, path)
            .bearer_auth(token)
            .json(body);
        let body = self.read(request, MAX_JSON_BYTES, path).await?;
        serde_json::from_slice(&body).map_err(|e| self.bad_reply(format!("PUT {path}: {e}")))
    }

    /// GET raw bytes, at most `limit` of them.
    pub(crate) async fn get_bytes(
        &self,
        path_and_query: &str,
        limit: usize,
    ) -> Result<Vec<u8>, AppError> {
        let request = self.server.request(Method::GET, path_and_query);
        self.read(request, limit, path_and_query).await
    }

    /// Sends `request`; the body of a success, else the refusal.
    async fn read(
        &self,
        request: RequestBuilder,
        limit: usize,
        path_and_query: &str,
    ) -> Result<Vec<u8>, AppError> {
        let reply = self.send(request, limit, path_and_query).await?;
        if reply.is_success() {
            Ok(reply.body().to_vec())
        } else {
            Err(self.refusal(&reply))
        }
    }

    /// POST `body` as JSON and read a JSON reply.
    pub(crate) async fn post_json<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, AppError> {
        let request = self.server.request(Method::POST, path).json(body);
        let reply = self.send(request, MAX_JSON_BYTES, path).await?;
        if !reply.is_success() {
            return Err(self.refusal(&reply));
        }
        Ok(reply.json()?)
    }

    /// POST with a bearer token and no body; the reply's status (its body
    /// as a refusal when it is not a success or `ok_status`).
    pub(crate) async fn post_with_token(
        &self,
        path: &str,
        token: &str,
        ok_status: u16,
    ) -> Result<(), AppError> {
        let request = self.server.request(Method::POST, path).bearer_auth(token);
        let reply = self.send(request, MAX_JSON_BYTES, path).await?;
        if reply.is_success() || reply.status() == ok_status {
            return Ok(());
        }
        Err(self.refusal(&reply))
    }

    async fn send(
        &self,
        request: RequestBuilder,
        limit: usize,
        what: &str,
    ) -> Result<Reply, AppError> {
        self.server
            .send(request, limit)
            .await
            .map_err(|e| match AppError::from(e) {
                AppError::BadServerReply { server, reason } => AppError::BadServerReply {
                    server,
                    reason: format!("{what}: {reason}"),
                },
                other => other,
            })
    }

    pub(crate) fn bad_reply(&self, reason: String) -> AppError {
        AppError::BadServerReply {
            server: self.server.base_url().to_owned(),
            reason,
        }
    }

    /// The server's problem+json as [`AppError::Server`]. An error reply
    /// that is not one (a proxy's HTML page, a code we do not know) is
    /// reported as such, not as the server's refusal.
    fn refusal(&self, reply: &Reply) -> AppError {
        match reply.problem() {
            Some(api) => AppError::Server(api),
            None => self.bad_reply(format!("{}, not a problem+json we know", reply.describe())),
        }
    }
}
