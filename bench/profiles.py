"""Native code built for speed against the same code built for size, in the same run.

    python3 bench/profiles.py SPEED_LABELCHECK SIZE_LABELCHECK WORKDIR CORPUS [UNITS] [ROUNDS]

Both commands are this checkout: one built with `[profile.release]` (opt-level 3, thin LTO), the
other with the web app's size profile and curve25519-dalek's portable backend, as native builds
were before they got a profile of their own. Each round runs, for each build in turn (so the
machine's load hits both alike): a new batch of UNITS labels (`issue --batch`, every label
verified before it is written), `verify --offline` of those labels (their QR texts through
`--from`), and `decode` of every image of the QR photo corpus. Prints a Markdown table of the
medians.
"""

import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from issue import issue_args, prepare, timed  # noqa: E402


def images(corpus):
    found = []
    for root, _, files in os.walk(corpus):
        found += [os.path.join(root, f) for f in files if f.lower().endswith((".png", ".jpg", ".jpeg"))]
    return sorted(found)


def main():
    speed, size, work, corpus = (os.path.abspath(a) for a in sys.argv[1:5])
    units = int(sys.argv[5]) if len(sys.argv) > 5 else 10_000
    rounds = int(sys.argv[6]) if len(sys.argv) > 6 else 3
    os.makedirs(work, exist_ok=True)
    builds = {"speed": speed, "size": size}
    demos = {name: prepare(exe, work, f"demo-{name}", units) for name, exe in builds.items()}
    photos = images(corpus)
    times = {(name, task): [] for name in builds for task in ("issue", "verify", "decode")}
    for r in range(rounds):
        for name, exe in builds.items():
            demo, out = demos[name], f"run-{r}"
            t, _, _ = timed(issue_args(exe, "private/k1.jwk", out), demo)
            times[(name, "issue")].append(t)
            texts = os.path.join(demo, out, "qr-texts.txt")
            # Exit code 1 is a verdict (not every label genuine), not a failure of the run.
            cmd = [exe, "verify", "--offline", "--json", "--from", texts]
            start = os.times().elapsed
            status = subprocess.run(cmd, cwd=demo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
            times[(name, "verify")].append(os.times().elapsed - start)
            if status not in (0, 1):
                sys.exit(f"{name}: verify failed ({status})")
            start = os.times().elapsed
            subprocess.run([exe, "decode", *photos], cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times[(name, "decode")].append(os.times().elapsed - start)
            print(f"profiles: round {r + 1} {name}: "
                  + ", ".join(f"{task} {times[(name, task)][-1]:.2f} s" for task in ("issue", "verify", "decode")),
                  file=sys.stderr)
    med = {k: statistics.median(v) for k, v in times.items()}
    rows = [
        ("issue --batch, a new batch (every label verified before it is written)", "issue", units, "labels"),
        ("verify --offline --json, the batch's QR texts", "verify", units, "labels"),
        (f"decode, every image of the QR photo corpus", "decode", len(photos), "images"),
    ]
    print(f"| task | items | built for size | built for speed | speed-up |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, task, n, what in rows:
        a, b = med[("size", task)], med[("speed", task)]
        print(f"| {label} | {n:,} {what} | {a:.2f} s ({n / a:,.0f}/s) | {b:.2f} s ({n / b:,.0f}/s) | {a / b:.1f}× |")


if __name__ == "__main__":
    main()
