"""Issuing at production scale, measured: `labelcheck issue --batch` with a key file and with
keys in SoftHSM2, a re-run of a finished batch, and `labelcheck print --check`.

    python3 bench/issue.py LABELCHECK WORKDIR [UNITS] [PRINTED]

Prints a Markdown table: labels, wall time, labels per second, peak memory (the command's
maximum resident set, from the kernel's accounting of the child process).
"""

import base64
import json
import os
import subprocess
import sys
import time

PIN = "246810"
MODULES = [
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
]


def timed(args, cwd, env=None):
    """Runs a command; returns (seconds, peak resident KiB, stderr)."""
    start = time.monotonic()
    p = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.monotonic() - start
    err = p.stderr.read().decode()
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(args)} failed:\n{err}")
    return elapsed, usage.ru_maxrss, err


def run(args, cwd, env=None):
    out = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{out.stderr}")
    return out.stdout


def main():
    exe, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    units = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
    printed = int(sys.argv[4]) if len(sys.argv) > 4 else 1_000
    os.makedirs(work, exist_ok=True)
    run([exe, "demo", "demo"], work)
    demo = os.path.join(work, "demo")
    jws = json.load(open(os.path.join(demo, "public/demo/reports/DEMO-0001.jws")))
    report = json.loads(base64.urlsafe_b64decode(jws["payload"] + "=="))
    shared = ["authority", "programme", "valid_from", "valid_until", "standard", "test_lab",
              "support_until", "update_policy", "default_password", "vulnerability_contact"]
    defaults = {k: report[k] for k in shared}
    json.dump(defaults, open(os.path.join(demo, "defaults.json"), "w"))
    # 100 products, the units shared out among them: a factory's month.
    products = 100
    rows = ["maker,model,level,units,gtins,product.name,product.category,product.firmware_versions"]
    for i in range(products):
        n = units // products + (1 if i < units % products else 0)
        rows.append(f"Acme,Model {i},{1 + i % 3},{n},,Model {i},camera,1.{i}|1.{i + 1}")
    open(os.path.join(demo, "batch.csv"), "w").write("\n".join(rows) + "\n")
    results = []

    def issue(name, key, keys, out, env=None, cwd=demo):
        secs, kib, _ = timed([exe, "issue", "--batch", "batch.csv", "--defaults", "defaults.json",
                              "--key", key, "--keys", keys, "--out-dir", out], cwd, env)
        results.append((name, units, secs, kib))

    issue("key file, a new batch", "private/k1.jwk", "public/demo/keys.jws", "out")
    issue("key file, the same batch run again (all done: each label checked, its QR text re-signed)",
          "private/k1.jwk", "public/demo/keys.jws", "out")

    # Keys in SoftHSM2: a token initialised here, root and signing keys made in it.
    module = next((m for m in MODULES if os.path.exists(m)), None)
    if module is None:
        sys.exit("SoftHSM2 is needed: install the softhsm2 package")
    hsm = os.path.join(work, "hsm")
    os.makedirs(os.path.join(hsm, "tokens"), exist_ok=True)
    conf = os.path.join(hsm, "softhsm2.conf")
    open(conf, "w").write(f"directories.tokendir = {hsm}/tokens\nobjectstore.backend = file\nlog.level = ERROR\n")
    env = dict(os.environ, SOFTHSM2_CONF=conf, LABELCHECK_PKCS11_PIN=PIN)
    run(["softhsm2-util", "--init-token", "--free", "--label", "authority", "--so-pin", "13579", "--pin", PIN],
        hsm, env)
    uri = lambda kid: f"pkcs11:token=authority;object={kid}?module-path={module}"
    run([exe, "keygen", "--kid", "root-h", "--out", uri("root-h")], hsm, env)
    sign = run([exe, "keygen", "--kid", "sign-h", "--out", uri("sign-h")], hsm, env)
    open(os.path.join(hsm, "sign-h.pub.json"), "w").write(sign)
    keys = json.loads(base64.urlsafe_b64decode(
        json.load(open(os.path.join(demo, "public/demo/keys.jws")))["payload"] + "=="))
    for k in ["version", "issued_at", "expires"]:
        keys.pop(k, None)
    keys["keys"] = [{"key_file": "sign-h.pub.json", "not_before": "2020-01-01T00:00:00Z",
                     "not_after": "2040-01-01T00:00:00Z"}]
    json.dump(keys, open(os.path.join(hsm, "keys.json"), "w"))
    run([exe, "keys", "--input", "keys.json", "--root", uri("root-h"), "--out", "keys.jws"], hsm, env)
    for f in ["batch.csv", "defaults.json"]:
        open(os.path.join(hsm, f), "w").write(open(os.path.join(demo, f)).read())
    issue("SoftHSM2 2.6 (PKCS#11), a new batch", uri("sign-h"), "keys.jws", "out", env, hsm)

    # Print: the first labels as A4 sheets, then every label read back and verified.
    manifest = json.load(open(os.path.join(demo, "out/manifest.json")))
    manifest["labels"] = manifest["labels"][:printed]
    json.dump(manifest, open(os.path.join(demo, "print.json"), "w"))
    secs, kib, err = timed([exe, "print", "--manifest", "print.json", "--keys", "public/demo/keys.jws",
                            "--out", "sheets.pdf"], demo)
    sheets = err.split(" sheet(s)")[0].rsplit(" ", 2)[-2] if " sheet(s)" in err else "?"
    sheets = f"{int(sheets):,}" if sheets.isdigit() else sheets
    results.append((f"print {printed:,} labels to {sheets} A4 sheets (PDF)", printed, secs, kib))
    secs, kib, err = timed([exe, "print", "--manifest", "print.json", "--keys", "public/demo/keys.jws",
                            "--out", "sheets.pdf", "--check"], demo)
    results.append(("the same, with the print check (rendered at 300 and 150 dpi, every label decoded "
                    "and verified)", printed, secs, kib))

    print("| run | labels | wall time | labels per second | peak memory |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, n, secs, kib in results:
        print(f"| {name} | {n:,} | {secs:.1f} s | **{n / secs:,.0f}** | {kib / 1024:.0f} MiB |")


if __name__ == "__main__":
    main()
