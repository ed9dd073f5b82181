#!/bin/sh
# Trunk post-build hook: lays the demo authority's public files over the built app.
# The demo lives in target/demo; its keys are made once and kept, so labels printed or
# photographed earlier keep verifying, while every build publishes fresh lists.
set -eu
[ "${LABELCHECK_NO_DEMO:-0}" = "1" ] && exit 0
root="$(cd "$(dirname "$0")/.." && pwd)"
demo="$root/target/demo"
cargo build --quiet -p labelcheck --manifest-path "$root/Cargo.toml"
"$root/target/debug/labelcheck" demo "$demo" --origin "${LABELCHECK_DEMO_ORIGIN:-http://127.0.0.1:8080}"
cp -R "$demo/public/." "${TRUNK_STAGING_DIR:?run by trunk}/"
