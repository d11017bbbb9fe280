// keepout's service worker, served from / so that its scope is the whole page. It keeps what the
// page needs to work without a network: its own files, the map library, the interface strings
// and the mission profile (network first: online the page is always the server's current one),
// and the map tiles the user has looked at (at most MAX_TILES, the oldest dropped first). The
// latest signed publication is stored by the page itself (static/offline.js) in PUBLICATION_CACHE;
// this worker never answers for the API's checks and lists: offline those fail and the page checks
// against the stored publication instead, saying so.
const SHELL_CACHE = "keepout-shell-v1";
const TILE_CACHE = "keepout-tiles-v1";
const PUBLICATION_CACHE = "keepout-publication-v1";
const MAX_TILES = 600;

const SHELL = [
  "/",
  "/static/app.css",
  "/static/guard.js",
  "/static/app.js",
  "/static/api.js",
  "/static/i18n.js",
  "/static/state.js",
  "/static/check.js",
  "/static/list.js",
  "/static/manage.js",
  "/static/mapless.js",
  "/static/map.js",
  "/static/offline.js",
  "/static/publications.js",
  "/static/due.js",
  "/static/favicon.svg",
  "/static/manifest.webmanifest",
  "/static/i18n/languages.json",
  "/vendor/leaflet/leaflet.css",
  "/vendor/leaflet/leaflet-src.esm.js",
  "/vendor/mgrs/mgrs.esm.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      // Each file on its own: one that is missing (no map library) does not stop the others.
      await Promise.all(SHELL.map((u) => cache.add(new Request(u, { cache: "no-cache" })).catch(() => {})));
      // The interface strings of every language the page has.
      try {
        const codes = await (await fetch("/static/i18n/languages.json", { cache: "no-cache" })).json();
        await Promise.all(codes.map((c) => cache.add(new Request(`/static/i18n/${encodeURIComponent(c)}.json`, { cache: "no-cache" })).catch(() => {})));
      } catch {
        /* offline at install: the strings are stored as the page loads them */
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([SHELL_CACHE, TILE_CACHE, PUBLICATION_CACHE]);
      for (const name of await caches.keys()) if (name.startsWith("keepout-") && !keep.has(name)) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

function shellFile(url) {
  const p = url.pathname;
  return (
    p === "/" ||
    p.startsWith("/static/") ||
    p.startsWith("/vendor/") ||
    p === "/api/v1/mission"
  );
}

// Network first; the stored copy when the network fails. A good answer replaces the stored one.
async function networkFirst(request, cacheName, key = request) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (e) {
    const stored = await cache.match(key, { ignoreSearch: false });
    if (stored) return stored;
    throw e;
  }
}

// A page address with a #fragment or ?query is the page itself.
async function page(request) {
  try {
    return await networkFirst(request, SHELL_CACHE, "/");
  } catch (e) {
    const cache = await caches.open(SHELL_CACHE);
    const stored = await cache.match("/");
    if (stored) return stored;
    throw e;
  }
}

let trimming = null;
async function trimTiles() {
  const cache = await caches.open(TILE_CACHE);
  const keys = await cache.keys();
  // Keys come in the order they were first stored: the oldest go first.
  for (let i = 0; i < keys.length - MAX_TILES; i++) await cache.delete(keys[i]);
}

async function tile(request) {
  const cache = await caches.open(TILE_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) {
      await cache.delete(request); // stored again at the end: the order is that of last use
      await cache.put(request, response.clone());
      trimming = (trimming || Promise.resolve()).then(trimTiles).catch(() => {}).finally(() => (trimming = null));
    }
    return response;
  } catch (e) {
    const stored = await cache.match(request);
    if (stored) return stored;
    throw e;
  }
}

// The page asks whether tiles are served with a HEAD of one tile before it draws any. Offline,
// the answer is yes when tiles were kept: those are drawn, the others left blank.
async function tileProbe(request) {
  try {
    return await fetch(request);
  } catch (e) {
    const cache = await caches.open(TILE_CACHE);
    if ((await cache.keys()).length) return new Response(null, { status: 200, headers: { "Content-Type": "image/png" } });
    throw e;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "HEAD" && url.pathname.startsWith("/tiles/")) return event.respondWith(tileProbe(request));
  if (request.method !== "GET") return;
  if (request.mode === "navigate" && url.pathname === "/") return event.respondWith(page(request));
  if (url.pathname.startsWith("/tiles/")) return event.respondWith(tile(request));
  if (shellFile(url)) return event.respondWith(networkFirst(request, SHELL_CACHE));
  // Everything else (the API's answers) goes to the network as if there were no worker.
});
