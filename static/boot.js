// Starts labelcheck. A file, not an inline script, so the Content-Security-Policy can forbid
// inline script (static/_headers). It runs in the page's head, before the body is drawn:
//  - it sets the page's language (the one saved, else the first the browser prefers that
//    the app speaks, from <html data-langs>, written at build time from the word tables), so
//    the frame index.html paints is already in that language;
//  - it says which page this is (data-page: "label" for a label link, else "home");
//  - it loads the app that page needs: a label link only the verifier ("label"), anything
//    else the full app. The wasm download starts at once, beside its JavaScript;
//  - for a label link, it preloads the app's own copy of the status list partition the label
//    will need (FORMAT.md §6.2; its number is in the claim), when the build has one (the
//    names in <meta name="labelcheck-status">, scripts/preload.sh), beside the app rather
//    than after it. Only a preload: nothing here is trusted, the app verifies what it uses.
(function () {
  var html = document.documentElement;
  var langs = (html.getAttribute("data-langs") || "en:en").split(" ").map(function (l) {
    var parts = l.split(":");
    return { code: parts[0], matches: parts.slice(1) };
  });
  function pick(tag) {
    if (!tag) return null;
    var primary = tag.split(/[-_]/)[0].toLowerCase();
    for (var i = 0; i < langs.length; i++) {
      if (langs[i].code.toLowerCase() === tag.toLowerCase() || langs[i].matches.indexOf(primary) >= 0) {
        return langs[i].code;
      }
    }
    return null;
  }
  var chosen = null;
  try {
    chosen = pick(localStorage.getItem("labelcheck.lang"));
  } catch (e) {}
  var prefs = navigator.languages || [navigator.language];
  for (var i = 0; !chosen && i < prefs.length; i++) chosen = pick(prefs[i]);
  html.lang = chosen || langs[0].code;

  // The authority and status number a label link's claim carries (FORMAT.md §2-3), or null.
  function claimedStatus(fragment) {
    var digits = /^1([0-9]+)$/.exec(fragment);
    if (!digits) return null;
    var d = digits[1], sizes = { 0: 0, 3: 1, 5: 2, 8: 3, 10: 4, 13: 5, 15: 6 }, bytes = [];
    if (!(d.length % 17 in sizes)) return null;
    for (var at = 0; at < d.length; at += 17) {
      var group = d.slice(at, at + 17), n = group.length === 17 ? 7 : sizes[group.length];
      var v = BigInt(group), part = [];
      for (var k = 0; k < n; k++) {
        part.unshift(Number(v & 255n));
        v >>= 8n;
      }
      bytes = bytes.concat(part);
    }
    var pos = 0;
    function head() {
      var b = bytes[pos++], major = b >> 5, info = b & 31, len = info;
      if (info >= 24 && info <= 27) {
        len = 0;
        for (var k = 0; k < 1 << (info - 24); k++) len = len * 256 + bytes[pos++];
      } else if (info > 27) throw 0;
      return { major: major, len: len };
    }
    function skip() {
      var h = head();
      if (h.major === 2 || h.major === 3) pos += h.len;
      else if (h.major === 4) for (var k = 0; k < h.len; k++) skip();
      else if (h.major === 5) for (var k = 0; k < 2 * h.len; k++) skip();
      else if (h.major === 6) skip();
    }
    try {
      if (bytes[0] === 0xd2) pos = 1;
      if (head().major !== 4) return null;
      skip();
      skip();
      var payload = head();
      if (payload.major !== 2) return null;
      var map = head(), authority = null, status = null;
      for (var k = 0; k < map.len; k++) {
        var key = head().len, start = pos;
        if (key === 2 || key === 13) {
          var h = head();
          if (key === 2 && h.major === 3) authority = String.fromCharCode.apply(null, bytes.slice(pos, pos + h.len));
          if (key === 13 && h.major === 0) status = h.len;
        }
        pos = start;
        skip();
      }
      if (authority === null || status === null || !/^[A-Za-z0-9-]{1,16}$/.test(authority)) return null;
      return { authority: authority, partition: Math.floor(status / 1048576) };
    } catch (e) {
      return null;
    }
  }

  var label = location.hash.length > 1;
  var status = label ? claimedStatus(location.hash.slice(1)) : null;
  var builtIn = document.querySelector('meta[name="labelcheck-status"]');
  var partition = status && status.authority + ".status-" + status.partition;
  if (status && builtIn && builtIn.content.split(" ").indexOf(partition) >= 0) {
    var link = document.createElement("link");
    link.rel = "preload";
    link.as = "fetch";
    link.crossOrigin = "anonymous";
    link.href = "lists/" + partition + ".jws";
    document.head.appendChild(link);
  }
  html.setAttribute("data-page", label ? "label" : "home");
  var name = label ? "label" : "labelcheck-app";
  var wasm = fetch(new URL(name + "_bg.wasm", document.baseURI));
  import(new URL(name + ".js", document.baseURI).href).then(function (m) {
    return m.default({ module_or_path: wasm });
  });
})();
