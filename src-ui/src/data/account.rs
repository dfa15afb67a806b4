//! The account on this device, as the Me tab shows it: who is signed in, or
//! the sign-in and sign-up forms with their errors by field.
//!
//! The password is read from its input at the moment of the call, travels
//! over IPC once, and is never kept in a signal. The core never sends a token
//! back: replies say who is signed in and nothing more.

use super::ipc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rehome_model::ipc::{AccountCmd, AccountStatus, Credentials, SignInCmd, SignOutCmd, SignUpCmd};
use rehome_model::{ApiError, ErrorCode};

/// Which form is showing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMode {
    SignIn,
    SignUp,
}

/// Where an error shows: next to one field, or under the whole form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorSlot {
    Handle,
    Password,
    Form,
}

impl ErrorSlot {
    /// Decided by the error's code (and the field the core named), never by
    /// its text.
    pub fn of(error: &ApiError) -> ErrorSlot {
        match (error.code, error.field.as_deref()) {
            (_, Some("handle")) => ErrorSlot::Handle,
            (_, Some("password")) => ErrorSlot::Password,
            // Wrong handle or password: the password is what to retype.
            (ErrorCode::Unauthorized, _) => ErrorSlot::Password,
            (ErrorCode::Invalid, _) => ErrorSlot::Handle,
            _ => ErrorSlot::Form,
        }
    }
}

#[derive(Clone, Copy)]
pub struct AccountState {
    /// `None` until the core has answered once.
    pub status: RwSignal<Option<AccountStatus>>,
    pub mode: RwSignal<AuthMode>,
    /// A call is on its way.
    pub busy: RwSignal<bool>,
    /// The last failure of a sign-up, sign-in or sign-out.
    pub error: RwSignal<Option<ApiError>>,
}

impl AccountState {
    /// Empty until [`AccountState::refresh`] has had its answer.
    pub fn new() -> Self {
        Self {
            status: RwSignal::new(None),
            mode: RwSignal::new(AuthMode::SignIn),
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    pub fn refresh(self) {
        spawn_local(async move {
            match ipc::invoke::<AccountCmd>(&()).await {
                // Unchanged: leave the forms (and what is typed in them) alone.
                Ok(status) if self.status.with_untracked(|s| s.as_ref() == Some(&status)) => {}
                Ok(status) => self.status.set(Some(status)),
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// The error to show in `slot`, if the last failure belongs there.
    pub fn error_in(self, slot: ErrorSlot) -> Option<ApiError> {
        self.error.get().filter(|e| ErrorSlot::of(e) == slot)
    }

    /// Sends the form. `credentials` (the password with it) is moved into the
    /// call and dropped when it returns.
    pub fn submit(self, credentials: Credentials) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.error.set(None);
        let mode = self.mode.get_untracked();
        spawn_local(async move {
            let reply = match mode {
                AuthMode::SignIn => ipc::invoke::<SignInCmd>(&credentials).await,
                AuthMode::SignUp => ipc::invoke::<SignUpCmd>(&credentials).await,
            };
            drop(credentials);
            self.settle(reply);
        });
    }

    pub fn sign_out(self) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.error.set(None);
        spawn_local(async move {
            let reply = ipc::invoke::<SignOutCmd>(&()).await;
            self.settle(reply);
        });
    }

    fn settle(self, reply: Result<AccountStatus, ApiError>) {
        match reply {
            Ok(status) => self.status.set(Some(status)),
            Err(e) => self.error.set(Some(e)),
        }
        self.busy.set(false);
    }
}
