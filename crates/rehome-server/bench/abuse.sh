#!/usr/bin/env bash
# Abuse benchmark (issue 16): the server under `ulimit -n 1024` with its
# default limits, on loopback, against examples/abuse.rs, which prints:
#   1. parallel wrong sign-ins evaluated (goal <= 5 per account and address),
#   2. the server's peak RSS during 500 parallel sign-ins,
#   3. the 5xx count of 1,000 concurrent feed requests (goal 0),
#   4. how long 200 slow-header connections hold a socket (goal <= the
#      header-read timeout).
#
#   [PROFILE=dev|release] crates/rehome-server/bench/abuse.sh
#
# The server trusts 127.0.0.1 as a proxy (--trusted-proxy), so the bench can
# send requests from many client addresses (X-Forwarded-For), as a botnet
# would; every other limit is the default.
set -euo pipefail
PROFILE=${PROFILE:-dev}
HEADER_TIMEOUT_MS=10000 # Limits::default().header_read_timeout_ms
FAILURE_LIMIT=5         # Limits::default().sign_in_failures_per_account_address
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"
if [ "$PROFILE" = release ]; then
  cargo build --release -p rehome-server --bin rehome-server --example abuse
  BIN=target/release
else
  cargo build -p rehome-server --bin rehome-server --example abuse
  BIN=target/debug
fi
DATA=$(mktemp -d)
OUT=$(mktemp)
LOG=$(mktemp)
cleanup() { [ -n "${PID:-}" ] && kill -TERM "$PID" 2>/dev/null; wait "${PID:-}" 2>/dev/null || true; rm -rf "$DATA" "$OUT" "$LOG"; }
trap cleanup EXIT
# exec: the server is the subshell itself, so $! is its pid (for its RSS).
(ulimit -n 1024 && RUST_LOG=warn exec "$BIN/rehome-server" --listen 127.0.0.1:0 --data "$DATA" \
  --demo --lazy-photos --trusted-proxy 127.0.0.1) >"$OUT" 2>"$LOG" &
PID=$!
for _ in $(seq 300); do grep -q listening "$OUT" && break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' "$OUT")
echo "server: $URL (pid $PID, $PROFILE build, open files $(awk '/Max open files/ {print $4}' /proc/$PID/limits))"
"$BIN/examples/abuse" "$URL" "$PID" "$HEADER_TIMEOUT_MS" "$FAILURE_LIMIT"
echo "server log: $(wc -l <"$LOG") lines, $(grep -c ERROR "$LOG" || true) at ERROR"
