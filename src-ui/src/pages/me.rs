//! The Me tab: signed out, the sign-in and sign-up forms (against the app's
//! server); signed in, the handle, the server, the buyer's sizes and
//! sign-out. Errors show next to the field they are about, chosen by their
//! code.

use crate::components::icon::Icon;
use crate::data::account::{AccountState, AuthMode, ErrorSlot};
use crate::nav::{Nav, Tab};
use crate::{icons, labels};
use leptos::html::Input;
use leptos::prelude::*;
use rehome_model::ipc::{AccountStatus, Credentials, SignedInAccount};
use rehome_model::{ApiError, ErrorCode};

#[component]
pub fn MePage() -> impl IntoView {
    let account = AccountState::new();
    // Reload whenever the tab is shown: the CLI or a 401 may have changed it.
    let nav = Nav::get();
    Effect::new(move |_| {
        if nav.tab() == Tab::Me && !account.busy.get_untracked() {
            account.refresh();
        }
    });
    let info = crate::data::about::app_info();
    view! {
        <section class="me">
            {move || match account.status.get() {
                None => view! { <p class="hint">{labels::FEED_LOADING}</p> }.into_any(),
                Some(AccountStatus { account: Some(signed), .. }) => {
                    view! { <SignedInView account=account signed=signed /> }.into_any()
                }
                Some(status) => view! { <AuthForms account=account status=status /> }.into_any(),
            }}
            <crate::components::theme_choice::ThemeChoice />
            <dl class="facts me-facts">
                {move || info.get().and_then(|r| r.ok()).map(|info| view! {
                    <dt>{labels::VERSION}</dt><dd>{info.version}</dd>
                })}
            </dl>
        </section>
    }
}

#[component]
fn SignedInView(account: AccountState, signed: SignedInAccount) -> impl IntoView {
    let kept = signed.kept_in_keychain;
    view! {
        <div class="account" data-account="signed-in">
            <div class="account-avatar"><Icon path=icons::PERSON /></div>
            <h1 class="account-handle" data-handle=signed.handle.clone()>{signed.handle.clone()}</h1>
            <p class="account-server"><Icon path=icons::SHOP />
                <span class="visually-hidden">{labels::SERVER}</span>
                <span data-server>{signed.server.clone()}</span>
            </p>
            {(!kept).then(|| view! {
                <p class="notice" role="status" data-code="no_keychain">
                    <Icon path=icons::KEY />{labels::NOT_KEPT}
                </p>
            })}
            <crate::components::my_sizes::MySizes />
            <button class="button button-quiet button-wide" data-action="sign-out"
                disabled=move || account.busy.get() on:click=move |_| account.sign_out()>
                <Icon path=icons::SIGN_OUT />{labels::SIGN_OUT}
            </button>
            <FormError account=account />
        </div>
    }
}

#[component]
fn AuthForms(account: AccountState, status: AccountStatus) -> impl IntoView {
    let handle_ref = NodeRef::<Input>::new();
    let password_ref = NodeRef::<Input>::new();
    let mode = account.mode;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(handle), Some(password)) = (handle_ref.get(), password_ref.get()) else {
            return;
        };
        let credentials = Credentials {
            handle: handle.value().trim().to_owned(),
            password: password.value(),
        };
        // The password leaves the page with this call; nothing keeps it.
        password.set_value("");
        account.submit(credentials);
    };
    let switch = move |to: AuthMode| {
        move |_| {
            mode.set(to);
            account.error.set(None);
        }
    };
    let tab = move |which: AuthMode, icon: &'static str, text: &'static str, id: &'static str| {
        view! {
            <button type="button" class="auth-mode" data-mode=id
                aria-pressed=move || if mode.get() == which { "true" } else { "false" }
                on:click=switch(which)>
                <Icon path=icon />{text}
            </button>
        }
    };
    // A session the server ended: sign in again as the same handle.
    let expired_handle = status.expired_handle.clone().unwrap_or_default();
    view! {
        <div class="account" data-account="signed-out">
            <div class="account-avatar"><Icon path=icons::PERSON /></div>
            {status.notice.map(|notice| view! { <Notice notice=notice /> })}
            <div class="auth-modes" role="group">
                {tab(AuthMode::SignIn, icons::SIGN_IN, labels::SIGN_IN, "sign-in")}
                {tab(AuthMode::SignUp, icons::PERSON_ADD, labels::SIGN_UP, "sign-up")}
            </div>
            <form class="auth-form" data-form=move || match mode.get() {
                    AuthMode::SignIn => "sign-in",
                    AuthMode::SignUp => "sign-up",
                } on:submit=submit>
                <div class="field" data-field="handle">
                    <label for="auth-handle">{labels::HANDLE}</label>
                    <input id="auth-handle" name="handle" node_ref=handle_ref
                        value=expired_handle.clone()
                        autocomplete="username" autocapitalize="none" spellcheck="false"
                        aria-invalid=move || account.error_in(ErrorSlot::Handle).map(|_| "true")
                        aria-describedby="auth-handle-error" />
                    <AuthFieldError account=account place=ErrorSlot::Handle error_id="auth-handle-error" />
                </div>
                <div class="field" data-field="password">
                    <label for="auth-password">{labels::PASSWORD}</label>
                    <input id="auth-password" name="password" type="password" node_ref=password_ref
                        autocomplete=move || match mode.get() {
                            AuthMode::SignIn => "current-password",
                            AuthMode::SignUp => "new-password",
                        }
                        aria-invalid=move || account.error_in(ErrorSlot::Password).map(|_| "true")
                        aria-describedby="auth-password-error" />
                    <AuthFieldError account=account place=ErrorSlot::Password error_id="auth-password-error" />
                </div>
                <button type="submit" class="button button-wide" data-action="auth-submit"
                    disabled=move || account.busy.get()>
                    {move || match mode.get() {
                        AuthMode::SignIn => view! { <Icon path=icons::SIGN_IN />{labels::SIGN_IN} }.into_any(),
                        AuthMode::SignUp => view! { <Icon path=icons::PERSON_ADD />{labels::CREATE_ACCOUNT} }.into_any(),
                    }}
                </button>
                <FormError account=account />
            </form>
            <p class="account-server"><Icon path=icons::SHOP />
                <span class="visually-hidden">{labels::SERVER}</span>
                <span data-server>{status.server}</span>
            </p>
        </div>
    }
}

/// What an error says to the seller: our words for the codes we know, the
/// core's message (which names the rule) otherwise.
fn error_text(e: &ApiError) -> String {
    match e.code {
        ErrorCode::Unauthorized => labels::WRONG_PASSWORD.to_owned(),
        ErrorCode::Offline => labels::AUTH_OFFLINE.to_owned(),
        ErrorCode::NoKeychain => labels::NO_KEYCHAIN.to_owned(),
        _ => e.message.clone(),
    }
}

fn error_icon(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::Offline => icons::OFFLINE,
        ErrorCode::RateLimited => icons::CLOCK,
        ErrorCode::NoKeychain => icons::KEY,
        _ => icons::WARNING,
    }
}

#[component]
fn AuthFieldError(
    account: AccountState,
    place: ErrorSlot,
    error_id: &'static str,
) -> impl IntoView {
    view! {
        <div class="field-errors" id=error_id aria-live="polite">
            {move || account.error_in(place).map(|e| view! {
                <p class="field-error" data-code=e.code.as_str()>{error_text(&e)}</p>
            })}
        </div>
    }
}

#[component]
fn FormError(account: AccountState) -> impl IntoView {
    move || {
        account.error_in(ErrorSlot::Form).map(|e| {
            view! {
                <p class="notice" role="alert" data-code=e.code.as_str()>
                    <Icon path=error_icon(e.code) />{error_text(&e)}
                </p>
            }
        })
    }
}

/// Why a sign-in kept on this device could not be used.
#[component]
fn Notice(notice: ApiError) -> impl IntoView {
    let text = match notice.code {
        ErrorCode::NoKeychain => labels::NO_KEYCHAIN.to_owned(),
        ErrorCode::Unauthorized => labels::SIGNED_OUT_AGAIN.to_owned(),
        _ => notice.message.clone(),
    };
    view! {
        <p class="notice" role="status" data-code=notice.code.as_str()>
            <Icon path=error_icon(notice.code) />{text}
        </p>
    }
}
