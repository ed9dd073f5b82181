#!/usr/bin/env python3
"""Realistic camera frames of labelcheck's own labels, for decoder benchmarks.

  frames.py LABELCHECK_BIN OUT_DIR [--per-case N] [--seed S]

Makes a demo authority with `labelcheck demo` (its labels are the ones `labelcheck issue`
prints), then for each category below and each frame size (640x480, 1280x720, 1920x1080)
writes N.png frames with N.txt holding the exact QR text, under OUT_DIR/CATEGORY/SIZE/,
the layout bench/corpus.py reads. Deterministic for a given seed.
"""

import io
import json
import math
import os
import random
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SIZES = [(640, 480), (1280, 720), (1920, 1080)]


def background(w, h, rng):
    base = rng.randint(90, 200)
    yy, xx = np.mgrid[0:h, 0:w]
    grad = (xx / w * rng.uniform(-30, 30) + yy / h * rng.uniform(-30, 30)).astype(np.float32)
    tex = np.random.default_rng(rng.randint(0, 1 << 30)).normal(0, 6, (h, w)).astype(np.float32)
    g = np.clip(base + grad + tex, 0, 255)
    rgb = np.stack([g, g * rng.uniform(0.9, 1.05), g * rng.uniform(0.85, 1.0)], axis=-1)
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))


def find_coeffs(src, dst):
    # Perspective coefficients mapping output (dst) points back to input (src) points.
    m = []
    for (x, y), (u, v) in zip(dst, src):
        m.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        m.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    a = np.array(m, dtype=np.float64)
    b = np.array(src, dtype=np.float64).reshape(8)
    return np.linalg.solve(a, b).tolist()


def place(label, w, h, rng, scale, tilt=0.0, angle=0.0):
    """The label scaled to `scale` of the frame height, rotated, with perspective `tilt`."""
    lh = int(h * scale)
    lw = int(label.width * lh / label.height)
    lab = label.resize((lw, lh), Image.BILINEAR).convert("RGBA")
    cx, cy = w / 2 + rng.uniform(-0.08, 0.08) * w, h / 2 + rng.uniform(-0.08, 0.08) * h
    a = math.radians(angle)
    corners = [(-lw / 2, -lh / 2), (lw / 2, -lh / 2), (lw / 2, lh / 2), (-lw / 2, lh / 2)]
    dst = []
    for i, (x, y) in enumerate(corners):
        # Tilt: the far edge shrinks, as a label seen at an angle.
        k = 1 - tilt * (0.5 if i in (0, 1) else -0.5) * rng.uniform(0.6, 1.0)
        x2, y2 = x * k, y
        dst.append((cx + x2 * math.cos(a) - y2 * math.sin(a), cy + x2 * math.sin(a) + y2 * math.cos(a)))
    src = [(0, 0), (lw, 0), (lw, lh), (0, lh)]
    coeffs = find_coeffs(src, dst)
    return lab.transform((w, h), Image.PERSPECTIVE, coeffs, Image.BILINEAR)


def compose(label, w, h, rng, **kw):
    frame = background(w, h, rng).convert("RGBA")
    frame.alpha_composite(place(label, w, h, rng, **kw))
    return frame.convert("RGB")


def noise(img, sigma, rng):
    a = np.asarray(img).astype(np.float32)
    a += np.random.default_rng(rng.randint(0, 1 << 30)).normal(0, sigma, a.shape)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def jpeg(img, quality):
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def glare(img, rng):
    w, h = img.size
    yy, xx = np.mgrid[0:h, 0:w]
    cx, cy, r = rng.uniform(0.35, 0.65) * w, rng.uniform(0.35, 0.65) * h, rng.uniform(0.12, 0.22) * min(w, h)
    spot = np.exp(-(((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r))) * rng.uniform(120, 180)
    a = np.asarray(img).astype(np.float32) + spot[..., None]
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def shadow(img, rng):
    w, h = img.size
    mask = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(mask)
    x = rng.uniform(0.3, 0.6) * w
    d.polygon([(x, 0), (w, 0), (w, h), (x + rng.uniform(-0.2, 0.2) * w, h)], fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(15))
    k = np.asarray(mask).astype(np.float32) / 255 * rng.uniform(0.45, 0.6)
    a = np.asarray(img).astype(np.float32) * (1 - k[..., None])
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def curve(img, rng):
    """Packaging curved around a vertical axis: the label squeezed toward its sides and its
    rows bowed, as on a round bottle or a cylindrical device."""
    w, h = img.size
    a = np.asarray(img)
    bend = rng.uniform(0.15, 0.3)
    u = (np.arange(w, dtype=np.float32) - w / 2) / (w / 2)
    src = np.clip(w / 2 + (w / 2) * u * (1 + bend * u * u), 0, w - 1).astype(np.int64)
    dy = ((1 - u * u) * h * 0.03 * rng.uniform(0.5, 1)).astype(np.int64)
    rows = np.clip(np.arange(h)[:, None] - dy[None, :], 0, h - 1)
    return Image.fromarray(a[rows, src[None, :]])


def qr_box(label):
    """Where the QR code lies on a label image: the rows and columns of its middle band that are
    dense with dark pixels."""
    a = np.asarray(label.convert("L")) < 110
    h, w = a.shape
    band = a[int(0.2 * h):int(0.75 * h)]
    rows = np.where(band.mean(axis=1) > 0.15)[0] + int(0.2 * h)
    cols = np.where(a[rows.min():rows.max()].mean(axis=0) > 0.15)[0]
    return int(cols.min()), int(rows.min()), int(cols.max()), int(rows.max())


def finger(label, rng):
    """A fingertip over the label's edge, covering a corner of the code away from its three
    finder patterns (a tenth of the code or so, within what level M corrects)."""
    lab = label.convert("RGB").copy()
    x0, y0, x1, y1 = qr_box(lab)
    side = float(x1 - x0)
    w, h = lab.size
    mask = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(mask)
    # A long ellipse coming in from below right, its tip inside the code's corner.
    tip = (x1 - side * rng.uniform(0.12, 0.2), y1 - side * rng.uniform(0.12, 0.2))
    angle = math.radians(rng.uniform(30, 60))
    length, width = side * 0.9, side * rng.uniform(0.22, 0.3)
    cx, cy = tip[0] + math.cos(angle) * length / 2, tip[1] + math.sin(angle) * length / 2
    pts = []
    for k in range(48):
        t = 2 * math.pi * k / 48
        ex, ey = math.cos(t) * length / 2, math.sin(t) * width / 2
        pts.append((cx + ex * math.cos(angle) - ey * math.sin(angle), cy + ex * math.sin(angle) + ey * math.cos(angle)))
    d.polygon(pts, fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(float(side) / 80))
    skin = np.zeros((h, w, 3), np.float32)
    yy, xx = np.mgrid[0:h, 0:w]
    shade = 0.75 + 0.25 * np.cos((xx - cx) / side * 3)
    for c, v in enumerate(rng.choice([(224, 172, 140), (198, 134, 96), (141, 85, 60)])):
        skin[..., c] = v * shade
    m = np.asarray(mask).astype(np.float32)[..., None] / 255
    out = np.asarray(lab).astype(np.float32) * (1 - m) + skin * m
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def specular(label, rng):
    """A glossy film's reflection: a long bright streak across the code that washes its
    contrast out towards white in the middle."""
    lab = label.convert("RGB").copy()
    x0, y0, x1, y1 = qr_box(lab)
    side = float(x1 - x0)
    w, h = lab.size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = x0 + side * rng.uniform(0.35, 0.65), y0 + side * rng.uniform(0.35, 0.65)
    angle = math.radians(rng.uniform(0, 180))
    along = (xx - cx) * math.cos(angle) + (yy - cy) * math.sin(angle)
    across = -(xx - cx) * math.sin(angle) + (yy - cy) * math.cos(angle)
    k = np.exp(-(along / (side * 0.35)) ** 2 - (across / (side * rng.uniform(0.05, 0.08))) ** 2) * rng.uniform(0.75, 0.88)
    a = np.asarray(lab).astype(np.float32)
    a = a + (255 - a) * k[..., None]
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def cylinder(label, rng):
    """The label wrapped round a bottle or a tube (axis upright) and seen from the front: the
    code squeezed towards the sides along an arc, darker where the surface turns away."""
    lab = label.convert("RGB")
    w, h = lab.size
    # The label's width covers this share of half the circumference.
    cover = rng.uniform(0.45, 0.7)
    radius = w / (cover * math.pi)
    half = radius * math.sin(cover * math.pi / 2)
    out_w = int(2 * half)
    xs = np.arange(out_w, dtype=np.float32) + 0.5 - half
    arc = radius * np.arcsin(np.clip(xs / radius, -1, 1))
    src = np.clip(arc + w / 2 - 0.5, 0, w - 1)
    a = np.asarray(lab).astype(np.float32)
    x0 = np.floor(src).astype(np.int64)
    x1 = np.clip(x0 + 1, 0, w - 1)
    f = (src - x0)[None, :, None]
    out = a[:, x0] * (1 - f) + a[:, x1] * f
    out *= (0.55 + 0.45 * np.cos(arc / radius))[None, :, None]
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def motion(img, rng, h):
    """The camera moving while the shutter is open: a blur along a line."""
    length = max(2, int(rng.uniform(5, 11) * h / 720))
    angle = math.radians(rng.uniform(0, 180))
    a = np.asarray(img).astype(np.float32)
    out = np.zeros_like(a)
    for k in range(length):
        t = k - (length - 1) / 2
        dx, dy = int(round(t * math.cos(angle))), int(round(t * math.sin(angle)))
        out += np.roll(np.roll(a, dy, axis=0), dx, axis=1)
    return Image.fromarray(np.clip(out / length, 0, 255).astype(np.uint8))


def moire(label, w, h, rng):
    """A label shown on a screen and photographed: the screen's pixel grid beats against the
    camera's, its black is grey, and the picture is taken slightly turned."""
    big = compose(label, w * 2, h * 2, rng, scale=0.75, angle=rng.uniform(-8, 8))
    yy, xx = np.mgrid[0:h * 2, 0:w * 2].astype(np.float32)
    phi = math.radians(rng.uniform(-6, 6))
    period = rng.uniform(2.2, 2.8)
    grid = 0.5 + 0.5 * np.cos(2 * math.pi * (xx * math.cos(phi) + yy * math.sin(phi)) / period)
    grid2 = 0.5 + 0.5 * np.cos(2 * math.pi * (-xx * math.sin(phi) + yy * math.cos(phi)) / period)
    a = np.asarray(big).astype(np.float32)
    a = 35 + a * 0.75
    a *= (1 - 0.3 * grid * grid2)[..., None]
    # The camera samples the screen without filtering first: the grids beat.
    small = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).resize((w, h), Image.NEAREST)
    return noise(small.filter(ImageFilter.GaussianBlur(0.6)), 3, rng)


CATEGORIES = {
    "straight": lambda lab, w, h, r: compose(lab, w, h, r, scale=0.8),
    "perspective": lambda lab, w, h, r: compose(lab, w, h, r, scale=0.75, tilt=r.uniform(0.25, 0.45)),
    "rotation": lambda lab, w, h, r: compose(lab, w, h, r, scale=0.6, angle=r.uniform(-180, 180)),
    "blur": lambda lab, w, h, r: compose(lab, w, h, r, scale=0.8).filter(ImageFilter.GaussianBlur(r.uniform(1.0, 1.8) * h / 720)),
    "noise": lambda lab, w, h, r: noise(compose(lab, w, h, r, scale=0.8), r.uniform(12, 22), r),
    "jpeg": lambda lab, w, h, r: jpeg(compose(lab, w, h, r, scale=0.8), r.randint(15, 30)),
    "glare": lambda lab, w, h, r: glare(compose(lab, w, h, r, scale=0.8), r),
    "low-light": lambda lab, w, h, r: noise(Image.eval(compose(lab, w, h, r, scale=0.8), lambda v: int(v * 0.22)), 4, r),
    "low-contrast": lambda lab, w, h, r: Image.eval(compose(lab, w, h, r, scale=0.8), lambda v: int(110 + v * 0.25)),
    "small": lambda lab, w, h, r: compose(lab, w, h, r, scale=r.uniform(0.38, 0.45)),
    "shadow": lambda lab, w, h, r: shadow(compose(lab, w, h, r, scale=0.8), r),
    "curved": lambda lab, w, h, r: curve(compose(lab, w, h, r, scale=0.8), r),
    "motion-blur": lambda lab, w, h, r: motion(compose(lab, w, h, r, scale=0.8), r, h),
    "specular": lambda lab, w, h, r: compose(specular(lab, r), w, h, r, scale=0.8, tilt=r.uniform(0, 0.2)),
    "cylinder": lambda lab, w, h, r: compose(cylinder(lab, r), w, h, r, scale=0.8, tilt=r.uniform(0, 0.15)),
    "moire": lambda lab, w, h, r: moire(lab, w, h, r),
    "finger": lambda lab, w, h, r: compose(finger(lab, r), w, h, r, scale=0.8, angle=r.uniform(-15, 15)),
}


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        print(__doc__)
        return 2
    labelcheck, out = args[0], args[1]
    per_case = int(args[args.index("--per-case") + 1]) if "--per-case" in args else 2
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 1
    with tempfile.TemporaryDirectory() as tmp:
        demo = os.path.join(tmp, "demo")
        subprocess.run([labelcheck, "demo", demo], check=True, capture_output=True, timeout=300)
        listing = json.load(open(os.path.join(demo, "labels.json")))["labels"]
        labels = [(Image.open(os.path.join(demo, l["png"])).convert("RGB"), l["qr"]) for l in listing]
        count = 0
        for cat, make in CATEGORIES.items():
            for (w, h) in SIZES:
                d = os.path.join(out, cat, f"{w}x{h}")
                os.makedirs(d, exist_ok=True)
                rng = random.Random(f"{seed}-{cat}-{w}")
                n = 0
                for lab, text in labels:
                    for _ in range(per_case):
                        make(lab, w, h, rng).save(os.path.join(d, f"{n}.png"))
                        with open(os.path.join(d, f"{n}.txt"), "w") as f:
                            f.write(text)
                        n += 1
                        count += 1
    print(f"{count} frames in {len(CATEGORIES)} categories x {len(SIZES)} sizes written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
