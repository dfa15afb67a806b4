#!/usr/bin/env bash
# Prints the memory (PSS and RSS, from /proc/PID/smaps_rollup) of the running app
# and its WebKit processes after the feed has loaded. A measurement, not a test.
#
#   scripts/app-memory.sh [path/to/rehome-shell] [seconds to wait]
#
# Starts a demo server and the app under a private Xvfb, waits, measures, stops.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
app=${1:-$target/debug/rehome-shell}
wait_s=${2:-20}
server_bin=$target/debug/rehome-server
[ -x "$app" ] && [ -x "$server_bin" ] || { echo "build first: cargo xtask ui && cargo build -p rehome-shell -p rehome-server" >&2; exit 1; }

work=$(mktemp -d)
cleanup() { kill -TERM "${app_pid:-}" "${server_pid:-}" "${xvfb_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

"$server_bin" --listen 127.0.0.1:0 --data "$work/server" --demo > "$work/server.out" &
server_pid=$!
for _ in $(seq 100); do grep -q '^listening on ' "$work/server.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/server.out" | head -1)

display=:$(( 150 + RANDOM % 100 ))
Xvfb "$display" -screen 0 1280x900x24 -nolisten tcp 2>/dev/null &
xvfb_pid=$!
sleep 1

DISPLAY=$display XDG_DATA_HOME=$work/data XDG_CACHE_HOME=$work/cache REHOME_SERVER=$url REHOME_LOG=warn "$app" 2>/dev/null &
app_pid=$!
sleep "$wait_s"

# The app and every process it started (WebKit's web and network processes).
pids=$(ps -o pid= --ppid "$app_pid" | tr -s ' \n' ' ')
total_pss=0; total_rss=0
printf '%-8s %-28s %10s %10s\n' pid process 'PSS KiB' 'RSS KiB'
for pid in $app_pid $pids; do
  [ -r /proc/$pid/smaps_rollup ] || continue
  pss=$(awk '/^Pss:/ {print $2}' /proc/$pid/smaps_rollup)
  rss=$(awk '/^Rss:/ {print $2}' /proc/$pid/smaps_rollup)
  name=$(tr '\0' ' ' < /proc/$pid/cmdline | cut -c1-28)
  printf '%-8s %-28s %10s %10s\n' "$pid" "$name" "$pss" "$rss"
  total_pss=$((total_pss + pss)); total_rss=$((total_rss + rss))
done
printf '%-37s %10s %10s\n' total "$total_pss" "$total_rss"
