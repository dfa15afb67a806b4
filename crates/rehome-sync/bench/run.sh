#!/usr/bin/env bash
# Upload benchmark (not a test): 50 camera-sized photos over loopback through
# the sync engine (tus, 512 KiB checksummed chunks, 3 at a time) against curl
# sending the same bytes (one creation + one PATCH per photo, one at a time),
# as a ratio (goal >= 0.8), and the bytes sent again after one cut (goal <= 1
# chunk). Debug builds (the team's rule: no release builds of the workspace on
# this machine): both sides talk to the same debug server.
#
#   crates/rehome-sync/bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
cargo build -q -p rehome-server --bin rehome-server
cargo build -q -p rehome-sync --example bench_upload
work=$(mktemp -d)
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
target/debug/rehome-server --listen "127.0.0.1:$port" --data "$work/server" >"$work/server.log" 2>&1 &
server_pid=$!
url="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -fs "$url/v1/feed" >/dev/null 2>&1 && break; sleep 0.2; done
token=$(curl -fs -X POST "$url/v1/auth/sign-up" -H 'content-type: application/json' \
  -d '{"handle":"bench_user","password":"password1"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')

out=$(target/debug/examples/bench_upload "$url" "$token" "$work/photos")
echo "$out"
engine_bytes=$(sed -nE 's/.*engine_bytes=([0-9]+).*/\1/p' <<<"$out")
engine_secs=$(sed -nE 's/.*engine_seconds=([0-9.]+).*/\1/p' <<<"$out")

# curl: the same files, no content hash (so the server cannot dedupe them).
start=$(date +%s.%N)
curl_bytes=0
for f in "$work"/photos/*.jpg; do
  size=$(stat -c %s "$f")
  loc=$(curl -fs -D - -o /dev/null -X POST "$url/v1/uploads" -H "Authorization: Bearer $token" \
    -H 'Tus-Resumable: 1.0.0' -H "Upload-Length: $size" | tr -d '\r' | sed -nE 's/^[Ll]ocation: (.*)$/\1/p')
  curl -fs -o /dev/null -X PATCH "$url$loc" -H "Authorization: Bearer $token" -H 'Tus-Resumable: 1.0.0' \
    -H 'Content-Type: application/offset+octet-stream' -H 'Upload-Offset: 0' --data-binary "@$f"
  curl_bytes=$((curl_bytes + size))
done
end=$(date +%s.%N)
curl_secs=$(echo "$end - $start" | bc -l)

python3 - "$engine_bytes" "$engine_secs" "$curl_bytes" "$curl_secs" <<'PY'
import sys
eb, es, cb, cs = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
e, c = eb / es / 1e6, cb / cs / 1e6
print(f"engine: {eb} bytes in {es:.2f} s = {e:.1f} MB/s")
print(f"curl:   {cb} bytes in {cs:.2f} s = {c:.1f} MB/s")
print(f"ratio engine/curl = {e / c:.2f} (goal >= 0.8)")
PY
