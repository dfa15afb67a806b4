#!/usr/bin/env bash
# Photo pipeline benchmark (not a test): our pipeline vs vipsthumbnail, same run.
#   crates/rehome-photo/bench/run.sh            # 5 runs each, medians
#   REPEAT=11 crates/rehome-photo/bench/run.sh
# Needs: vipsthumbnail (libvips-tools), /usr/bin/time (time), mate-backgrounds.
# Uses ../shared/photos/olympus_ep3_4032x3024.jpg too when it is present.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$ROOT"
REPEAT="${REPEAT:-5}"

command -v vipsthumbnail >/dev/null || { echo "vipsthumbnail missing (apt-get install libvips-tools)"; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing (apt-get install time)"; exit 2; }

cargo build --quiet --release -p rehome-photo --example photo_compress --example photo_quality
BIN="$ROOT/target/release/examples"

INPUTS=()
MATE="$(find /usr/share/backgrounds/mate -name '*5640x3172*.jpg' 2>/dev/null | head -1 || true)"
[ -n "$MATE" ] && INPUTS+=("$MATE") || echo "note: mate-backgrounds 5640x3172 photo not found (apt-get install mate-backgrounds)"
OLY="$ROOT/../shared/photos/olympus_ep3_4032x3024.jpg"
[ -f "$OLY" ] && INPUTS+=("$OLY")
[ "${#INPUTS[@]}" -gt 0 ] || { echo "no benchmark input"; exit 2; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# one timed run: prints "cpu_s wall_s maxrss_kib"
timed() {
    /usr/bin/time -f '%U %S %e %M' -o "$WORK/t" "$@" >/dev/null 2>&1
    awk '{ printf "%.3f %.3f %d\n", $1 + $2, $3, $4 }' "$WORK/t"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "rehome-photo vs vipsthumbnail ($(vipsthumbnail --vips-version 2>/dev/null | head -1)), $REPEAT runs each, medians, $(nproc) cores"
for IN in "${INPUTS[@]}"; do
    mkdir -p "$WORK/ours" "$WORK/vips"
    : >"$WORK/ours.txt"; : >"$WORK/vips.txt"
    timed "$BIN/photo_compress" "$IN" "$WORK/ours" >/dev/null   # warm the page cache
    for _ in $(seq "$REPEAT"); do
        timed "$BIN/photo_compress" "$IN" "$WORK/ours" >>"$WORK/ours.txt"
        timed vipsthumbnail "$IN" -s 1600 -o "$WORK/vips/out.jpg[Q=80,strip]" >>"$WORK/vips.txt"
    done
    OC=$(cut -d' ' -f1 "$WORK/ours.txt" | median); OW=$(cut -d' ' -f2 "$WORK/ours.txt" | median); OM=$(cut -d' ' -f3 "$WORK/ours.txt" | median)
    VC=$(cut -d' ' -f1 "$WORK/vips.txt" | median); VW=$(cut -d' ' -f2 "$WORK/vips.txt" | median); VM=$(cut -d' ' -f3 "$WORK/vips.txt" | median)
    OB=$(stat -c %s "$WORK/ours/photo.jpg"); TB=$(stat -c %s "$WORK/ours/thumb.jpg"); VB=$(stat -c %s "$WORK/vips/out.jpg")
    echo
    echo "== $(basename "$IN") ($(stat -c %s "$IN") bytes)"
    printf '%-34s %8s %8s %10s %10s\n' "" "cpu s" "wall s" "peak MiB" "out bytes"
    printf '%-34s %8s %8s %10.1f %10s\n' "ours (1600 px + 400 px thumb)" "$OC" "$OW" "$(echo "$OM / 1024" | bc -l)" "$OB (+$TB)"
    printf '%-34s %8s %8s %10.1f %10s\n' "vipsthumbnail -s 1600 Q=80,strip" "$VC" "$VW" "$(echo "$VM / 1024" | bc -l)" "$VB"
    printf 'ratio ours/vips: cpu %.2fx  wall %.2fx  memory %.2fx  bytes %.2fx   (goal: cpu <= 0.45x, memory <= 0.5x)\n' \
        "$(echo "$OC / $VC" | bc -l)" "$(echo "$OW / $VW" | bc -l)" "$(echo "$OM / $VM" | bc -l)" "$(echo "$OB / $VB" | bc -l)"
    "$BIN/photo_quality" "$IN" "$WORK/ours/photo.jpg" "$WORK/vips/out.jpg"
done
