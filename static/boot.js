// Starts labelcheck. A file, not an inline script, so the Content-Security-Policy can forbid
// inline script (static/_headers). It runs in the page's head, before the body is drawn:
//  - it sets the page's language (the one saved, else the first the browser prefers that
//    the app speaks, from <html data-langs>, written at build time from the word tables), so
//    the frame index.html paints is already in that language;
//  - it says which page this is (data-page: "label" for a label link, else "home");
//  - it loads the app that page needs: a label link only the verifier ("label"), anything
//    else the full app. The wasm download starts at once, beside its JavaScript.
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

  var label = location.hash.length > 1;
  html.setAttribute("data-page", label ? "label" : "home");
  var name = label ? "label" : "labelcheck-app";
  var wasm = fetch(new URL(name + "_bg.wasm", document.baseURI));
  import(new URL(name + ".js", document.baseURI).href).then(function (m) {
    return m.default({ module_or_path: wasm });
  });
})();
