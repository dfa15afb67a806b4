#!/usr/bin/env bash
# Photo pipeline benchmark (not a test): our pipeline vs vipsthumbnail, same run.
#   crates/rehome-photo/bench/run.sh            # medians of 5 samples each
#   REPEAT=11 LOOP=20 crates/rehome-photo/bench/run.sh
# Each sample runs the command LOOP times in a row (default 10) and divides:
# /usr/bin/time counts CPU in 10 ms steps, too coarse for a 0.1 s command.
# Needs: vipsthumbnail (libvips-tools), /usr/bin/time (time), mate-backgrounds.
# Uses ../shared/photos/olympus_ep3_4032x3024.jpg too when it is present.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$ROOT"
REPEAT="${REPEAT:-5}"
LOOP="${LOOP:-10}"

command -v vipsthumbnail >/dev/null && command -v vips >/dev/null || { echo "vipsthumbnail missing (apt-get install libvips-tools)"; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing (apt-get install time)"; exit 2; }

cargo build --quiet --release -p rehome-photo --example photo_compress --example photo_quality
BIN="$ROOT/target/release/examples"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

INPUTS=()
MATE="$(find /usr/share/backgrounds/mate -name '*5640x3172*.jpg' 2>/dev/null | head -1 || true)"
if [ -n "$MATE" ]; then
    # A 12 MP camera-like file from the same registry photo: the mate file is a
    # 16 MB progressive JPEG, while cameras and phones write baseline 4:2:0.
    # A 4032x3024 crop saved baseline, 4:2:0, q92, no metadata.
    vips crop "$MATE" "$WORK/mate_crop_4032x3024_baseline.jpg[Q=92,subsample-mode=on,strip]" 804 74 4032 3024
    INPUTS+=("$WORK/mate_crop_4032x3024_baseline.jpg" "$MATE")
else
    echo "note: mate-backgrounds 5640x3172 photo not found (apt-get install mate-backgrounds)"
fi
OLY="$ROOT/../shared/photos/olympus_ep3_4032x3024.jpg"
[ -f "$OLY" ] && INPUTS+=("$OLY")
[ "${#INPUTS[@]}" -gt 0 ] || { echo "no benchmark input"; exit 2; }

# one sample, LOOP runs in a row: prints "cpu_s wall_s maxrss_kib" per run
# (peak memory is the largest single run's: the shell's children are waited for).
timed() {
    /usr/bin/time -f '%U %S %e %M' -o "$WORK/t" \
        bash -c 'for _ in $(seq "$0"); do "$@" >/dev/null 2>&1 || exit 1; done' "$LOOP" "$@"
    awk -v n="$LOOP" '{ printf "%.4f %.4f %d\n", ($1 + $2) / n, $3 / n, $4 }' "$WORK/t"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "rehome-photo vs vipsthumbnail ($(vipsthumbnail --vips-version 2>/dev/null | head -1)), medians of $REPEAT samples of $LOOP runs each, $(nproc) cores"
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
