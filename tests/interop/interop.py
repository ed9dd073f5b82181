#!/usr/bin/env python3
"""An independent implementation of docs/FORMAT.md with standard libraries (pycose, cbor2,
jwcrypto, cryptography), used to check labelcheck in both directions:

  all LABELCHECK WORKDIR   both directions below, with the `labelcheck` binary at LABELCHECK
  sign DIR        act as an authority: write trust.json, keys.jws, revocations.jws, a status
                  list partition, reports and labels.json (QR texts with the verdict
                  labelcheck must give)
  verify DEMODIR  verify every label of `labelcheck demo DEMODIR` (reports read from the folder)
                  and compare with the verdicts labels.json expects

Written from FORMAT.md alone; it shares no code with labelcheck. The status list's bit
arrays (FORMAT.md §6.2, the IETF Token Status List) are also made and read with
`token_status_list`, an implementation of the draft by others: both readings must agree.
"""

import base64
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import zlib

import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives import serialization
from jwcrypto import jwk, jws
from pycose.algorithms import EdDSA
from pycose.headers import KID, Algorithm
from pycose.keys import OKPKey
from pycose.keys.curves import Ed25519
from pycose.messages import Sign1Message
from token_status_list import BitArray

GROUP_DIGITS = {1: 3, 2: 5, 3: 8, 4: 10, 5: 13, 6: 15, 7: 17}
PARTITION_SIZE = 1 << 20


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def unb64u(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


# ---- FORMAT.md §2: bytes <-> digits -------------------------------------------------------

def to_digits(data):
    out = []
    for i in range(0, len(data), 7):
        chunk = data[i:i + 7]
        out.append(str(int.from_bytes(chunk, "big")).zfill(GROUP_DIGITS[len(chunk)]))
    return "".join(out)


def from_digits(digits):
    rest = len(digits) % 17
    lengths = {v: k for k, v in GROUP_DIGITS.items()}
    if rest != 0 and rest not in lengths:
        raise ValueError("bad digit count")
    out = b""
    for i in range(0, len(digits), 17):
        group = digits[i:i + 17]
        n = lengths[len(group)]
        value = int(group)
        if value >= 1 << (8 * n):
            raise ValueError("group out of range")
        out += value.to_bytes(n, "big")
    return out


# ---- keys ---------------------------------------------------------------------------------

class Key:
    def __init__(self, kid):
        self.kid = kid
        self.private = Ed25519PrivateKey.generate()
        self.d = self.private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                            serialization.NoEncryption())
        self.x = self.private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    def public_jwk(self):
        return {"kty": "OKP", "crv": "Ed25519", "x": b64u(self.x), "kid": self.kid}

    def jose(self):
        return jwk.JWK(kty="OKP", crv="Ed25519", x=b64u(self.x), d=b64u(self.d))


def jws_sign(payload, key, typ):
    token = jws.JWS(payload)
    token.add_signature(key.jose(), None, json.dumps({"alg": "EdDSA", "kid": key.kid, "typ": typ}))
    return token.serialize(compact=False)


def jws_open(text, public_x, typ):
    """Returns the payload octets, or raises. §4: three members, EdDSA, right typ, valid signature."""
    doc = json.loads(text)
    if sorted(doc) != ["payload", "protected", "signature"]:
        raise ValueError("not a flattened JWS with exactly three members")
    header = json.loads(unb64u(doc["protected"]))
    if header.get("alg") != "EdDSA" or header.get("typ") != typ or "crit" in header or "b64" in header:
        raise ValueError("bad header")
    token = jws.JWS()
    token.allowed_algs = ["EdDSA"]
    token.deserialize(text)
    token.verify(jwk.JWK(kty="OKP", crv="Ed25519", x=public_x))
    return token.payload


def jws_kid(text):
    return json.loads(unb64u(json.loads(text)["protected"]))["kid"]


def days(d):
    return (d - dt.date(1970, 1, 1)).days


def ts(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_ts(s):
    return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key")
    return dict(pairs)


# ---- an authority written from FORMAT.md ---------------------------------------------------

def sign(out):
    os.makedirs(os.path.join(out, "reports"), exist_ok=True)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    today = now.date()
    root, k1 = Key("py-root"), Key("p1")
    base = "https://verify.example/"
    keys = {
        "format": 1, "authority": "PYCA", "name": {"en": "Python Interop CA", "zh": "互操作测试机构"},
        "demo": True, "version": 7, "issued_at": ts(now), "expires": ts(now + dt.timedelta(days=30)),
        "verifier": base, "report_hosts": ["reports.example"],
        "report_url": "https://reports.example/r/{serial}.jws",
        "revocations_url": "https://reports.example/revocations.jws",
        "status_url": "https://reports.example/status/{partition}.jws",
        "keys": [dict(k1.public_jwk(), not_before=ts(now - dt.timedelta(days=365)),
                      not_after=ts(now + dt.timedelta(days=365)))],
        "programmes": [{"id": 1, "code": "cn-cls", "name": {"en": "Cybersecurity Label", "zh": "网络安全标识"},
                        "levels": [1, 2, 3], "max_level": 3}],
    }
    revs = {"format": 1, "authority": "PYCA", "version": 3, "issued_at": ts(now),
            "expires": ts(now + dt.timedelta(days=7)),
            "revoked": [{"serial": "PY-REVOKED", "date": str(today), "reason": "misuse"}],
            "acts": [{"kind": "product", "maker": "Interop Devices Ltd.", "model": "ID-7 Plug",
                      "date": str(today), "reason": "withdrawn"}],
            "partitions": 1}
    # Partition 0 of the status list, made with the Token Status List implementation: status
    # numbers 5 (genuine) and 6 (revoked).
    bits = BitArray.of_size(1, PARTITION_SIZE)
    bits[6] = 1
    status = {"format": 1, "authority": "PYCA", "partition": 0, "version": 2, "issued_at": ts(now),
              "expires": ts(now + dt.timedelta(days=7)), "status_list": bits.dump()}
    trust = {"format": 1, "anchors": [{"authority": "PYCA", "name": keys["name"], "demo": True,
                                       "root_keys": [root.public_jwk()],
                                       "key_list_url": "https://reports.example/keys.jws",
                                       "revocations_url": keys["revocations_url"]}]}
    with open(os.path.join(out, "trust.json"), "w") as f:
        json.dump(trust, f)
    with open(os.path.join(out, "keys.jws"), "w") as f:
        f.write(jws_sign(json.dumps(keys).encode(), root, "labelcheck-keys+json"))
    with open(os.path.join(out, "revocations.jws"), "w") as f:
        f.write(jws_sign(json.dumps(revs).encode(), root, "labelcheck-revocations+json"))
    with open(os.path.join(out, "status-0.jws"), "w") as f:
        f.write(jws_sign(json.dumps(status).encode(), root, "labelcheck-status+json"))

    labels = []
    for serial, level, expect, model, number in [
            ("PY-0001", 3, "genuine", "ID-9 Sensor", None),
            ("PY-REVOKED", 2, "revoked", "ID-9 Sensor", None),
            ("PY-TAMPERED", 1, "not-genuine", "ID-9 Sensor", None),
            ("PY-STATUS-OK", 2, "genuine", "ID-9 Sensor", 5),
            ("PY-STATUS-SET", 2, "revoked", "ID-9 Sensor", 6),
            ("PY-PRODUCT", 1, "revoked", "ID-7 Plug", None)]:
        valid_from, valid_until = today - dt.timedelta(days=3), today + dt.timedelta(days=700)
        report = {
            "format": 1, "authority": "PYCA", "serial": serial, "programme": 1, "level": level,
            "maker": "Interop Devices Ltd.", "model": model, "valid_from": str(valid_from),
            "valid_until": str(valid_until), "issued_at": ts(now),
            "product": {"name": "ID-9", "category": "sensor", "firmware_versions": ["1.0"]},
            "standard": {"id": "STD-1", "title": "Baseline", "clauses": [
                {"id": "1", "title": "No default passwords", "result": "pass"}]},
            "test_lab": {"name": "Lab", "tested_on": str(today - dt.timedelta(days=10))},
            "support_until": str(today + dt.timedelta(days=1500)),
            "update_policy": "monthly", "default_password": "unique", "vulnerability_contact": "sec@example.com",
        }
        payload = json.dumps(report, ensure_ascii=False).encode()
        with open(os.path.join(out, "reports", serial + ".jws"), "w") as f:
            f.write(jws_sign(payload, k1, "labelcheck-report+json"))
        claim = {1: 1, 2: "PYCA", 3: serial, 4: 1, 5: level, 6: report["maker"], 7: report["model"],
                 9: days(valid_from), 10: days(valid_until), 12: hashlib.sha256(payload).digest()[:16]}
        if number is not None:
            claim[13] = number
        msg = Sign1Message(phdr={Algorithm: EdDSA, KID: k1.kid.encode()}, payload=cbor2.dumps(claim))
        msg.key = OKPKey(crv=Ed25519, d=k1.d, x=k1.x)
        cose = msg.encode()
        if expect == "not-genuine":
            # One field edited after signing: the level, from 1 to 3.
            decoded = cbor2.loads(cose)
            fields = cbor2.loads(decoded.value[2])
            fields[5] = 3
            decoded.value[2] = cbor2.dumps(fields)
            cose = cbor2.dumps(decoded)
        labels.append({"serial": serial, "expected": expect, "qr": base + "#1" + to_digits(cose)})
    with open(os.path.join(out, "labels.json"), "w") as f:
        json.dump(labels, f, indent=1)
    print(f"signed {len(labels)} labels into {out}")


# ---- a verifier written from FORMAT.md §8 --------------------------------------------------

def status_bit(doc, index):
    """A label's bit, read twice: by hand from FORMAT.md §6.2 and by the Token Status List
    implementation. They must agree."""
    raw = zlib.decompress(unb64u(doc["status_list"]["lst"]))
    if doc["status_list"]["bits"] != 1 or len(raw) != PARTITION_SIZE // 8:
        raise ValueError("not a whole partition of one bit a label")
    mine = (raw[index // 8] >> (index % 8)) & 1
    theirs = BitArray.load(doc["status_list"]).get(index)
    if mine != theirs:
        raise AssertionError(f"index {index}: read {mine} here, {theirs} by token_status_list")
    STATUS_READS.append((doc["partition"], index, mine))
    return mine


STATUS_READS = []


def verify_label(text, trust, lists, revocations, read_report, now, read_status=lambda a, p: None):
    if len(text) > 4096:
        return "not-a-label"
    text = text.strip(" \t\r\n")
    if len(text) > 4096 or not text.lower().startswith(("https://", "http://")) or "#" not in text:
        return "not-a-label"
    frag = text.split("#", 1)[1]
    if not frag or not frag.isdigit():
        return "not-a-label"
    if not frag.startswith("1"):
        return "not-genuine"
    try:
        cose = from_digits(frag[1:])
        msg = Sign1Message.decode(cose)
        claim = cbor2.loads(msg.payload)
    except Exception:
        return "not-genuine"
    if set(claim) - set(range(1, 14)) or claim.get(1) != 1:
        return "not-genuine"
    authority = claim[2]
    anchor = next((a for a in trust["anchors"] if a["authority"] == authority), None)
    if anchor is None:
        return "unknown-authority"
    keylist = lists.get(authority)
    if keylist is None:
        return "cannot-check"
    kid = msg.phdr.get(KID, b"").decode()
    rev = revocations.get(authority)
    # Step 4a: a withdrawn signing key's labels, whatever else they are.
    if rev and any(a["kind"] == "key" and a.get("kid") == kid for a in rev.get("acts", [])):
        return "revoked"
    entry = next((k for k in keylist["keys"] if k["kid"] == kid), None)
    if entry is None:
        return "not-genuine"
    msg.key = OKPKey(crv=Ed25519, x=unb64u(entry["x"]))
    try:
        if not msg.verify_signature():
            return "not-genuine"
    except Exception:
        return "not-genuine"
    day_start = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(days=claim[9])
    if not (parse_ts(entry["not_before"]) < day_start + dt.timedelta(days=1)
            and day_start < parse_ts(entry["not_after"])):
        return "not-genuine"
    programme = next((p for p in keylist["programmes"] if p["id"] == claim[4]), None)
    if programme is None:
        return "cannot-check"
    if claim[5] not in programme["levels"]:
        return "not-genuine"
    part = None
    if 13 in claim:
        partition, index = divmod(claim[13], PARTITION_SIZE)
        if not (rev and partition >= rev.get("partitions", 0)):
            part = read_status(authority, partition)
            if part is None:
                return "cannot-check"
            if status_bit(part, index):
                return "revoked"
    elif rev:
        if any(r["serial"] == claim[3] for r in rev["revoked"]):
            return "revoked"
        if any(a["kind"] == "product" and a["maker"] == claim[6] and a["model"] == claim[7]
               and claim[9] < days(dt.date.fromisoformat(a["date"])) for a in rev.get("acts", [])):
            return "revoked"
    signed = max(parse_ts(x["issued_at"]) for x in [keylist] + ([rev] if rev else []) + ([part] if part else []))
    if now + dt.timedelta(days=1) < signed:
        return "cannot-check"
    until_end = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(days=claim[10] + 1)
    if now >= until_end:
        return "expired"
    if now + dt.timedelta(days=1) < day_start:
        return "not-genuine"
    grace = dt.timedelta(days=7)
    if rev is None or any(now > parse_ts(x["expires"]) + grace for x in [keylist, rev] + ([part] if part else [])):
        return "cannot-check"
    url = claim.get(11) or keylist["report_url"].replace("{serial}", claim[3])
    host = url.split("://", 1)[1].split("/", 1)[0].lower()
    if host not in keylist["report_hosts"]:
        return "cannot-check"
    report_text = read_report(url)
    if report_text is None:
        return "genuine-offline"
    try:
        rkid = jws_kid(report_text)
    except Exception:
        return "cannot-check"
    rentry = next((k for k in keylist["keys"] if k["kid"] == rkid), None)
    if rentry is None:
        return "not-genuine"
    try:
        payload = jws_open(report_text, rentry["x"], "labelcheck-report+json")
    except Exception:
        return "not-genuine"
    report = json.loads(payload, object_pairs_hook=no_duplicates)
    if not (parse_ts(rentry["not_before"]) <= parse_ts(report["issued_at"]) < parse_ts(rentry["not_after"])):
        return "not-genuine"
    if hashlib.sha256(payload).digest()[:16] != claim[12]:
        return "not-genuine"
    pairs = [("authority", 2), ("serial", 3), ("programme", 4), ("level", 5), ("maker", 6), ("model", 7)]
    if any(report[name] != claim[k] for name, k in pairs):
        return "not-genuine"
    return "genuine"


def load_status(trust, path, authority, partition):
    """A partition as FORMAT.md §6.2 says a verifier takes it: signed by the authority's root,
    the authority's, the partition asked for."""
    if not os.path.exists(path):
        return None
    text = open(path).read()
    anchor = next(a for a in trust["anchors"] if a["authority"] == authority)
    root = next((r for r in anchor["root_keys"] if r["kid"] == jws_kid(text)), None)
    if root is None:
        return None
    doc = json.loads(jws_open(text, root["x"], "labelcheck-status+json"), object_pairs_hook=no_duplicates)
    if doc["authority"] != authority or doc["partition"] != partition:
        return None
    return doc


def load_lists(trust, key_files, rev_files):
    lists, revs = {}, {}
    for path, typ, into in [(p, "labelcheck-keys+json", lists) for p in key_files] + \
                           [(p, "labelcheck-revocations+json", revs) for p in rev_files]:
        text = open(path).read()
        kid = jws_kid(text)
        for anchor in trust["anchors"]:
            for root in anchor["root_keys"]:
                if root["kid"] == kid:
                    try:
                        doc = json.loads(jws_open(text, root["x"], typ), object_pairs_hook=no_duplicates)
                    except Exception:
                        continue
                    if doc["authority"] == anchor["authority"]:
                        into[doc["authority"]] = doc
    return lists, revs


def verify(demo):
    public = os.path.join(demo, "public")
    trust = json.load(open(os.path.join(public, "trust.json")))
    lists, revs = load_lists(trust, [os.path.join(public, "demo", "keys.jws")],
                             [os.path.join(public, "demo", "revocations.jws")])
    listing = json.load(open(os.path.join(demo, "labels.json")))
    prefix = listing["origin"] + "/demo/reports/"

    def read_report(url):
        if not url.startswith(prefix):
            return None
        path = os.path.join(public, "demo", "reports", url[len(prefix):])
        return open(path).read() if os.path.exists(path) else None

    def read_status(authority, partition):
        url = lists[authority]["status_url"].replace("{partition}", str(partition))
        status_prefix = listing["origin"] + "/demo/status/"
        if not url.startswith(status_prefix):
            return None
        return load_status(trust, os.path.join(public, "demo", "status", url[len(status_prefix):]),
                           authority, partition)

    now = dt.datetime.now(dt.timezone.utc)
    passed = failed = 0
    for label in listing["labels"]:
        got = verify_label(label["qr"], trust, lists, revs, read_report, now, read_status)
        ok = got == label["expected"]
        passed += ok
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {label['case']}: expected {label['expected']}, independent verifier says {got}")
    return passed, failed


def labelcheck_verifies(labelcheck, out):
    """Labels signed here, verified by labelcheck."""
    passed = failed = 0
    for label in json.load(open(os.path.join(out, "labels.json"))):
        result = subprocess.run(
            [labelcheck, "verify", "--json", "--trust", os.path.join(out, "trust.json"),
             "--keys", os.path.join(out, "keys.jws"), "--revocations", os.path.join(out, "revocations.jws"),
             "--status", os.path.join(out, "status-0.jws"), "--reports", os.path.join(out, "reports"), label["qr"]],
            capture_output=True, text=True, timeout=60)
        got = json.loads(result.stdout)["verdict"] if result.stdout.strip() else f"error: {result.stderr.strip()}"
        ok = got == label["expected"]
        passed += ok
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} signed here {label['serial']}: expected {label['expected']}, labelcheck says {got}")
    return passed, failed


def main():
    args = sys.argv[1:]
    if args[:1] == ["sign"] and len(args) == 2:
        sign(args[1])
        return 0
    if args[:1] == ["verify"] and len(args) == 2:
        passed, failed = verify(args[1])
    elif args[:1] == ["all"] and len(args) == 3:
        labelcheck, work = args[1], args[2]
        demo, signed = os.path.join(work, "demo"), os.path.join(work, "signed")
        subprocess.run([labelcheck, "demo", demo], check=True, timeout=120)
        p1, f1 = verify(demo)
        sign(signed)
        p2, f2 = labelcheck_verifies(labelcheck, signed)
        # The demo's status list was read by both readers for its labels with a status.
        p3, f3 = (1, 0) if any(bit for _, _, bit in STATUS_READS) and len(STATUS_READS) >= 3 else (0, 1)
        print(f"{'ok  ' if f3 == 0 else 'FAIL'} status bits read by hand and by token_status_list agree:"
              f" {len(STATUS_READS)} labels, {sum(b for _, _, b in STATUS_READS)} revoked")
        passed, failed = p1 + p2 + p3, f1 + f2 + f3
    else:
        print(__doc__)
        return 2
    print(f"interop: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
