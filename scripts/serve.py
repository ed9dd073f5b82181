#!/usr/bin/env python3
"""Serves a built labelcheck app (dist/) the way a good static host does, for ./scripts/serve
and the phone benchmark: precompressed files (.br, .gz) chosen by Accept-Encoding, the app's
security headers from _headers, and the cache and CORS headers of FORMAT.md §10 for lists and
reports. Standard library only.

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


def make_handler(root, headers):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_HEAD(self):
            self.respond(head_only=True)

        def do_GET(self):
            self.respond(head_only=False)

        def respond(self, head_only):
            path = unquote(urlsplit(self.path).path)
            if path.endswith("/"):
                path += "index.html"
            rel = os.path.normpath(path.lstrip("/"))
            if rel.startswith("..") or os.path.isabs(rel):
                return self.fail(400)
            file = os.path.join(root, rel)
            if not os.path.isfile(file):
                return self.fail(404)
            ext = os.path.splitext(file)[1]
            accepted = {e.split(";")[0].strip() for e in self.headers.get("Accept-Encoding", "").split(",")}
            encoding, body_file = None, file
            for enc, suffix in (("br", ".br"), ("gzip", ".gz")):
                if enc in accepted and os.path.isfile(file + suffix):
                    encoding, body_file = enc, file + suffix
                    break
            with open(body_file, "rb") as f:
                body = f.read()
            self.send_response(200)
            self.send_header("Content-Type", TYPES.get(ext, "application/octet-stream"))
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Vary", "Accept-Encoding")
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
    server = http.server.ThreadingHTTPServer((a.address, a.port), make_handler(os.path.abspath(a.dir), headers))
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
