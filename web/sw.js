// The offline copy: every file of the app, cached on the first visit and
// answered from the cache after it. The build stamps its own version in
// (tools/build-web), so a new build replaces the old copy whole. The app
// asks for nothing beyond its own files.

const VERSION = "soothe-__BUILD__";
const FILES = [
  "./",
  "index.html",
  "app.js",
  "engine.js",
  "worklet.js",
  "store.js",
  "voices.js",
  "style.css",
  "manifest.webmanifest",
  "icon.svg",
  "soothe_web.js",
  "soothe_web_bg.wasm",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(VERSION).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  event.respondWith(
    caches
      .open(VERSION)
      .then((cache) => cache.match(event.request, { ignoreSearch: true }))
      .then((hit) => hit || fetch(event.request)),
  );
});
