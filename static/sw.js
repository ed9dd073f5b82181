// labelcheck service worker: keeps the app's own files so that, after one visit, the app
// opens at once and verifies label claims with no network. The files are answered from the
// cache first and refreshed from the network behind it, so a new version is used from the
// visit after it was published. Reports and lists are not handled here: the app fetches
// them itself (and keeps the lists it verified on the device).
const CACHE = "labelcheck-shell-v3";
const SHELL = [
  "./",
  "index.html",
  "boot.js",
  "style.css",
  "label.js",
  "label_bg.wasm",
  "labelcheck-app.js",
  "labelcheck-app_bg.wasm",
  "scan-worker.js",
  "scan-worker_bg.wasm",
  "scan-worker_loader.js",
  "manifest.webmanifest",
  "icons/icon.svg",
  "icons/icon-192.png",
  "icons/icon-512.png",
];
// Asked of the network first: the trust anchors change when the operator publishes new ones.
const NETWORK_FIRST = ["trust.json"];
const scoped = (p) => new URL(p, self.registration.scope).href;
const SHELL_URLS = new Set(SHELL.map(scoped));
const NETWORK_FIRST_URLS = new Set(NETWORK_FIRST.map(scoped));

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // A missing optional file must not stop the rest from being cached.
      Promise.all(SHELL.concat(NETWORK_FIRST).map((p) => cache.add(p).catch(() => undefined))),
    ),
  );
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function refresh(req, key) {
  return fetch(req).then((resp) => {
    if (resp.ok) {
      const copy = resp.clone();
      caches.open(CACHE).then((cache) => cache.put(key, copy));
    }
    return resp;
  });
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  url.hash = "";
  url.search = "";
  // Navigations to the app, whatever their fragment or query, are the app's page.
  const key = req.mode === "navigate" && url.origin === self.location.origin ? scoped("./") : url.href;
  if (NETWORK_FIRST_URLS.has(key)) {
    event.respondWith(refresh(req, key).catch(() => caches.match(key).then((hit) => hit || Response.error())));
    return;
  }
  if (!SHELL_URLS.has(key)) return;
  event.respondWith(
    caches.match(key).then((hit) => {
      const fresh = refresh(req, key);
      if (hit) {
        // Answered from the cache; the network copy replaces it for next time.
        event.waitUntil(fresh.catch(() => undefined));
        return hit;
      }
      return fresh.catch(() => Response.error());
    }),
  );
});
