#!/bin/sh
# Adds to DIST/index.html a preload of the app's trust anchors, and the names of the lists
# built into it (DIST/lists/*.jws) in <meta name="labelcheck-built-in">, from which boot.js
# preloads the ones the page needs: on the home page every key and revocation list; on a
# label link the one status list partition its label needs, and its authority's key and
# revocation lists only when the published ones are not fetched beside the app (then a
# second copy of each would share the phone's link with the app's download). Then the service
# worker's list of the build's files is written again (scripts/sw-manifest.mjs), after the
# addresses a label's verdict fetches from (scripts/label-fetches.mjs). Run by the post-build
# hook; after adding your own trust.json and lists to a deployment build, run it again:
# ./scripts/preload.sh dist
set -eu
dist="${1:?usage: preload.sh DIST}"
links=""
built_in=""
for f in "$dist"/lists/*.jws; do
  [ -f "$f" ] && built_in="$built_in${built_in:+ }$(basename "$f" .jws)"
done
if [ -f "$dist/trust.json" ] && ! grep -q 'href="trust.json"' "$dist/index.html"; then
  links='<link rel="preload" href="trust.json" as="fetch" crossorigin="anonymous" />'
fi
tmp="$dist/index.html.tmp"
# The lists built in and the preload, first in the head, before the boot script: it reads
# the one and fetches what the other preloads, and a fetch takes a preload's response only if
# the page has the preload by then. A page read again gets a fresh list. Whole lines only:
# the boot script inline in the page mentions these tags too.
sed -e '/^ *<meta name="labelcheck-built-in" content="[^"]*" \/>$/d' \
  -e "s#^  <head>\$#  <head>\n    <meta name=\"labelcheck-built-in\" content=\"$built_in\" />${links:+\n    $links}#" \
  "$dist/index.html" >"$tmp"
mv "$tmp" "$dist/index.html"
# Where a label's verdict fetches from, for the boot script to start at once.
node "$(dirname "$0")/label-fetches.mjs" "$dist"
# index.html changed: the service worker's list of the build's files must say so.
node "$(dirname "$0")/sw-manifest.mjs" "$dist"
