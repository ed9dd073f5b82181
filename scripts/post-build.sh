#!/bin/sh
# Trunk's post-build hook, on the built app in TRUNK_STAGING_DIR:
#  1. fills the words of the frame index.html paints before the app loads, from the word
#     tables (labelcheck-shell);
#  2. unless LABELCHECK_NO_DEMO=1, lays the demo authority's public files over the app: its
#     trust anchors, lists (also as the copies built into the app, lists/DEMO.*.jws), reports
#     and label images. The demo lives in target/demo (LABELCHECK_DEMO_DIR); its keys are made
#     once and kept, so labels printed or photographed earlier keep verifying, while every
#     build publishes fresh lists;
#  3. puts static/boot.js into index.html, its hash into _headers' script-src
#     (scripts/inline-boot.mjs: a file of its own would cost a round trip before the app's
#     download starts); preloads the trust anchors and the lists built into the app with the page, and writes
#     the service worker's list of the build's files with their digests (scripts/preload.sh,
#     scripts/sw-manifest.mjs);
#  4. writes a gzip and a brotli copy beside every file worth compressing, for hosts that
#     serve precompressed files (and ./scripts/serve).
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
dist="${TRUNK_STAGING_DIR:?run by trunk}"
cargo run --quiet --package labelcheck-words --bin labelcheck-shell --manifest-path "$root/Cargo.toml" -- "$dist"
if [ "${LABELCHECK_NO_DEMO:-0}" != "1" ]; then
  demo="${LABELCHECK_DEMO_DIR:-$root/target/demo}"
  cargo build --quiet -p labelcheck --manifest-path "$root/Cargo.toml"
  "$root/target/debug/labelcheck" demo "$demo" --origin "${LABELCHECK_DEMO_ORIGIN:-http://127.0.0.1:8080}"
  cp -R "$demo/public/." "$dist/"
  mkdir -p "$dist/lists"
  cp "$demo/public/demo/keys.jws" "$dist/lists/DEMO.keys.jws"
  cp "$demo/public/demo/revocations.jws" "$dist/lists/DEMO.revocations.jws"
  for part in "$demo"/public/demo/status/*.jws; do
    [ -f "$part" ] && cp "$part" "$dist/lists/DEMO.status-$(basename "$part")"
  done
fi
node "$root/scripts/inline-boot.mjs" "$dist"
sh "$root/scripts/preload.sh" "$dist"
node "$root/scripts/precompress.mjs" "$dist"
