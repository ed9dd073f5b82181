"""Issuing at production scale, measured: `labelcheck issue --batch` with a key file (this
build, and an earlier build in the same run, alternating, so the machine's load hits both
alike) and with keys in SoftHSM2, a re-run of a finished batch, and `labelcheck print --check`.

    python3 bench/issue.py LABELCHECK WORKDIR [UNITS] [PRINTED] [BASELINE_LABELCHECK]

Prints a Markdown table: labels, wall time, labels per second, peak memory (the command's
maximum resident set, from the kernel's accounting of the child process).
"""

import base64
import json
import os
import statistics
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


def new_interface(exe):
    """Whether this build issues with an authority file (else: --keys, a register here)."""
    return "--authority" in run([exe, "issue", "--help"], "/")


def prepare(exe, work, name, units):
    """A demo authority for `exe` in WORKDIR/NAME, with the batch's CSV and defaults."""
    run([exe, "demo", name], work)
    demo = os.path.join(work, name)
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
    return demo


def issue_args(exe, key, out, keys="public/demo/keys.jws"):
    where = ["--authority", "authority.json"] if new_interface(exe) else ["--keys", keys]
    return [exe, "issue", "--batch", "batch.csv", "--defaults", "defaults.json", "--key", key,
            *where, "--out-dir", out]


def main():
    exe, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    units = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
    printed = int(sys.argv[4]) if len(sys.argv) > 4 else 1_000
    baseline = os.path.abspath(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[5] else None
    os.makedirs(work, exist_ok=True)
    demo = prepare(exe, work, "demo", units)
    results = []

    def issue(name, key, keys, out, env=None, cwd=demo):
        secs, kib, _ = timed(issue_args(exe, key, out, keys), cwd, env)
        results.append((name, units, secs, kib))

    # This build and the baseline, new batches, alternating: two rounds each.
    builds = [("this build", exe, demo)]
    if baseline:
        builds.append(("baseline", baseline, prepare(baseline, work, "demo-baseline", units)))
    times = {name: [] for name, _, _ in builds}
    for rnd in range(2):
        for name, build, folder in builds:
            secs, kib, _ = timed(issue_args(build, "private/k1.jwk", f"out-{rnd}"), folder)
            times[name].append((secs, kib))
    for name, build, _ in builds:
        secs = statistics.median(t for t, _ in times[name])
        kib = max(k for _, k in times[name])
        what = "every label verified by the core's verifier before it is written, reports synced" \
            if new_interface(build) else "no verification of the written label"
        results.append((f"key file, a new batch: {name} ({what}); median of 2", units, secs, kib))
    # The same batch run again: everything done, each label signed again, verified and compared.
    issue("key file, the same batch run again (all done: each label signed again, verified and "
          "compared with its report)", "private/k1.jwk", "public/demo/keys.jws", "out-0")

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
    root_public = run([exe, "keygen", "--kid", "root-h", "--out", uri("root-h")], hsm, env)
    sign = run([exe, "keygen", "--kid", "sign-h", "--out", uri("sign-h")], hsm, env)
    open(os.path.join(hsm, "sign-h.pub.json"), "w").write(sign)
    keys = json.loads(base64.urlsafe_b64decode(
        json.load(open(os.path.join(demo, "public/demo/keys.jws")))["payload"] + "=="))
    for k in ["version", "issued_at", "expires"]:
        keys.pop(k, None)
    keys["keys"] = [{"key_file": "sign-h.pub.json", "not_before": "2020-01-01T00:00:00Z",
                     "not_after": "2040-01-01T00:00:00Z"}]
    json.dump(keys, open(os.path.join(hsm, "keys.json"), "w"))
    run([exe, "keys", "--input", "keys.json", "--root", uri("root-h"), "--out", "keys.jws",
         "--version", "1"], hsm, env)
    run([exe, "revoke", "--list", "revocations.jws", "--root", uri("root-h"), "--new",
         keys["authority"]], hsm, env)
    for f in ["batch.csv", "defaults.json"]:
        open(os.path.join(hsm, f), "w").write(open(os.path.join(demo, f)).read())
    trust = json.load(open(os.path.join(demo, "public/trust.json")))
    open(os.path.join(hsm, "root-h.pub.json"), "w").write(root_public)
    run([exe, "trust", "--root-key", "root-h.pub.json", "--key-list", "keys.jws", "--key-list-url",
         trust["anchors"][0]["key_list_url"], "--out", "trust.json"], hsm, env)
    run([exe, "setup", "--out", "authority.json", "--trust", "trust.json", "--key-list", "keys.jws",
         "--revocations", "revocations.jws", "--register", "HSM.serials", "--serial-prefix", "HSM-"],
        hsm, env)
    issue("SoftHSM2 2.6 (PKCS#11), a new batch", uri("sign-h"), "keys.jws", "out", env, hsm)

    # Print: the first labels as A4 sheets, then every label read back and verified.
    manifest = json.load(open(os.path.join(demo, "out-0/manifest.json")))
    manifest["labels"] = manifest["labels"][:printed]
    json.dump(manifest, open(os.path.join(demo, "out-0/print.json"), "w"))
    secs, kib, err = timed([exe, "print", "--manifest", "out-0/print.json", "--authority", "authority.json",
                            "--out", "sheets.pdf"], demo)
    sheets = err.split(" sheet(s)")[0].rsplit(" ", 2)[-2] if " sheet(s)" in err else "?"
    sheets = f"{int(sheets):,}" if sheets.isdigit() else sheets
    results.append((f"print {printed:,} labels to {sheets} A4 sheets (PDF)", printed, secs, kib))
    secs, kib, err = timed([exe, "print", "--manifest", "out-0/print.json", "--authority", "authority.json",
                            "--out", "sheets.pdf", "--check"], demo)
    results.append(("the same, with the print check (rendered at 300 and 150 dpi, every label decoded "
                    "and verified)", printed, secs, kib))

    print("| run | labels | wall time | labels per second | peak memory |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, n, secs, kib in results:
        print(f"| {name} | {n:,} | {secs:.1f} s | **{n / secs:,.0f}** | {kib / 1024:.0f} MiB |")


if __name__ == "__main__":
    main()
