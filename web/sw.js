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
  "guides.json",
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

// A language's guide voice (English's too) is fetched the first time it is
// chosen, and kept from then on, so that it too plays offline.
self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  event.respondWith(
    caches.open(VERSION).then(async (cache) => {
      const hit = await cache.match(event.request, { ignoreSearch: true });
      if (hit) return hit;
      const response = await fetch(event.request);
      if (response.ok && new URL(event.request.url).pathname.includes("/guides/")) {
        await cache.put(event.request, response.clone());
      }
      return response;
    }),
  );
});
