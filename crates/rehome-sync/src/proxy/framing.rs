//! Just enough HTTP/1.1 framing for the fault proxy: where a request's or a
//! response's head ends, and how long its `Content-Length` body is.

use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// An HTTP message read off a socket: the head (up to and including the blank
/// line) and the body.
pub(super) struct Message {
    pub(super) head: Vec<u8>,
    pub(super) body: Vec<u8>,
}

impl Message {
    pub(super) fn bytes(&self) -> Vec<u8> {
        let mut v = self.head.clone();
        v.extend_from_slice(&self.body);
        v
    }
}

/// Reads from `sock` into `buf` until it holds a full head. Returns the head's
/// length, or `None` on a clean close before any byte.
pub(super) async fn read_head(
    sock: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<usize>> {
    loop {
        if let Some(i) = find(buf, b"\r\n\r\n") {
            return Ok(Some(i + 4));
        }
        if buf.len() > 64 * 1024 {
            return Err(std::io::Error::other("head too large"));
        }
        let mut chunk = [0u8; 16 * 1024];
        let n = sock.read(&mut chunk).await?;
        if n == 0 {
            return if buf.is_empty() {
                Ok(None)
            } else {
                Err(std::io::ErrorKind::UnexpectedEof.into())
            };
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

pub(super) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The request target of a request head (`/v1/sync/pull`).
pub(super) fn request_path(head: &[u8]) -> &str {
    std::str::from_utf8(head)
        .ok()
        .and_then(|t| t.split(' ').nth(1))
        .unwrap_or("")
}

pub(super) fn header<'a>(head: &'a [u8], name: &str) -> Option<&'a str> {
    let text = std::str::from_utf8(head).ok()?;
    text.split("\r\n").skip(1).find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

pub(super) enum BodyLen {
    Exactly(usize),
    /// Chunked or until close: not framed by us.
    Unframed,
}

/// How long the body is. A request with neither header has none (RFC 9112
/// §6.3); a response with neither runs until the connection closes.
pub(super) fn body_len(head: &[u8], no_body: bool, is_request: bool) -> BodyLen {
    if no_body {
        return BodyLen::Exactly(0);
    }
    if header(head, "transfer-encoding").is_some() {
        return BodyLen::Unframed;
    }
    match header(head, "content-length").and_then(|v| v.parse().ok()) {
        Some(n) => BodyLen::Exactly(n),
        None if is_request => BodyLen::Exactly(0),
        None => BodyLen::Unframed,
    }
}

/// Reads one message: head and a `Content-Length` body. `Ok(None)` on a clean
/// close; `Err` if it cannot be framed.
pub(super) async fn read_message(
    sock: &mut TcpStream,
    buf: &mut Vec<u8>,
    no_body: impl FnOnce(&[u8]) -> bool,
) -> std::io::Result<Option<Message>> {
    let Some(head_len) = read_head(sock, buf).await? else {
        return Ok(None);
    };
    let head: Vec<u8> = buf.drain(..head_len).collect();
    let is_request = !head.starts_with(b"HTTP/");
    let len = match body_len(&head, no_body(&head), is_request) {
        BodyLen::Exactly(n) => n,
        BodyLen::Unframed => return Err(std::io::Error::other("unframed body")),
    };
    while buf.len() < len {
        let mut chunk = vec![0u8; (len - buf.len()).min(256 * 1024)];
        let n = sock.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body: Vec<u8> = buf.drain(..len).collect();
    Ok(Some(Message { head, body }))
}

pub(super) fn is_head_request(head: &[u8]) -> bool {
    head.starts_with(b"HEAD ")
}

pub(super) fn response_has_no_body(request_was_head: bool, head: &[u8]) -> bool {
    let status = std::str::from_utf8(head)
        .ok()
        .and_then(|t| t.split(' ').nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .unwrap_or(200);
    request_was_head || status == 204 || status == 304 || (100..200).contains(&status)
}
