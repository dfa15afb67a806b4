//! Accounts. The webview never sees a token: requests carry the handle and the
//! password (once, for that call), replies say who is signed in and nothing more.

/// A handle and a password, sent once for a sign-up or sign-in.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Credentials {
    pub handle: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("handle", &self.handle)
            .field("password", &"…")
            .finish()
    }
}

/// The account as the Me tab shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountStatus {
    /// Who is signed in; `None` when signed out.
    pub account: Option<SignedInAccount>,
    /// The marketplace server this app signs up and signs in to.
    pub server: String,
    /// Why a sign-in kept on this device could not be used (for instance
    /// `no_keychain`: there is no keychain service, so sign in each launch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<crate::ApiError>,
    /// The handle whose session the server refused (revoked or expired
    /// elsewhere): the sign-in form starts with it. `account` is then `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expired_handle: Option<String>,
}

/// The signed-in account: no secret in it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedInAccount {
    pub server: String,
    pub handle: String,
    /// `false` when no keychain service exists: the session lasts until the
    /// app closes, and the next launch asks to sign in again.
    pub kept_in_keychain: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a sign-in puts on the IPC wire: who, where, and whether it was
    /// kept. A token field would show up here.
    #[test]
    fn a_sign_in_reply_carries_no_token() {
        let status = AccountStatus {
            account: Some(SignedInAccount {
                server: "http://127.0.0.1:8787".into(),
                handle: "mira".into(),
                kept_in_keychain: true,
            }),
            server: "http://127.0.0.1:8787".into(),
            notice: Some(crate::ApiError::new(
                crate::ErrorCode::NoKeychain,
                "no keychain here",
            )),
            expired_handle: None,
        };
        expect_test::expect![[r#"
            {
              "account": {
                "server": "http://127.0.0.1:8787",
                "handle": "mira",
                "keptInKeychain": true
              },
              "server": "http://127.0.0.1:8787",
              "notice": {
                "code": "no_keychain",
                "message": "no keychain here"
              }
            }"#]]
        .assert_eq(&serde_json::to_string_pretty(&status).unwrap());
        let reply: serde_json::Value = serde_json::to_value(&status).unwrap();
        assert!(!reply.to_string().to_lowercase().contains("token"));
    }

    #[test]
    fn credentials_never_print_the_password() {
        let c = Credentials {
            handle: "mira".into(),
            password: "hunter22".into(),
        };
        assert!(!format!("{c:?}").contains("hunter22"));
    }
}
