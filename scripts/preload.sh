#!/bin/sh
# Adds to DIST/index.html a preload of the app's trust anchors and of every key and revocation
# list built into it (DIST/lists/*.jws), so that they download with the page, beside the app's
# code, instead of after it. Status list partitions (lists/*.status-N.jws) are not preloaded
# here: a label needs one of them, which boot.js preloads once it has read the label's link,
# from the names listed in <meta name="labelcheck-status">. Then the service worker's list of
# the build's files is written again (scripts/sw-manifest.mjs), after the addresses a label's
# verdict fetches from (scripts/label-fetches.mjs). Run by the post-build hook;
# after adding your own trust.json and lists to a deployment build, run it again:
# ./scripts/preload.sh dist
set -eu
dist="${1:?usage: preload.sh DIST}"
links=""
parts=""
for f in "$dist/trust.json" "$dist"/lists/*.jws; do
  [ -f "$f" ] || continue
  rel="${f#"$dist"/}"
  case "$f" in *.status-*)
    parts="$parts${parts:+ }$(basename "$f" .jws)"
    continue ;;
  esac
  grep -q "href=\"$rel\"" "$dist/index.html" && continue
  links="$links<link rel=\"preload\" href=\"$rel\" as=\"fetch\" crossorigin=\"anonymous\" />"
done
tmp="$dist/index.html.tmp"
# The partitions built in and the preloads, first in the head, before the boot script: it
# reads the one and fetches what the others preload, and a fetch takes a preload's response
# only if the page has the preload by then. A page read again gets a fresh list. Whole lines
# only: the boot script inline in the page mentions these tags too.
sed -e '/^ *<meta name="labelcheck-status" content="[^"]*" \/>$/d' \
  -e "s#^  <head>\$#  <head>\n    <meta name=\"labelcheck-status\" content=\"$parts\" />${links:+\n    $links}#" \
  "$dist/index.html" >"$tmp"
mv "$tmp" "$dist/index.html"
# Where a label's verdict fetches from, for the boot script to start at once.
node "$(dirname "$0")/label-fetches.mjs" "$dist"
# index.html changed: the service worker's list of the build's files must say so.
node "$(dirname "$0")/sw-manifest.mjs" "$dist"
