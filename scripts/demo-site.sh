#!/bin/sh
# Trunk post-build hook: lays the demo authority's public files over the built app.
# The demo lives in target/demo (LABELCHECK_DEMO_DIR); its keys are made once and kept, so labels printed or
# photographed earlier keep verifying, while every build publishes fresh lists.
set -eu
[ "${LABELCHECK_NO_DEMO:-0}" = "1" ] && exit 0
root="$(cd "$(dirname "$0")/.." && pwd)"
demo="${LABELCHECK_DEMO_DIR:-$root/target/demo}"
cargo build --quiet -p labelcheck --manifest-path "$root/Cargo.toml"
"$root/target/debug/labelcheck" demo "$demo" --origin "${LABELCHECK_DEMO_ORIGIN:-http://127.0.0.1:8080}"
cp -R "$demo/public/." "${TRUNK_STAGING_DIR:?run by trunk}/"
# The copies of the lists built into the app (the app also refreshes them from their URLs).
mkdir -p "$TRUNK_STAGING_DIR/lists"
cp "$demo/public/demo/keys.jws" "$TRUNK_STAGING_DIR/lists/DEMO.keys.jws"
cp "$demo/public/demo/revocations.jws" "$TRUNK_STAGING_DIR/lists/DEMO.revocations.jws"
