// labelcheck service worker: keeps one build of the app's own files so that, after one visit,
// the app opens at once and verifies label claims with no network, and never a mix of two
// builds.
//
// - FILES is this build's files with the SHA-256 of each, and BUILD their digest together:
//   scripts/sw-manifest.mjs writes both into the built copy of this file (the names stay fixed,
//   Trunk's filehash is off, because the boot script in index.html and this worker name the files; a new build
//   is a new sw.js all the same, since its digests change).
// - Install fetches every file, checks each against its digest and stores them in the cache of
//   this build only when all are right: a cache is one whole build or absent. A server caught
//   half-way through a deploy fails the install, and the build before stays in use.
// - A new build waits (no skipWaiting) until no page runs the old one: a running page keeps the
//   build it started with, and the old build's cache is dropped only at the new one's activation.
// - Only navigations to the app's own page (the scope's root, index.html, with any query or
//   fragment) are answered with the app's page, and that page is only ever the index.html of the
//   build, checked at install. A same-origin file opened in a tab (trust.json, a report, a list)
//   goes to the network and is never stored as the app.
// - Reports and lists are not handled here: the app fetches them itself and keeps the lists it
//   verified on the device. The trust anchors (trust.json) are asked of the network first and
//   kept apart from the builds, for offline visits.
const FILES = {}; // written by scripts/sw-manifest.mjs
const BUILD = "unbuilt"; // written by scripts/sw-manifest.mjs
const CACHE = "labelcheck-build-" + BUILD;
const DATA = "labelcheck-data";
const scoped = (p) => new URL(p, self.registration.scope).href;

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function fetchChecked(path, digest) {
  const resp = await fetch(scoped(path), { cache: "reload", credentials: "same-origin" });
  if (!resp.ok || resp.redirected) throw new Error(path + ": " + resp.status);
  const got = hex(await crypto.subtle.digest("SHA-256", await resp.clone().arrayBuffer()));
  if (got !== digest) throw new Error(path + " is not of build " + BUILD);
  return resp;
}

self.addEventListener("install", (event) => {
  const paths = Object.keys(FILES);
  if (paths.length === 0) return; // an unbuilt copy (development): nothing is kept
  event.waitUntil(
    (async () => {
      const responses = await Promise.all(paths.map((p) => fetchChecked(p, FILES[p])));
      const cache = await caches.open(CACHE);
      try {
        await Promise.all(paths.map((p, i) => cache.put(scoped(p), responses[i])));
      } catch (e) {
        // Half a build is no build (storage full, for one).
        await caches.delete(CACHE);
        throw e;
      }
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith("labelcheck-") && k !== CACHE && k !== DATA).map((k) => caches.delete(k)),
        ),
      ),
  );
});

function fromBuild(path, req) {
  return caches
    .open(CACHE)
    .then((cache) => cache.match(scoped(path)))
    .then((hit) => hit || fetch(req));
}

function networkFirst(req, key) {
  return fetch(req)
    .then((resp) => {
      if (resp.ok) {
        const copy = resp.clone();
        caches.open(DATA).then((cache) => cache.put(key, copy));
      }
      return resp;
    })
    .catch(() => caches.match(key, { cacheName: DATA }).then((hit) => hit || Response.error()));
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || Object.keys(FILES).length === 0) return;
  const url = new URL(req.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const path = url.pathname.slice(scope.pathname.length);
  if (req.mode === "navigate") {
    // The app's page; any other page or file opened in a tab is the network's.
    if (path === "" || path === "index.html") event.respondWith(fromBuild("index.html", req));
    return;
  }
  if (path === "trust.json") {
    event.respondWith(networkFirst(req, scoped("trust.json")));
    return;
  }
  if (Object.prototype.hasOwnProperty.call(FILES, path) && url.search === "") {
    event.respondWith(fromBuild(path, req));
  }
});
