#!/usr/bin/env python3
"""Serves a built labelcheck app (dist/) the way a good static host does, for ./scripts/serve
and the phone benchmark: precompressed files (.br, .gz) chosen by Accept-Encoding and its
q-values, single byte ranges, HEAD, the app's security headers from _headers, and the cache
and CORS headers of FORMAT.md §10 for lists and reports; nothing outside DIR (a symbolic link
out of it is not followed), 400 for a path with a NUL, a control character or a dot segment.
Standard library only; a development server, not hardened for the internet.

  serve.py DIR [--address A] [--port P] [--tls-cert F --tls-key F]
  serve.py --print-headers HEADERS_FILE   the development headers, one "Name: value" per line

The headers are the deployment's (DIR/_headers), with one difference for development: the
Content-Security-Policy's connect-src also allows plain http to loopback hosts, which
FORMAT.md §1.1 allows for demo and development report hosts. Deployments send _headers as is.
"""

import argparse
import http.server
import os
import ssl
import sys
from urllib.parse import unquote, urlsplit

LOOPBACK = "http://127.0.0.1:* http://localhost:*"

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".css": "text/css",
    ".json": "application/json",
    ".jws": "application/jose+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain; charset=utf-8",
}


def development_headers(path):
    """_headers (Netlify/Cloudflare format: a path line, then indented "Name: value" lines),
    with loopback http added to connect-src."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("  ") or ": " not in line:
                continue
            name, value = line.strip().split(": ", 1)
            if name == "Content-Security-Policy":
                value = value.replace("connect-src 'self' https:", "connect-src 'self' https: " + LOOPBACK)
            out.append((name, value))
    return out


def byte_range(header, size):
    """The one byte range a Range header asks for, as (first, last), or None when it cannot be
    served (several ranges, another unit, or nothing of the file)."""
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    start, _, end = spec.strip().partition("-")
    try:
        if start == "":
            n = int(end)
            if n <= 0:
                return None
            return max(0, size - n), size - 1
        first = int(start)
        last = int(end) if end else size - 1
    except ValueError:
        return None
    if first >= size or last < first:
        return None
    return first, min(last, size - 1)


def make_handler(root, headers):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_HEAD(self):
            self.respond(head_only=True)

        def do_GET(self):
            self.respond(head_only=False)

        def resolve(self):
            """The file a request path names inside the root, or an HTTP status to answer."""
            raw = urlsplit(self.path).path
            path = unquote(raw)
            # A NUL or control character, or a backslash, names no file a host serves.
            if any(ord(c) < 0x20 or c in "\x7f\\" for c in path) or not path.startswith("/"):
                return 400
            if path.endswith("/"):
                path += "index.html"
            parts = path.lstrip("/").split("/")
            if any(p in ("..", ".") for p in parts):
                return 400
            file = os.path.join(root, *parts)
            # Through a symbolic link only to what is inside the root.
            real = os.path.realpath(file)
            if real != root and not real.startswith(root + os.sep):
                return 404
            if not os.path.isfile(real):
                return 404
            return real

        def accepted(self):
            """The content codings the request accepts, by its q-values (q=0: not at all)."""
            out = set()
            for item in self.headers.get("Accept-Encoding", "").split(","):
                name, _, params = item.strip().partition(";")
                q = 1.0
                for param in params.split(";"):
                    key, _, value = param.strip().partition("=")
                    if key.strip().lower() == "q":
                        try:
                            q = float(value)
                        except ValueError:
                            q = 0.0
                if name and q > 0:
                    out.add(name.strip().lower())
            return out

        def respond(self, head_only):
            file = self.resolve()
            if isinstance(file, int):
                return self.fail(file)
            ext = os.path.splitext(file)[1]
            path = urlsplit(self.path).path
            wanted = self.headers.get("Range")
            encoding, body_file = None, file
            # A range is of the file itself, never of a compressed copy.
            if wanted is None:
                accepted = self.accepted()
                for enc, suffix in (("br", ".br"), ("gzip", ".gz")):
                    if enc in accepted and os.path.isfile(file + suffix):
                        encoding, body_file = enc, file + suffix
                        break
            with open(body_file, "rb") as f:
                body = f.read()
            status, extra = 200, []
            if wanted is not None:
                span = byte_range(wanted, len(body))
                if span is None:
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(body)}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                first, last = span
                extra.append(("Content-Range", f"bytes {first}-{last}/{len(body)}"))
                body, status = body[first:last + 1], 206
            self.send_response(status)
            self.send_header("Content-Type", TYPES.get(ext, "application/octet-stream"))
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Vary", "Accept-Encoding")
            for name, value in extra:
                self.send_header(name, value)
            if encoding:
                self.send_header("Content-Encoding", encoding)
            if ext == ".jws":
                # FORMAT.md §10: reports are immutable, lists are re-published under one name.
                self.send_header("Access-Control-Allow-Origin", "*")
                immutable = "/reports/" in path
                self.send_header("Cache-Control", "public, max-age=31536000, immutable" if immutable else "public, max-age=300")
            else:
                self.send_header("Cache-Control", "no-cache")
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            if not head_only:
                self.wfile.write(body)

        def fail(self, status):
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dir", nargs="?")
    p.add_argument("--address", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--print-headers", metavar="HEADERS_FILE")
    a = p.parse_args()
    if a.print_headers:
        for name, value in development_headers(a.print_headers):
            print(f"{name}: {value}")
        return
    if not a.dir:
        p.error("DIR is required")
    headers = development_headers(os.path.join(a.dir, "_headers"))
    root = os.path.realpath(a.dir)
    server = http.server.ThreadingHTTPServer((a.address, a.port), make_handler(root, headers))
    if a.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
