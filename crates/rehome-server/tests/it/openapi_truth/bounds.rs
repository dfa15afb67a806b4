//! The bounds as the document states them, against the server's (both
//! sides of each are tried in `every_status_the_server_answers_is_documented`).

use super::check::{param, schema};
use serde_json::{Value, json};

/// The bounds as the document states them (both sides of each are tried
/// against the server in `every_status_the_server_answers_is_documented`).
#[test]
fn the_document_states_the_bounds_the_server_enforces() {
    let doc: Value = serde_json::from_str(&rehome_server::openapi::document()).unwrap();
    let mut listed = Vec::new();
    for (path, method) in [
        ("/v1/feed", "get"),
        ("/v1/search", "get"),
        ("/v1/sellers/{seller}/listings", "get"),
        ("/v1/me/likes", "get"),
        ("/v1/notifications", "get"),
    ] {
        let limit = param(&doc, path, method, "limit");
        listed.push((format!("{path} limit"), limit["minimum"].clone(), json!(1)));
        listed.push((
            format!("{path} limit"),
            limit["maximum"].clone(),
            json!(100),
        ));
    }
    let q = param(&doc, "/v1/search", "get", "q");
    listed.push(("search q".into(), q["maxLength"].clone(), json!(200)));
    let sign_up = &schema(&doc, "SignUpRequest")["properties"];
    for (what, value, expected) in [
        (
            "handle pattern",
            &sign_up["handle"]["pattern"],
            json!("^[a-z0-9_.]{3,30}$"),
        ),
        (
            "password minLength",
            &sign_up["password"]["minLength"],
            json!(8),
        ),
        (
            "password maxLength",
            &sign_up["password"]["maxLength"],
            json!(256),
        ),
        ("sizes maxItems", &sign_up["sizes"]["maxItems"], json!(20)),
        (
            "a size's maxLength",
            &sign_up["sizes"]["items"]["maxLength"],
            json!(20),
        ),
    ] {
        listed.push((format!("sign-up {what}"), value.clone(), expected));
    }
    // The derived object, beside the both-or-neither rule for quiet hours.
    let settings = &schema(&doc, "NotificationSettings")["allOf"][0];
    let budget = &settings["properties"]["dailyBudget"];
    for end in ["quietStart", "quietEnd"] {
        let max = settings["properties"][end]["maximum"].clone();
        listed.push((format!("{end} maximum"), max, json!(1439)));
    }
    listed.push((
        "dailyBudget maximum".into(),
        budget["maximum"].clone(),
        json!(100),
    ));
    let length = param(&doc, "/v1/uploads", "post", "Upload-Length");
    listed.push((
        "Upload-Length minimum".into(),
        length["minimum"].clone(),
        json!(1),
    ));
    listed.push((
        "Upload-Length maximum".into(),
        length["maximum"].clone(),
        json!(8 * 1024 * 1024),
    ));
    let push = &schema(&doc, "PushRequest")["properties"]["mutations"];
    listed.push(("push maxItems".into(), push["maxItems"].clone(), json!(500)));
    let pull = &schema(&doc, "PullRequest")["properties"]["limit"];
    let defaults = rehome_server::Limits::default();
    listed.push((
        "pull limit minimum".into(),
        pull["minimum"].clone(),
        json!(1),
    ));
    listed.push((
        "pull limit maximum".into(),
        pull["maximum"].clone(),
        json!(defaults.max_pull_page),
    ));
    let wrong: Vec<String> = listed
        .into_iter()
        .filter(|(_, value, expected)| value != expected)
        .map(|(what, value, expected)| format!("{what}: {value}, the server's is {expected}"))
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");

    // A 423 on PATCH means the PATCH waited for another and timed out.
    let locked = &doc["paths"]["/v1/uploads/{uploadId}"]["patch"]["responses"]["423"];
    let said = locked["description"].as_str().unwrap_or("");
    assert!(said.contains("waited"), "423: {said}");
}
