#!/usr/bin/env python3
"""Draws Rehome's app icon (a white coat hanger on a teal disc) as RGBA PNGs.

Run once; the PNGs are committed under assets/icons/. Standard library only.
"""
import math, struct, zlib, sys, os

def png(path, size, pixel):
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            row += bytes(pixel(x, y, size))
        rows.append(bytes(row))
    raw = b"".join(rows)
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))

def seg_dist(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))

def coverage(d, half_width):
    return max(0.0, min(1.0, half_width - d + 0.5))

def pixel(x, y, size):
    s = size / 64.0
    cx = cy = size / 2
    px, py = x + 0.5, y + 0.5
    disc = coverage(math.hypot(px - cx, py - cy), size / 2 - 0.5)
    # The hanger: a hook, a neck and a triangle.
    lines = [(32, 20, 32, 27), (32, 26, 12, 42), (32, 26, 52, 42), (12, 42, 52, 42)]
    d = min(seg_dist(px / s, py / s, *l) for l in lines)
    # An open arc of radius 4.5 round (36.5, 20): from the neck's top, over, and down the right.
    hook = abs(math.hypot(px / s - 36.5, py / s - 20) - 4.5)
    if py / s > 20 and px / s < 36.5 or py / s > 23:
        hook = 99
    d = min(d, hook)
    ink = coverage(d * s, 2.2 * s)
    teal = (0x0F, 0x76, 0x6E)
    r, g, b = (round(t + (255 - t) * ink) for t in teal)
    return (r, g, b, round(255 * disc))

out = sys.argv[1] if len(sys.argv) > 1 else "assets/icons"
os.makedirs(out, exist_ok=True)
for name, size in [("32x32.png", 32), ("128x128.png", 128), ("128x128@2x.png", 256), ("icon.png", 512)]:
    png(os.path.join(out, name), size, pixel)
