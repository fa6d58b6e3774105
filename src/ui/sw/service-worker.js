// The app-shell service worker: a reload, or a tab opened while offline, shows the app (the scanner keeps
// working from the device's queue) instead of the browser's error page. The build writes the list of the
// app's files into PRECACHE (vite.config.ts, plugin "tracetrack-service-worker"); a new build has a new
// list, so its worker installs, takes over, and drops the old cache.
/* global self, caches, fetch, URL, Response */
const PRECACHE = self.__PRECACHE__;
const CACHE = `tracetrack-shell-${self.__BUILD_ID__}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('tracetrack-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // The API and health are never cached: answers must be the server's, or an honest network error.
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/health')) return;
  if (request.mode === 'navigate') {
    // Network first (a deploy shows at once); offline, the cached shell, which routes on the client. It is
    // cached as "/": the platform redirects /index.html there, and a redirected answer cannot serve a navigation.
    event.respondWith(fetch(request).catch(() => caches.match('/', { cacheName: CACHE }).then((r) => r ?? Response.error())));
    return;
  }
  // Built files have content hashes in their names: the cached copy is the right one.
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit ?? fetch(request)));
});
