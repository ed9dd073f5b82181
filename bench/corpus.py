#!/usr/bin/env python3
"""Decode the same images with labelcheck's pipeline (the `labelcheck decode` command, native),
zxing-cpp and ZBar, in one run, and print reads and times per decoder as a Markdown table.

  corpus.py LABELCHECK_BIN IMAGE_DIR...
  corpus.py LABELCHECK_BIN --by-category ROOT   one row per CATEGORY/ folder under ROOT

An image N.png (or .jpg, .jpeg, .webp) counts as read when a decoder returns exactly the text of N.txt beside it.
Times are decode times per image in milliseconds (image file loading excluded for all three).
"""

import json
from importlib.metadata import version
import os
import statistics
import subprocess
import sys
import time

from PIL import Image
import zxingcpp
from pyzbar import pyzbar
from pyzbar.pyzbar import ZBarSymbol


IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp")


def images(dirs):
    out = []
    for d in dirs:
        for root, _, files in os.walk(d):
            for f in files:
                stem, ext = os.path.splitext(f)
                if ext.lower() in IMAGE_EXTENSIONS and os.path.exists(os.path.join(root, stem + ".txt")):
                    out.append(os.path.join(root, f))
    return sorted(out)


def expected(path):
    with open(os.path.splitext(path)[0] + ".txt", "rb") as f:
        return f.read().decode("utf-8", "replace")


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def run_labelcheck(binary, paths):
    proc = subprocess.run([binary, "decode", *paths], capture_output=True, text=True, timeout=3600)
    results = {}
    for line in proc.stdout.splitlines():
        obj = json.loads(line)
        results[obj["image"]] = (obj.get("texts", []), obj.get("ms", 0.0), "error" in obj)
    return results


def run_zxing(paths):
    results = {}
    for p in paths:
        img = Image.open(p)
        img.load()
        t0 = time.perf_counter()
        found = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
        ms = (time.perf_counter() - t0) * 1000
        results[p] = ([r.text for r in found], ms, False)
    return results


def run_zbar(paths):
    results = {}
    for p in paths:
        img = Image.open(p).convert("L")
        t0 = time.perf_counter()
        found = pyzbar.decode(img, symbols=[ZBarSymbol.QRCODE])
        ms = (time.perf_counter() - t0) * 1000
        texts = []
        for r in found:
            try:
                texts.append(r.data.decode("utf-8"))
            except UnicodeDecodeError:
                texts.append(r.data.decode("latin-1"))
        results[p] = (texts, ms, False)
    return results


def by_category(binary, root):
    paths = images([root])
    truth = {p: expected(p) for p in paths}
    runs = [("labelcheck", run_labelcheck(binary, paths)), ("zxing-cpp", run_zxing(paths)), ("ZBar", run_zbar(paths))]
    cats = sorted({os.path.relpath(p, root).split(os.sep)[0] for p in paths})
    print(f"{len(paths)} frames\n")
    print("| category | frames | labelcheck | zxing-cpp | ZBar | labelcheck wrong texts |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    totals = [0, 0, 0, 0, 0]
    for c in cats:
        ps = [p for p in paths if os.path.relpath(p, root).split(os.sep)[0] == c]
        reads = [sum(1 for p in ps if truth[p] in r.get(p, ([], 0, False))[0]) for _, r in runs]
        wrong = sum(1 for p in ps if any(t != truth[p] for t in runs[0][1].get(p, ([], 0, False))[0]))
        cells = " | ".join(f"{n} ({100 * n / len(ps):.0f}%)" for n in reads)
        print(f"| {c} | {len(ps)} | {cells} | {wrong} |")
        for i, v in enumerate([len(ps), *reads, wrong]):
            totals[i] += v
    n = totals[0]
    cells = " | ".join(f"**{v} ({100 * v / n:.0f}%)**" for v in totals[1:4])
    print(f"| **all** | {n} | {cells} | **{totals[4]}** |")
    return 0


def main():
    if len(sys.argv) == 4 and sys.argv[2] == "--by-category":
        return by_category(sys.argv[1], sys.argv[3])
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    paths = images(sys.argv[2:])
    truth = {p: expected(p) for p in paths}
    rows = []
    for name, results in [
        ("labelcheck (rqrr + pipeline)", run_labelcheck(sys.argv[1], paths)),
        (f"zxing-cpp {version('zxing-cpp')}", run_zxing(paths)),
        (f"ZBar (pyzbar {version('pyzbar')})", run_zbar(paths)),
    ]:
        reads = sum(1 for p in paths if truth[p] in results.get(p, ([], 0, False))[0])
        wrong = sum(1 for p in paths if any(t != truth[p] for t in results.get(p, ([], 0, False))[0]))
        failed = sum(1 for p in paths if results.get(p, ([], 0, False))[2])
        times = [results[p][1] for p in paths if p in results]
        rows.append((name, reads, wrong, failed, statistics.median(times), pct(times, 95)))
    print(f"{len(paths)} images\n")
    print("| decoder | exact reads | other texts returned | errors (panics) | median ms | p95 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, reads, wrong, failed, med, p95 in rows:
        print(f"| {name} | {reads} / {len(paths)} | {wrong} | {failed} | {med:.1f} | {p95:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
