//! Every reply is read with a bound, and only our server's problem+json with a
//! code we know counts as a refusal.

use rehome_client::{Client, ClientError, Method, ServerClient};
use rehome_model::{ApiError, ErrorCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What the canned server sends after each request's head.
#[derive(Clone)]
enum Canned {
    /// These bytes, then the connection closes.
    Bytes(Vec<u8>),
    /// A 200 with `Transfer-Encoding: chunked` whose chunks never end.
    EndlessChunked,
}

/// A server on 127.0.0.1 that answers every connection with `canned`.
async fn canned_server(canned: Canned) -> String {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let canned = canned.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if sock.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                match canned {
                    Canned::Bytes(bytes) => {
                        let _ = sock.write_all(&bytes).await;
                    }
                    Canned::EndlessChunked => {
                        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                                    transfer-encoding: chunked\r\n\r\n";
                        if sock.write_all(head.as_bytes()).await.is_err() {
                            return;
                        }
                        // JSON whitespace, 64 KiB a chunk, until the client hangs up.
                        let chunk = format!("10000\r\n{}\r\n", " ".repeat(0x10000));
                        while sock.write_all(chunk.as_bytes()).await.is_ok() {}
                    }
                }
                let _ = sock.shutdown().await;
            });
        }
    });
    format!("http://{addr}")
}

fn reply(status: &str, content_type: &str, body: &str) -> Canned {
    Canned::Bytes(
        format!(
            "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

fn client(url: &str) -> ServerClient {
    Client::new().unwrap().server(url).unwrap()
}

async fn get(canned: Canned, limit: usize) -> Result<rehome_client::Reply, ClientError> {
    let url = canned_server(canned).await;
    let server = client(&url);
    server
        .send(server.request(Method::GET, "/v1/feed"), limit)
        .await
}

#[tokio::test]
async fn a_reply_is_read_only_up_to_its_bound_whatever_it_says_of_its_length() {
    const LIMIT: usize = 1 << 20;
    let big = "x".repeat(LIMIT + 1);
    let cases: Vec<(&str, Canned)> = vec![
        (
            "declared too long",
            reply("200 OK", "application/json", &big),
        ),
        (
            "no length, until close",
            Canned::Bytes(
                format!("HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n{big}").into_bytes(),
            ),
        ),
        ("chunked, never ending", Canned::EndlessChunked),
    ];
    for (name, canned) in cases {
        match get(canned, LIMIT).await {
            Err(e @ ClientError::BadReply { .. }) => {
                assert_eq!(e.code(), ErrorCode::BadServerReply, "{name}");
                assert!(
                    e.to_string().contains("larger than 1048576 bytes"),
                    "{name}: {e}"
                );
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    let fits = get(reply("200 OK", "application/json", "[1,2]"), LIMIT)
        .await
        .unwrap();
    assert_eq!(fits.json::<Vec<u32>>().unwrap(), [1, 2]);
}

#[tokio::test]
async fn only_our_problem_json_with_a_known_code_is_a_refusal() {
    let problem = r#"{"type":"urn:rehome:problem:invalid","title":"Invalid","status":422,"detail":"title is at most 80 characters","code":"invalid","field":"title"}"#;
    let cases: Vec<(&str, Canned, Option<ApiError>)> = vec![
        (
            "our problem",
            reply(
                "422 Unprocessable Entity",
                "application/problem+json",
                problem,
            ),
            Some(
                ApiError::new(ErrorCode::Invalid, "title is at most 80 characters")
                    .with_field("title"),
            ),
        ),
        (
            "with a charset",
            reply(
                "422 Unprocessable Entity",
                "application/problem+json; charset=utf-8",
                problem,
            ),
            Some(
                ApiError::new(ErrorCode::Invalid, "title is at most 80 characters")
                    .with_field("title"),
            ),
        ),
        (
            "a code from a newer server",
            reply(
                "422 Unprocessable Entity",
                "application/problem+json",
                r#"{"code":"moon_phase","detail":"later"}"#,
            ),
            None,
        ),
        (
            "the same body as plain JSON",
            reply("422 Unprocessable Entity", "application/json", problem),
            None,
        ),
        (
            "a captive portal",
            reply(
                "403 Forbidden",
                "text/html",
                "<html><body>Sign in to CoffeeWifi</body></html>",
            ),
            None,
        ),
        (
            "problem+json that is not JSON",
            reply("400 Bad Request", "application/problem+json", "<oops>"),
            None,
        ),
    ];
    for (name, canned, expected) in cases {
        let got = get(canned, 1 << 20).await.unwrap();
        assert!(!got.is_success(), "{name}");
        assert_eq!(got.problem(), expected, "{name}");
    }
}

#[tokio::test]
async fn a_long_error_page_is_cut_and_is_then_nobody_s_problem() {
    // A problem+json body padded past the bound: not ours (ours are small).
    let padded = format!(
        r#"{{"code":"invalid","detail":"{}"}}"#,
        "x".repeat(rehome_client::MAX_PROBLEM_BYTES)
    );
    let got = get(
        reply(
            "422 Unprocessable Entity",
            "application/problem+json",
            &padded,
        ),
        1 << 20,
    )
    .await
    .unwrap();
    assert_eq!(got.body().len(), rehome_client::MAX_PROBLEM_BYTES);
    assert_eq!(got.problem(), None);
}

#[tokio::test]
async fn an_unreachable_server_is_offline() {
    // Port 9 (discard): nothing listens there.
    let server = client("http://127.0.0.1:9");
    let err = server
        .send(server.request(Method::GET, "/v1/feed"), 1024)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Offline, "{err}");
}
