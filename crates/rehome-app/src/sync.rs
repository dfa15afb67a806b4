//! The facade's sync: sign-up, sign-in and sign-out (the token goes to the OS
//! keychain, never to the webview), one sync, each listing's sync state, and
//! conflicts.
//!
//! Which account is signed in (server and handle, not secret) is kept in
//! `account.json` in the data folder; the token in the keychain. Where no
//! keychain service exists the token is kept in this process's memory only,
//! and the next launch has to sign in again (the error says why). The CLI
//! alone may instead take the token from outside (`REHOME_TOKEN`), hand it
//! back unkept (`KeepToken::Nowhere`), or keep it in a mode-0600 file when
//! asked to (`KeepToken::File`, see `token_file`).

use crate::{App, AppError};
use rehome_model::api::{Session, SignInRequest, SignUpRequest};
use rehome_model::draft::{DraftField, DraftValues, validate_field};
use rehome_model::ipc::{
    AccountStatus, ConflictChoice, Credentials, OpenConflict, ResolveConflictRequest,
    SignedInAccount,
};
use rehome_model::sync::GuardedField;
use rehome_model::{ApiError, ErrorCode};
use rehome_store::SystemClock;
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

/// Where a sign-in keeps its session token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum KeepToken {
    /// The OS keychain, or with none this process's memory. The app's only
    /// choice.
    #[default]
    Keychain,
    /// The plain file [`AppConfig::token_file`](crate::AppConfig::token_file)
    /// names, mode 0600 (the CLI's explicit `--token-store file`).
    File,
    /// Nowhere: [`SignedIn::token`] hands it back (`rehome login --print-token`).
    Nowhere,
}

/// What a sign-in or sign-up did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedIn {
    pub server: String,
    pub handle: String,
    /// `false` when no keychain service exists (the session lasts only as
    /// long as this process) or the token was kept elsewhere.
    pub kept_in_keychain: bool,
    /// The plain file the token was kept in ([`KeepToken::File`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_file: Option<std::path::PathBuf>,
    /// The token, for [`KeepToken::Nowhere`] only. Never serialized.
    #[serde(skip)]
    pub token: Option<crate::SessionToken>,
}

/// Tokens of keychain-less sign-ins, for this process only.
static MEMORY_TOKENS: Mutex<Vec<(Account, String)>> = Mutex::new(Vec::new());

/// The token of a keychain-less sign-in made by this process, if any.
fn memory_token(account: &Account) -> Option<String> {
    MEMORY_TOKENS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .find(|(a, _)| a == account)
        .map(|(_, t)| t.clone())
}

/// A typed price, checked by the rules the editor uses.
fn check_price(text: &str) -> Result<(), AppError> {
    let mut values = DraftValues::default();
    *values.get_mut(DraftField::Price) = text.to_owned();
    match validate_field(&values, DraftField::Price)
        .into_iter()
        .next()
    {
        None => Ok(()),
        Some(problem) => Err(AppError::Invalid {
            field: "price",
            message: problem.message,
        }),
    }
}

fn open_conflict(c: ConflictView) -> OpenConflict {
    OpenConflict {
        id: c.id,
        listing_id: c.listing_id,
        title: c.title,
        field: c.field,
        mine: c.mine,
        theirs: c.theirs,
    }
}

impl App {
    fn account_path(&self) -> std::path::PathBuf {
        self.config().data_dir.join(ACCOUNT_FILE)
    }

    /// The account signed in on this device, if any, as `account.json` keeps
    /// it (the `account` command answers [`App::account`]).
    pub fn signed_in_account(&self) -> Result<Option<Account>, AppError> {
        let path = self.account_path();
        match std::fs::read(&path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes)
                    .map(Some)
                    .map_err(|e| AppError::DamagedFile {
                        path,
                        reason: e.to_string(),
                    })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(AppError::io(path, e)),
        }
    }

    /// Creates an account on `server` and signs in, keeping the token as
    /// `keep` says. For the CLI, which names the server; the app's own
    /// sign-up is [`App::sign_up`].
    #[tracing::instrument(skip(self, password))]
    pub async fn sign_up_at(
        &self,
        server: &str,
        handle: &str,
        password: &str,
        keep: KeepToken,
    ) -> Result<SignedIn, AppError> {
        let body = SignUpRequest {
            handle: handle.to_owned(),
            password: password.to_owned(),
            sizes: Vec::new(),
        };
        let session: Session = self
            .server_at(server)?
            .post_json("/v1/auth/sign-up", &body)
            .await?;
        self.keep_session(server, session, keep)
    }

    /// Signs in to `server`, keeping the token as `keep` says. For the CLI,
    /// which names the server; the app's own sign-in is [`App::sign_in`].
    #[tracing::instrument(skip(self, password))]
    pub async fn sign_in_at(
        &self,
        server: &str,
        handle: &str,
        password: &str,
        keep: KeepToken,
    ) -> Result<SignedIn, AppError> {
        let body = SignInRequest {
            handle: handle.to_owned(),
            password: password.to_owned(),
        };
        let session: Session = self
            .server_at(server)?
            .post_json("/v1/auth/sign-in", &body)
            .await?;
        self.keep_session(server, session, keep)
    }

    fn keep_session(
        &self,
        server: &str,
        session: Session,
        keep: KeepToken,
    ) -> Result<SignedIn, AppError> {
        let account = Account {
            server: server.trim_end_matches('/').to_owned(),
            handle: session.handle.clone(),
        };
        let mut signed = SignedIn {
            server: account.server.clone(),
            handle: account.handle.clone(),
            kept_in_keychain: false,
            token_file: None,
            token: None,
        };
        match keep {
            KeepToken::Keychain => {
                match keychain::save_token(&account.server, &account.handle, &session.token) {
                    Ok(()) => signed.kept_in_keychain = true,
                    Err(KeychainError::Unavailable(why)) => {
                        tracing::warn!(%why, "no keychain: the session lasts for this run only");
                        let mut tokens = MEMORY_TOKENS.lock().unwrap_or_else(|p| p.into_inner());
                        tokens.retain(|(a, _)| *a != account);
                        tokens.push((account.clone(), session.token));
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            KeepToken::File => {
                let path = self.token_file()?;
                crate::token_file::save(&path, &account, &session.token)?;
                signed.token_file = Some(path);
            }
            KeepToken::Nowhere => signed.token = Some(crate::SessionToken::new(session.token)),
        }
        let json = serde_json::to_vec_pretty(&account).unwrap_or_default();
        crate::atomic_file::write(&self.config().data_dir, ACCOUNT_FILE, &json)?;
        Ok(signed)
    }

    /// The token file this configuration allows (the CLI's).
    fn token_file(&self) -> Result<std::path::PathBuf, AppError> {
        self.config().token_file.clone().ok_or(AppError::Invalid {
            field: "tokenStore",
            message: "this app keeps its session in the keychain only".into(),
        })
    }

    /// The signed-in session: a token given from outside (`REHOME_TOKEN`,
    /// for the account's server or else the configured one), else the
    /// account's from memory (keychain-less sign-in this run), its token
    /// file (the CLI's opt-in) or the keychain.
    pub(crate) fn session(&self) -> Result<ServerSession, AppError> {
        if let Some(token) = &self.config().token {
            let server = match self.signed_in_account()? {
                Some(account) => account.server,
                None => self.config().server.clone(),
            };
            let server = self.server_at(&server)?;
            return Ok(ServerSession::new(server.client().clone(), token.expose()));
        }
        let account = self.signed_in_account()?.ok_or(AppError::NotSignedIn)?;
        let from_file = match &self.config().token_file {
            Some(path) => crate::token_file::load(path, &account)?,
            None => None,
        };
        let token = match (memory_token(&account), from_file) {
            (Some(t), _) | (None, Some(t)) => t,
            (None, None) => keychain::load_token(&account.server, &account.handle)?,
        };
        let server = self.server_at(&account.server)?;
        Ok(ServerSession::new(server.client().clone(), token))
    }

    /// The account as the Me tab shows it. Never fails: a sign-in that cannot
    /// be used (no keychain service, token gone) shows as signed out with the
    /// reason in `notice`. A token the server refused at the last sync (the
    /// sync runner saw the 401: revoked or expired elsewhere) shows as
    /// signed out too, with the handle in `expired_handle` for the sign-in form.
    pub fn account(&self) -> AccountStatus {
        let server = self.config().server.clone();
        let signed_out = |notice: Option<ApiError>| AccountStatus {
            account: None,
            server: server.clone(),
            notice,
            expired_handle: None,
        };
        // The sign-in form, started with the handle whose session ended.
        let sign_in_again = |handle: String, message: &str| AccountStatus {
            expired_handle: Some(handle),
            ..signed_out(Some(ApiError::new(ErrorCode::Unauthorized, message)))
        };
        let account = match self.signed_in_account() {
            Ok(Some(account)) => account,
            Ok(None) => return signed_out(None),
            Err(e) => return signed_out(Some(e.into())),
        };
        let (token, kept_in_keychain) = if let Some(token) = memory_token(&account) {
            (token, false)
        } else {
            match keychain::load_token(&account.server, &account.handle) {
                Ok(token) => (token, true),
                Err(KeychainError::NoToken) => {
                    return sign_in_again(
                        account.handle,
                        "your sign-in on this device has ended: sign in again",
                    );
                }
                Err(e) => return signed_out(Some(ApiError::new(e.code(), e.to_string()))),
            }
        };
        if self.sync_trigger.session_refused(&token) {
            return sign_in_again(
                account.handle,
                "the server ended your session: sign in again",
            );
        }
        AccountStatus {
            account: Some(SignedInAccount {
                server: account.server,
                handle: account.handle,
                kept_in_keychain,
            }),
            server,
            notice: None,
            expired_handle: None,
        }
    }

    /// Creates an account on the app's server and signs in.
    pub async fn sign_up(&self, credentials: Credentials) -> Result<AccountStatus, AppError> {
        let server = self.config().server.clone();
        self.sign_up_at(
            &server,
            &credentials.handle,
            &credentials.password,
            KeepToken::Keychain,
        )
        .await?;
        // Whatever waited for an account goes now, not at the next tick.
        self.sync_now();
        Ok(self.account())
    }

    /// Signs in to the app's server.
    pub async fn sign_in(&self, credentials: Credentials) -> Result<AccountStatus, AppError> {
        let server = self.config().server.clone();
        self.sign_in_at(
            &server,
            &credentials.handle,
            &credentials.password,
            KeepToken::Keychain,
        )
        .await?;
        // Whatever waited for an account goes now, not at the next tick.
        self.sync_now();
        Ok(self.account())
    }

    /// Signs out: the server revokes the token, then this device forgets it
    /// (keychain or memory) and which account was signed in. When the server
    /// cannot be reached nothing changes ([`ErrorCode::Offline`]): a token
    /// forgotten before it is revoked could never be revoked. Answers the
    /// account state afterwards.
    #[tracing::instrument(skip(self))]
    pub async fn sign_out(&self) -> Result<AccountStatus, AppError> {
        let Some(account) = self.signed_in_account()? else {
            return Ok(self.account());
        };
        match self.session() {
            // A token the server no longer knows (401) is as good as revoked.
            Ok(session) => {
                self.server_at(session.base_url())?
                    .post_with_token("/v1/auth/sign-out", &session.token, 401)
                    .await?
            }
            // No token left here (a keychain-less run ended, or it was
            // removed, or its file is damaged): there is nothing to revoke
            // from this device.
            Err(AppError::NotSignedIn | AppError::Keychain(_) | AppError::DamagedFile { .. }) => {}
            Err(e) => return Err(e),
        }
        MEMORY_TOKENS
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|(a, _)| *a != account);
        if let Some(path) = &self.config().token_file {
            crate::token_file::forget(path)?;
        }
        let forgotten: Result<(), AppError> =
            match keychain::forget_token(&account.server, &account.handle) {
                Ok(()) | Err(KeychainError::Unavailable(_)) => Ok(()),
                Err(e) => Err(e.into()),
            };
        let path = self.account_path();
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(AppError::io(path, e)),
        }
        forgotten?;
        Ok(self.account())
    }

    /// One sync: uploads, pushes, pulls. Progress goes to `on_event`. The
    /// user asked for it, so what waits out a backoff from an earlier
    /// failure (an offline attempt) goes now, as the app's "sync now" does.
    #[tracing::instrument(skip(self, on_event))]
    pub async fn sync_once(
        &self,
        on_event: impl Fn(&SyncEvent) + Send + Sync + 'static,
    ) -> Result<SyncReport, AppError> {
        let session = self.session()?;
        let store = self.store()?;
        store.make_outbox_due_now()?;
        let engine = SyncEngine::new(
            store,
            session,
            Arc::new(SystemClock),
            Arc::new(rehome_store::OsEntropy::default()),
            SyncConfig::default(),
        )?
        .with_events(on_event);
        let report = engine.sync_once().await?;
        // The offers as of this sync, for `offer list` offline.
        if let Ok(reader) = self.signed_in_reader() {
            self.keep_offers(&reader).await;
        }
        Ok(report)
    }

    /// Every listing on this device with its sync state.
    pub fn listings_with_sync_state(&self) -> Result<Vec<ListingWithState>, AppError> {
        let store = self.store()?;
        Ok(listings_with_state(&store)?)
    }

    /// Open conflicts as the UI and `rehome conflicts list` show them, oldest first.
    pub fn list_conflicts(&self) -> Result<Vec<OpenConflict>, AppError> {
        let store = self.store()?;
        Ok(conflicts::list(&store)?
            .into_iter()
            .map(open_conflict)
            .collect())
    }

    /// Settles a conflict; the choice becomes a new edit, sent at the next sync.
    /// A typed price must be one the listing could have (checked before the
    /// conflict is marked settled, so a typo leaves it open). Replies with the
    /// conflicts still open.
    pub fn resolve_conflict(
        &self,
        req: ResolveConflictRequest,
    ) -> Result<Vec<OpenConflict>, AppError> {
        let ResolveConflictRequest { id, choice } = req;
        let choice = match choice {
            ConflictChoice::Mine => Resolution::Mine,
            ConflictChoice::Theirs => Resolution::Theirs,
            ConflictChoice::Value(v) => Resolution::Value(v),
        };
        let store = self.store()?;
        if let Resolution::Value(text) = &choice {
            let price = conflicts::list(&store)?
                .iter()
                .any(|c| c.id == id && c.field == GuardedField::Price);
            if price {
                check_price(text)?;
            }
        }
        conflicts::resolve(&store, id, choice)?;
        self.list_conflicts()
    }
}
