// SILABU's service worker: installable app shell, nothing more.
// Served at /sw.js by silabu.pwa.service_worker, which puts two lines before this file:
//   const SHELL = [...];   the hashed URLs of the CSS, JS and icons every page loads, and the offline page
//   const VERSION = "…";  changes whenever a deployment changes any of them
// Rules: only same-origin GET requests are touched. Static files (/static/) come from the cache (hashed names
// never change their content) and are stored as they are fetched. Pages always go to the network; when it fails,
// the offline page is shown. Pages, form posts, evidence photos and generated documents are never stored, so
// nothing private stays on the phone and no data is written while offline.
/* global SHELL, VERSION */
"use strict";

const CACHE = "silabu-shell-" + VERSION;
const OFFLINE_URL = SHELL.find((url) => !url.startsWith("/static/"));
// ManifestStaticFilesStorage names: name.0123456789ab.ext — the content behind such a URL never changes.
const HASHED = /\.[0-9a-f]{12}\.[A-Za-z0-9]+$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // The offline page is fetched without cookies: it must never hold anyone's name or token.
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { credentials: "omit" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((key) => key.startsWith("silabu-") && key !== CACHE).map((key) => caches.delete(key))),
      )
      .then(() => self.clients.claim()),
  );
});

function fromCacheThenNetwork(request) {
  return caches.match(request).then(
    (cached) =>
      cached ||
      fetch(request).then((response) => {
        if (response.ok && response.type === "basic") {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      }),
  );
}

function fromNetworkThenCache(request) {
  return fetch(request)
    .then((response) => {
      if (response.ok && response.type === "basic") {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    })
    .catch(() => caches.match(request).then((cached) => cached || Response.error()));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // posts (entries, photos, decisions) always go straight to the server
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(HASHED.test(url.pathname) ? fromCacheThenNetwork(request) : fromNetworkThenCache(request));
    return;
  }
  if (request.mode === "navigate") {
    // Pages are private and change all the time: network only, the offline page when there is no network.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL).then((cached) => cached || Response.error())));
  }
  // Everything else (htmx fragments, evidence, documents, downloads) is left to the browser, uncached.
});
