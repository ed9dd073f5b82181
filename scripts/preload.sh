#!/bin/sh
# Adds to DIST/index.html a preload of the app's trust anchors and of every list built into it
# (DIST/lists/*.jws), so that they download with the page, beside the app's code, instead of
# after it. Run by the post-build hook; after adding your own trust.json and lists to a
# deployment build, run it again: ./scripts/preload.sh dist
set -eu
dist="${1:?usage: preload.sh DIST}"
links=""
for f in "$dist/trust.json" "$dist"/lists/*.jws; do
  [ -f "$f" ] || continue
  rel="${f#"$dist"/}"
  grep -q "href=\"$rel\"" "$dist/index.html" && continue
  links="$links<link rel=\"preload\" href=\"$rel\" as=\"fetch\" crossorigin=\"anonymous\" />"
done
[ -n "$links" ] || exit 0
tmp="$dist/index.html.tmp"
sed "s#</head>#  $links\n  </head>#" "$dist/index.html" >"$tmp"
mv "$tmp" "$dist/index.html"
