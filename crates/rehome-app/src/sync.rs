//! The facade's sync: sign-up and sign-in (the token goes to the OS keychain,
//! never to a file and never to the webview), one sync, each listing's sync
//! state, and conflicts.
//!
//! Which account is signed in (server and handle, not secret) is kept in
//! `account.json` in the data folder; the token only in the keychain. Where no
//! keychain service exists the token is kept in this process's memory only,
//! and the next launch has to sign in again (the error says why).

use crate::{App, AppError};
use rehome_model::api::{Session, SignInRequest, SignUpRequest};
use rehome_model::{ApiError, ErrorCode};
use rehome_store::{Store, SystemClock};
use rehome_sync::conflicts::{self, ConflictView, Resolution};
use rehome_sync::keychain::{self, KeychainError};
use rehome_sync::state::{ListingWithState, listings_with_state};
use rehome_sync::{ServerSession, SyncConfig, SyncEngine, SyncEvent, SyncReport};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

const ACCOUNT_FILE: &str = "account.json";

/// The signed-in account, as `account.json` keeps it (no secret in it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub server: String,
    pub handle: String,
}

/// What a sign-in or sign-up did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedIn {
    pub server: String,
    pub handle: String,
    /// `false` when no keychain service exists: the session lasts only as
    /// long as this process.
    pub kept_in_keychain: bool,
}

/// Tokens of keychain-less sign-ins, for this process only.
static MEMORY_TOKENS: Mutex<Vec<(Account, String)>> = Mutex::new(Vec::new());

fn sync_error(e: rehome_sync::SyncError) -> AppError {
    AppError::Server(e.to_api_error())
}

fn keychain_error(e: KeychainError) -> AppError {
    AppError::Server(ApiError::new(e.code(), e.to_string()))
}

impl App {
    fn account_path(&self) -> std::path::PathBuf {
        self.config().data_dir.join(ACCOUNT_FILE)
    }

    /// The account signed in on this device, if any.
    pub fn account(&self) -> Result<Option<Account>, AppError> {
        let path = self.account_path();
        match std::fs::read(&path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes)
                    .map(Some)
                    .map_err(|e| AppError::BadServerReply {
                        server: path.display().to_string(),
                        reason: format!("account.json: {e}"),
                    })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(AppError::io(path, e)),
        }
    }

    /// Creates an account on `server` and signs in.
    #[tracing::instrument(skip(self, password))]
    pub async fn sign_up(
        &self,
        server: &str,
        handle: &str,
        password: &str,
    ) -> Result<SignedIn, AppError> {
        let body = SignUpRequest {
            handle: handle.to_owned(),
            password: password.to_owned(),
            sizes: Vec::new(),
        };
        let session = post_auth(server, "/v1/auth/sign-up", &body).await?;
        self.keep_session(server, session)
    }

    /// Signs in to `server`.
    #[tracing::instrument(skip(self, password))]
    pub async fn sign_in(
        &self,
        server: &str,
        handle: &str,
        password: &str,
    ) -> Result<SignedIn, AppError> {
        let body = SignInRequest {
            handle: handle.to_owned(),
            password: password.to_owned(),
        };
        let session = post_auth(server, "/v1/auth/sign-in", &body).await?;
        self.keep_session(server, session)
    }

    fn keep_session(&self, server: &str, session: Session) -> Result<SignedIn, AppError> {
        let account = Account {
            server: server.trim_end_matches('/').to_owned(),
            handle: session.handle.clone(),
        };
        let kept = match keychain::save_token(&account.server, &account.handle, &session.token) {
            Ok(()) => true,
            Err(KeychainError::Unavailable(why)) => {
                tracing::warn!(%why, "no keychain: the session lasts for this run only");
                let mut tokens = MEMORY_TOKENS.lock().unwrap_or_else(|p| p.into_inner());
                tokens.retain(|(a, _)| *a != account);
                tokens.push((account.clone(), session.token));
                false
            }
            Err(e) => return Err(keychain_error(e)),
        };
        let path = self.account_path();
        let json = serde_json::to_vec_pretty(&account).unwrap_or_default();
        let tmp = path.with_extension("json.tmp");
        std::fs::create_dir_all(&self.config().data_dir)
            .and_then(|_| std::fs::write(&tmp, json))
            .and_then(|_| std::fs::rename(&tmp, &path))
            .map_err(|e| AppError::io(&path, e))?;
        Ok(SignedIn {
            server: account.server,
            handle: account.handle,
            kept_in_keychain: kept,
        })
    }

    /// The signed-in session: token from memory (keychain-less sign-in this
    /// run) or the keychain.
    pub(crate) fn session(&self) -> Result<ServerSession, AppError> {
        let account = self.account()?.ok_or_else(|| {
            AppError::Server(ApiError::new(
                ErrorCode::Unauthorized,
                "not signed in on this device: run `rehome login --server URL --user NAME`",
            ))
        })?;
        let remembered = MEMORY_TOKENS
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .find(|(a, _)| *a == account)
            .map(|(_, t)| t.clone());
        let token = match remembered {
            Some(t) => t,
            None => {
                keychain::load_token(&account.server, &account.handle).map_err(keychain_error)?
            }
        };
        Ok(ServerSession {
            base_url: account.server,
            token,
        })
    }

    fn sync_store(&self) -> Result<Arc<Store>, AppError> {
        Ok(Arc::new(Store::open_default(&self.config().data_dir)?))
    }

    /// One sync: uploads, pushes, pulls. Progress goes to `on_event`.
    #[tracing::instrument(skip(self, on_event))]
    pub async fn sync_once(
        &self,
        on_event: impl Fn(&SyncEvent) + Send + Sync + 'static,
    ) -> Result<SyncReport, AppError> {
        let session = self.session()?;
        let store = self.sync_store()?;
        let engine = SyncEngine::new(
            store,
            session,
            Arc::new(SystemClock),
            Arc::new(rehome_store::OsEntropy::default()),
            SyncConfig::default(),
        )
        .map_err(sync_error)?
        .with_events(on_event);
        engine.sync_once().await.map_err(sync_error)
    }

    /// Every listing on this device with its sync state.
    pub fn listings_with_sync_state(&self) -> Result<Vec<ListingWithState>, AppError> {
        let store = self.sync_store()?;
        Ok(listings_with_state(&store)?)
    }

    /// Open conflicts, oldest first.
    pub fn conflicts(&self) -> Result<Vec<ConflictView>, AppError> {
        let store = self.sync_store()?;
        Ok(conflicts::list(&store)?)
    }

    /// Settles a conflict; the choice becomes a new edit, sent at the next sync.
    pub fn resolve_conflict(&self, id: i64, choice: Resolution) -> Result<(), AppError> {
        let store = self.sync_store()?;
        Ok(conflicts::resolve(&store, id, choice)?)
    }
}

async fn post_auth<B: Serialize>(server: &str, path: &str, body: &B) -> Result<Session, AppError> {
    let url = format!("{}{path}", server.trim_end_matches('/'));
    let offline = |e: reqwest::Error| AppError::Offline {
        server: server.to_owned(),
        reason: e.to_string(),
    };
    let res = reqwest::Client::new()
        .post(&url)
        .json(body)
        .send()
        .await
        .map_err(offline)?;
    let status = res.status();
    let bytes = res.bytes().await.map_err(offline)?;
    if !status.is_success() {
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        let code = serde_json::from_value(v["code"].clone()).unwrap_or(ErrorCode::BadServerReply);
        let message = v["detail"]
            .as_str()
            .unwrap_or("the server refused")
            .to_owned();
        let mut api = ApiError::new(code, message);
        if let Some(f) = v["field"].as_str() {
            api = api.with_field(f);
        }
        return Err(AppError::Server(api));
    }
    serde_json::from_slice(&bytes).map_err(|e| AppError::BadServerReply {
        server: server.to_owned(),
        reason: e.to_string(),
    })
}
