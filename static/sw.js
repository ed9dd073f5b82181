// labelcheck service worker: keeps the app shell so that, after one visit, the app opens and
// verifies label claims with no network. Only the app's own files are handled here: reports
// and lists are fetched by the app itself (lists are saved on the device by the app).
const CACHE = "labelcheck-shell-v2";
const SHELL = [
  "./",
  "index.html",
  "boot.js",
  "labelcheck-app.js",
  "labelcheck-app_bg.wasm",
  "scan-worker.js",
  "scan-worker_bg.wasm",
  "scan-worker_loader.js",
  "style.css",
  "manifest.webmanifest",
  "trust.json",
  "icons/icon.svg",
  "icons/icon-192.png",
  "icons/icon-512.png",
];
const SHELL_URLS = new Set(SHELL.map((p) => new URL(p, self.registration.scope).href));

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // A missing optional file must not stop the rest from being cached.
      Promise.all(SHELL.map((p) => cache.add(p).catch(() => undefined))),
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

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  url.hash = "";
  // Navigations to the app with any fragment are the app shell.
  const key = req.mode === "navigate" && url.origin === self.location.origin ? new URL("./", self.registration.scope).href : url.href;
  if (!SHELL_URLS.has(key)) return;
  // Network first, so a new version is picked up at once; the cache when offline.
  event.respondWith(
    fetch(req)
      .then((resp) => {
        if (resp.ok) {
          const copy = resp.clone();
          caches.open(CACHE).then((cache) => cache.put(key, copy));
        }
        return resp;
      })
      .catch(() => caches.match(key).then((hit) => hit || Response.error())),
  );
});
