#!/usr/bin/env bash
# Load benchmark: GET /v1/feed on loopback against a release build with the demo
# catalogue. Reports p50/p99 at a fixed request rate (open loop, measured from
# each request's scheduled start) and, for reference, wrk's closed-loop numbers.
#
#   [LISTINGS=60] crates/rehome-server/bench/feed-load.sh [RATE=500] [SECONDS=20]
#
# LISTINGS seeds that many demo listings (--demo-listings), e.g. 10000 for the
# buyer feed's goal (issue 12): feed, Following and sorted search at that size.
#
# Goal (issue 3): p99 <= 20 ms at 500 req/s on a 2-core machine.
set -euo pipefail
RATE=${1:-500}
SECONDS_=${2:-20}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"
cargo build --release -p rehome-server --bin rehome-server --example feed_load
DATA=$(mktemp -d)
OUT=$(mktemp)
cleanup() { [ -n "${PID:-}" ] && kill -TERM "$PID" 2>/dev/null; wait "${PID:-}" 2>/dev/null || true; rm -rf "$DATA" "$OUT"; }
trap cleanup EXIT
RUST_LOG=warn ./target/release/rehome-server --listen 127.0.0.1:0 --data "$DATA" --demo --demo-listings "${LISTINGS:-60}" >"$OUT" &
PID=$!
for _ in $(seq 100); do grep -q listening "$OUT" && break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' "$OUT")/v1/feed
echo "server: $URL (pid $PID)"
if command -v wrk >/dev/null; then
  echo "--- wrk, closed loop (2 threads, 16 connections, 10 s): throughput ceiling, for reference"
  wrk -t2 -c16 -d10s --latency "$URL" | sed -n '/Latency Distribution/,/Transfer/p'
fi
echo "--- fixed rate: $RATE req/s for $SECONDS_ s, anonymous feed"
./target/release/examples/feed_load "$URL" "$RATE" "$SECONDS_" 32
BASE=${URL%/v1/feed}
TOKEN=$(curl -sf -H 'content-type: application/json' \
  -d '{"handle":"ana_buys","password":"rehome-demo"}' "$BASE/v1/auth/sign-in" |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
curl -sf -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \
  -d '{"clientId":"00000000-0000-0000-0000-0000000000b1","mutations":[{"id":1,"name":"follow","args":{"sellerId":"'"$(curl -sf "$URL?limit=1" | sed -n 's/.*"seller":{"id":"\([^"]*\)".*/\1/p')"'"}}]}' \
  "$BASE/v1/sync/push" >/dev/null
echo "--- fixed rate: $RATE req/s for $SECONDS_ s, personalised feed (ana_buys, following one seller)"
FEED_TOKEN=$TOKEN ./target/release/examples/feed_load "$URL" "$RATE" "$SECONDS_" 32
echo "--- fixed rate: $RATE req/s for $SECONDS_ s, Following feed (ana_buys)"
FEED_TOKEN=$TOKEN ./target/release/examples/feed_load "$URL?following=true" "$RATE" "$SECONDS_" 32
echo "--- fixed rate: $RATE req/s for $SECONDS_ s, search: tops, size M, cheapest first"
./target/release/examples/feed_load "$BASE/v1/search?category=tops&size=M&sort=price_asc" "$RATE" "$SECONDS_" 32
echo "--- fixed rate: $RATE req/s for $SECONDS_ s, search: a word (dress), newest first"
./target/release/examples/feed_load "$BASE/v1/search?q=dress" "$RATE" "$SECONDS_" 32
