// Writes into DIR/sw.js the build's files with the SHA-256 of each (FILES) and their digest
// together (BUILD), so that the service worker keeps one whole build and knows a new one
// (static/sw.js says how). Run by the post-build hook after everything that changes the app's
// files (scripts/preload.sh runs it again), before the precompressed copies are written.
// Usage: node scripts/sw-manifest.mjs DIR
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// The app's own files: every page and worker loads only these (the boot script in index.html names the apps). The
// maskable icons are not among them: a browser fetches those itself, online, when the app is
// put on a home screen, and nothing of a check waits on them.
const FILES = [
  "index.html",
  "style.css",
  "label.js",
  "label_bg.wasm",
  "labelcheck-app.js",
  "labelcheck-app_bg.wasm",
  "scan-worker.js",
  "scan-worker_bg.wasm",
  "scan-worker_loader.js",
  "manifest.webmanifest",
  "icons/icon.svg",
  "icons/icon-192.png",
  "icons/icon-512.png",
];

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node scripts/sw-manifest.mjs DIR");
  process.exit(2);
}
const sha256 = (data) => createHash("sha256").update(data).digest("hex");
const missing = FILES.filter((f) => !existsSync(join(dir, f)));
if (missing.length > 0) {
  console.error(`sw-manifest: not in ${dir}: ${missing.join(", ")}`);
  process.exit(1);
}
const digests = Object.fromEntries(FILES.map((f) => [f, sha256(readFileSync(join(dir, f)))]));
const build = sha256(FILES.map((f) => `${f} ${digests[f]}\n`).join("")).slice(0, 16);
const path = join(dir, "sw.js");
const source = readFileSync(path, "utf8");
const files = /^const FILES = .*$/m;
const buildLine = /^const BUILD = .*$/m;
if (!files.test(source) || !buildLine.test(source)) {
  console.error(`sw-manifest: ${path} has no FILES or BUILD line to write`);
  process.exit(1);
}
writeFileSync(
  path,
  source
    .replace(files, `const FILES = ${JSON.stringify(digests)}; // written by scripts/sw-manifest.mjs`)
    .replace(buildLine, `const BUILD = "${build}"; // written by scripts/sw-manifest.mjs`),
);
