// SILABU's service worker: the installable app shell, the pages an ASN needs with no signal, and the queue's
// Background Sync (issue 18).
// Served at /sw.js by silabu.pwa.service_worker, which puts these lines before this file:
//   const SHELL = [...];    the hashed URLs of the CSS, JS and icons every page loads, and the offline page
//   const VERSION = "…";   changes whenever a deployment changes any of them
//   const PAGES = {...};    the pages kept for offline use (entri, bulan, antrean) and the queue's session probe
//   const ANTREAN = "…";   the queue's script (static/js/antrean.js), shared with the pages
// Rules: only same-origin GET requests are touched; posts (entries, photos, decisions) always go to the server,
// the worker never stores one (the page keeps an entry it could not send in its own queue, antrean.js).
// Static files (/static/) come from the cache (hashed names never change their content). Three pages are kept,
// network first: the entry form, Bulan saya (each month as last seen) and the queue page; a copy served with no
// signal is marked with the time it was stored (body data-tersimpan). They are one person's pages: the pages drop
// them when another person, or nobody, is signed in (pwa.js), and on logout. Every other page, evidence photos
// and generated documents are never stored: with no signal the offline page is shown.
/* global SHELL, VERSION, PAGES, ANTREAN, SilabuAntrean */
"use strict";

importScripts(ANTREAN);

const CACHE = "silabu-shell-" + VERSION;
const PAGE_CACHE = "silabu-halaman-" + VERSION;
const OFFLINE_URL = SHELL.find((url) => !url.startsWith("/static/"));
// ManifestStaticFilesStorage names: name.0123456789ab.ext — the content behind such a URL never changes.
const HASHED = /\.[0-9a-f]{12}\.[A-Za-z0-9]+$/;
const MONTH = new RegExp("^" + PAGES.bulan.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "(\\d{4}/\\d{1,2}/)?$");
// On a signal too weak to load a page in this time, the stored copy is shown (the network still updates it).
const SLOW_MS = 6000;
const STORED_AT = "X-Silabu-Tersimpan";

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
        Promise.all(
          keys
            .filter((key) => key.startsWith("silabu-") && key !== CACHE && key !== PAGE_CACHE)
            .map((key) => caches.delete(key)),
        ),
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

function keptPath(url) {
  return url.pathname === PAGES.entri || url.pathname === PAGES.antrean || MONTH.test(url.pathname);
}

function offlinePage() {
  return caches.match(OFFLINE_URL).then((cached) => cached || Response.error());
}

// Store a page as the person saw it, with the time it was stored. Only a plain 200 page of our own (a redirect to
// the login page is not the page), and only the bare URL (?salin=, ?antrean= are one-off variants).
function keep(path, response) {
  if (response.status !== 200 || response.type !== "basic" || response.redirected) return Promise.resolve();
  return response.blob().then((blob) => {
    const headers = new Headers(response.headers);
    headers.set(STORED_AT, new Date().toISOString());
    const copy = new Response(blob, { status: 200, statusText: response.statusText, headers });
    return caches.open(PAGE_CACHE).then((cache) => cache.put(path, copy));
  });
}

// The stored copy of a page, marked for the page's script: <body data-tersimpan="when">.
function kept(path) {
  return caches
    .open(PAGE_CACHE)
    .then((cache) => cache.match(path))
    .then((copy) => {
      if (!copy) return null;
      const when = copy.headers.get(STORED_AT) || "";
      return copy.text().then((html) => {
        const headers = new Headers(copy.headers);
        headers.delete("Content-Length");
        const marked = html.replace('data-tersimpan=""', 'data-tersimpan="' + when + '"');
        return new Response(marked, { status: 200, headers });
      });
    });
}

function keptPage(event, url) {
  const network = fetch(event.request).then((response) => {
    if (!url.search) event.waitUntil(keep(url.pathname, response.clone()).catch(() => {}));
    return response;
  });
  event.waitUntil(network.catch(() => {}));
  return new Promise((resolve) => {
    let answered = false;
    const answer = (response) => {
      if (!answered) {
        answered = true;
        resolve(response);
      }
    };
    const timer = setTimeout(() => {
      kept(url.pathname).then((copy) => copy && answer(copy));
    }, SLOW_MS);
    network.then(
      (response) => {
        clearTimeout(timer);
        if (response.status < 500) return answer(response);
        return kept(url.pathname).then((copy) => answer(copy || response));
      },
      () => {
        clearTimeout(timer);
        kept(url.pathname).then((copy) => answer(copy || offlinePage()));
      },
    );
  });
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
    if (keptPath(url)) {
      event.respondWith(keptPage(event, url));
      return;
    }
    // Other pages are private and change all the time: network only, the offline page when there is no network.
    event.respondWith(fetch(request).catch(offlinePage));
  }
  // Everything else (htmx fragments, evidence, documents, downloads) is left to the browser, uncached.
});

// A page asks for the offline pages it does not have yet (the one it shows is stored when it next passes through).
function prepare(except) {
  return caches.open(PAGE_CACHE).then((cache) =>
    Promise.all(
      [PAGES.entri, PAGES.antrean]
        .filter((path) => path !== except)
        .map((path) =>
          cache.match(path).then(
            (hit) =>
              hit ||
              fetch(path, { credentials: "same-origin", redirect: "manual" })
                .then((response) => keep(path, response))
                .catch(() => {}),
          ),
        ),
    ),
  );
}

function forget() {
  return caches
    .keys()
    .then((keys) => Promise.all(keys.filter((key) => key.startsWith("silabu-halaman-")).map((key) => caches.delete(key))));
}

// One page-cache task at a time, in the order the pages asked: a "forget" must not overtake a "prepare".
let pageWork = Promise.resolve();
function inTurn(task) {
  pageWork = pageWork.then(task, task).catch(() => {});
  return pageWork;
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "siapkan") event.waitUntil(inTurn(() => prepare(data.kecuali || "")));
  else if (data.type === "lupakan") event.waitUntil(inTurn(forget));
});

// Background Sync: send the signed-in person's queue with no page open. A send that found no signal fails the
// event, so the browser tries again later.
self.addEventListener("sync", (event) => {
  if (event.tag !== SilabuAntrean.SYNC_TAG) return;
  event.waitUntil(
    SilabuAntrean.flush(PAGES.sesi).then((result) => {
      if (result.jaringan) throw new Error("no signal yet");
    }),
  );
});
