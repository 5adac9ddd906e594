// On every page: register SILABU's service worker (static/js/sw.js, served at the site root by silabu.pwa), show how
// many entries wait on this phone (issue 18) and send them when there is a signal, and keep the pages the worker
// stores for offline use to the person signed in. The script tag carries the worker's URL and scope:
// <script data-sw="/sw.js" data-scope="/">; the body carries the signed-in user's id (data-pengguna, empty when
// nobody is) and, on a page the worker served from its copy, when that copy was stored (data-tersimpan).
(function () {
  "use strict";
  var script = document.currentScript;
  var body = document.body;
  var queue = window.SilabuAntrean;
  var owner = (body && body.dataset.pengguna) || "";
  var badge = document.getElementById("antrean-jumlah");
  var sesi = badge ? badge.dataset.sesi : "";
  var hasWorker = "serviceWorker" in navigator && script;

  if (hasWorker) {
    var register = function () {
      navigator.serviceWorker.register(script.dataset.sw, { scope: script.dataset.scope }).catch(function () {});
    };
    if (document.readyState === "complete") register();
    else window.addEventListener("load", register);
  }

  function toWorker(message) {
    if (!hasWorker) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage(message);
    });
  }

  // Pages kept for offline use hold one person's data: drop them when someone else (or nobody) is signed in.
  function forgetPages() {
    toWorker({ type: "lupakan" });
    if (!window.caches) return Promise.resolve();
    return caches
      .keys()
      .then(function (keys) {
        return Promise.all(
          keys
            .filter(function (key) {
              return key.indexOf("silabu-halaman-") === 0;
            })
            .map(function (key) {
              return caches.delete(key);
            })
        );
      })
      .catch(function () {});
  }

  var lastOwner = null;
  try {
    lastOwner = localStorage.getItem("silabu-pengguna");
    if (owner) localStorage.setItem("silabu-pengguna", owner);
    else localStorage.removeItem("silabu-pengguna");
  } catch (e) {
    lastOwner = "?"; // no storage to remember who was here: assume someone else
  }
  var forgotten = !owner || lastOwner !== owner ? forgetPages() : Promise.resolve();

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-keluar")) return;
    event.preventDefault();
    var left = false;
    var leave = function () {
      if (left) return;
      left = true;
      form.submit();
    };
    var late = setTimeout(leave, 2000); // never keep a person from signing out
    forgetPages().then(function () {
      clearTimeout(late);
      leave();
    });
  });

  // A page the worker served from its copy: say when that copy is from.
  if (body && body.dataset.tersimpan) {
    var when = new Date(body.dataset.tersimpan);
    // in the satker's zone with its label (WIB/WITA/WIT), as the server writes every moment
    var shown = { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
    if (body.dataset.zona) shown.timeZone = body.dataset.zona;
    var note = document.createElement("div");
    note.className = "alert alert-warning";
    note.setAttribute("role", "status");
    note.id = "luring";
    note.textContent =
      "Tanpa sinyal: data terakhir dilihat " +
      when.toLocaleString("id-ID", shown) +
      ". Entri baru disimpan di ponsel dan dikirim saat ada sinyal.";
    var main = document.getElementById("konten");
    if (main) main.insertBefore(note, main.firstChild);
  }

  if (!owner || !queue || !badge) return;

  function notify(result) {
    window.dispatchEvent(new CustomEvent("silabu:antrean", { detail: result || {} }));
  }

  function showCount() {
    return queue.list(owner).then(function (items) {
      var refused = items.filter(function (item) {
        return item.status !== "menunggu";
      }).length;
      var label = badge.querySelector("[data-jumlah]");
      label.textContent = items.length + " belum terkirim";
      badge.setAttribute(
        "aria-label",
        items.length + " entri di ponsel belum terkirim" + (refused ? ", " + refused + " perlu tindakan" : "")
      );
      badge.classList.toggle("d-none", items.length === 0);
      badge.classList.toggle("btn-warning", refused === 0);
      badge.classList.toggle("btn-danger", refused > 0);
      return items;
    });
  }

  function send() {
    return queue.flush(sesi, owner).then(function (result) {
      return showCount().then(function () {
        notify(result);
        return result;
      });
    });
  }

  function sendWhenWaiting() {
    if (navigator.onLine === false) return;
    showCount().then(function (items) {
      var waiting = items.some(function (item) {
        return item.status !== "ditolak";
      });
      if (waiting) send();
    });
  }

  // Background Sync where the browser has it: the worker sends even when no page of SILABU is open.
  function askForSync() {
    if (!hasWorker) return;
    navigator.serviceWorker.ready
      .then(function (registration) {
        return registration.sync ? registration.sync.register(queue.SYNC_TAG) : null;
      })
      .catch(function () {});
  }

  window.SilabuPwa = { send: send, showCount: showCount, askForSync: askForSync, owner: owner };

  if (typeof BroadcastChannel === "function") {
    new BroadcastChannel(queue.CHANNEL).onmessage = function () {
      showCount().then(function () {
        notify({});
      });
    };
  }
  window.addEventListener("online", sendWhenWaiting);
  sendWhenWaiting();
  // The entry form and the queue page open with no signal after one visit: the worker keeps a copy of each. The page
  // open now is left out: the worker stores it as it passes through next time (its bytes are not fetched twice).
  forgotten.then(function () {
    toWorker({ type: "siapkan", kecuali: location.search ? "" : location.pathname });
  });
})();
