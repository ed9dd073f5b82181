// Starts labelcheck. The build puts it inline in index.html and lets exactly it run, by its
// hash in the Content-Security-Policy (scripts/inline-boot.mjs): as a file it would cost a round
// trip before anything else starts. It runs in the page's head, before the body is drawn:
//  - it sets the page's language (the one saved, else the first the browser prefers that
//    the app speaks, from <html data-langs>, written at build time from the word tables), so
//    the frame index.html paints is already in that language;
//  - it says which page this is (data-page: "label" for a label link, else "home");
//  - it loads the app that page needs: a label link only the verifier ("label"), anything
//    else the full app. The wasm download starts at once, beside its JavaScript;
//  - it preloads the copies of the lists built into the app that the page needs (their
//    names are in <meta name="labelcheck-built-in">, scripts/preload.sh), beside the app
//    rather than after it: on the home page every key and revocation list; on a label link
//    the status list partition the label will need (FORMAT.md §6.2; its number is in the
//    claim), and its authority's key and revocation lists only if their published copies are
//    not fetched below (a second copy of each would share the link with the app's download);
//  - for a label link, it starts the fetches the label's verdict waits for (the published
//    lists of its authority, its status list partition, its report) beside the app's
//    download instead of after it, a round trip or more sooner; the app takes each response
//    in place of the same fetch of its own (window.labelcheckEarly, src/platform/net.rs).
//    Only for an authority of the build's trust anchors, under the app's fetch policy, and
//    the report only from a host that the authority's key list built into the app names, as
//    the app itself would. Nothing here is trusted: the app verifies all it uses, and fetches
//    anew whatever was not started here.
(function () {
  var html = document.documentElement;
  // The app's download first: it is most of what the page waits for. The module runs only
  // after this script, once the language and the page are set below, and only once the page
  // has painted its frame: with the app at hand (a second visit), starting it at once kept the
  // first paint waiting behind the app's first render about one visit in two.
  var label = location.hash.length > 1;
  var name = label ? "label" : "labelcheck-app";
  var wasm = fetch(new URL(name + "_bg.wasm", document.baseURI));
  // Runs fn once the page has painted (at once if it has, else after its first frame).
  function afterFirstPaint(fn) {
    if (performance.getEntriesByName("first-contentful-paint").length) fn();
    else requestAnimationFrame(function () { setTimeout(fn, 0); });
  }
  import(new URL(name + ".js", document.baseURI).href).then(function (m) {
    afterFirstPaint(function () {
      m.default({ module_or_path: wasm });
    });
  });
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

  // What a label link's claim says of where its status and report are (FORMAT.md §2-3):
  // its authority, serial, report location and status number, or null.
  function claimed(fragment) {
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
      var map = head(), text = {}, status = null;
      for (var k = 0; k < map.len; k++) {
        var key = head().len, start = pos;
        if (key === 2 || key === 3 || key === 11 || key === 13) {
          var h = head();
          if (h.major === 3) text[key] = new TextDecoder().decode(new Uint8Array(bytes.slice(pos, pos + h.len)));
          if (key === 13 && h.major === 0) status = h.len;
        }
        pos = start;
        skip();
      }
      var authority = text[2];
      if (!authority || !/^[A-Za-z0-9-]{1,16}$/.test(authority)) return null;
      return {
        authority: authority,
        serial: text[3] || null,
        location: text[11] || null,
        partition: status === null ? null : Math.floor(status / 1048576),
      };
    } catch (e) {
      return null;
    }
  }

  html.setAttribute("data-page", label ? "label" : "home");

  // Fetches started here, by absolute URL, each taken once by the app's fetch of that URL:
  // the same request as the app's for a published file (no credentials, revalidated, no
  // redirect followed), with an abort the app's timeout uses.
  var early = {};
  Object.defineProperty(window, "labelcheckEarly", { value: early });
  function fetchEarly(url) {
    if (!early[url]) {
      var abort = new AbortController();
      var response = fetch(url, {
        credentials: "omit",
        cache: "no-cache",
        redirect: "manual",
        headers: { Accept: "application/jose+json, application/json" },
        signal: abort.signal,
      });
      response.catch(function () {});
      early[url] = { response: response, abort: abort };
    }
  }
  var builtIn = document.querySelector('meta[name="labelcheck-built-in"]');
  builtIn = builtIn ? builtIn.content.split(" ") : [];
  function preload(name) {
    if (builtIn.indexOf(name) < 0) return;
    var link = document.createElement("link");
    link.rel = "preload";
    link.as = "fetch";
    link.crossOrigin = "anonymous";
    link.href = "lists/" + name + ".jws";
    document.head.appendChild(link);
  }

  // The preloads and early fetches once the frame is painted, in a task of their own: each
  // fetch started costs a slow phone's main thread a millisecond or more, and all in the
  // page's first task made it long enough to hold up a tap, and the first paint. They are
  // done long before the app, whose download is under way, asks for them.
  afterFirstPaint(function () {
    var claim = label ? claimed(location.hash.slice(1)) : null;
    // The published lists of the label's authority, its status list partition and its
    // report, from where the build says they are (<meta name="labelcheck-fetches">, written by
    // scripts/label-fetches.mjs from the build's trust.json and key lists), for an authority
    // this app trusts only: nothing a stranger's label names is fetched.
    var fetches = document.querySelector('meta[name="labelcheck-fetches"]');
    var where = null;
    try {
      where = claim && fetches && JSON.parse(fetches.content)[claim.authority];
    } catch (e) {}
    for (var i = 0; i < builtIn.length; i++) {
      var list = /^(.*)\.(keys|revocations)$/.exec(builtIn[i]);
      if (list && (!label || (claim && !where && list[1] === claim.authority))) preload(builtIn[i]);
    }
    if (claim && claim.partition !== null) preload(claim.authority + ".status-" + claim.partition);
    if (where) {
      var trustUrl = new URL("trust.json", location.href).href;
      fetchEarly(new URL(where.keys, trustUrl).href);
      fetchEarly(new URL(where.revocations, trustUrl).href);
      if (claim.partition !== null && where.status) {
        fetchEarly(where.status.split("{partition}").join(claim.partition));
      }
      var report = claim.location || (where.report && claim.serial && where.report.split("{serial}").join(claim.serial));
      try {
        if (report && where.hosts.indexOf(new URL(report).host) >= 0) fetchEarly(report);
      } catch (e) {}
    }
  });
})();
