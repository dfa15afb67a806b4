//! A reply that never ends, between the facade and a real server (the fault
//! proxy stands in for a broken or hostile one): cut at the bound, reported
//! as the server's bad reply, never read without end.

use crate::support::RestartableServer;
use rehome_app::{App, AppConfig, KeepToken};
use rehome_model::ErrorCode;
use rehome_sync::proxy::{Fault, FaultPlan, FaultProxy};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_reply_that_never_ends_is_cut_at_its_bound() {
    let server = RestartableServer::start().await;
    let plan = FaultPlan::always(Fault::EndlessReply, 1).on_paths(&["/v1/auth/"]);
    let proxy = FaultProxy::start(server.addr, plan).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = App::open(AppConfig::in_dir(
        dir.path().to_owned(),
        Some(proxy.base_url()),
    ))
    .unwrap();
    for sign in ["up", "in"] {
        let attempt = async {
            match sign {
                "up" => {
                    app.sign_up_at(
                        &proxy.base_url(),
                        "endless",
                        "password1",
                        KeepToken::Keychain,
                    )
                    .await
                }
                _ => {
                    app.sign_in_at(
                        &proxy.base_url(),
                        "endless",
                        "password1",
                        KeepToken::Keychain,
                    )
                    .await
                }
            }
        };
        let err = tokio::time::timeout(Duration::from_secs(20), attempt)
            .await
            .expect("the reply was read without end")
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::BadServerReply, "sign-{sign}: {err}");
        assert!(
            err.to_string().contains("larger than 4194304 bytes"),
            "sign-{sign}: {err}"
        );
    }
    assert_eq!(proxy.count(Fault::EndlessReply), 2);
    assert_eq!(app.signed_in_account().unwrap(), None, "nothing kept");
}
