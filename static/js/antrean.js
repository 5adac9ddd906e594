// SILABU's queue of entries saved on the phone (issue 18): one classic script for the pages and for the service
// worker (importScripts), so both send the same way. Plain IndexedDB, no library.
//
// Each saved entry form is one record, kept until the server has it:
//   {key, pemilik, url, dibuat, fields: [[name, value]], files: [{field, name, type, blob}],
//    ringkas: {tanggal, kegiatan, kode, bukti, ukuran}, status, pesan, galat}
// `key` is the idempotency key made on the phone when the form was saved (crypto.randomUUID): the server treats
// every post of that key as the same entry, so a replay never makes a second one, however often it runs.
// `pemilik` is the signed-in user's id: a queue belongs to one account and is sent only while that person is
// signed in. `status`: "menunggu" (waiting for a signal), "masuk" (the session ended: sign in again),
// "ditolak" (the server refused it: its message is in `pesan`, per field in `galat`; the person fixes or discards).
(function (global) {
  "use strict";

  var DB = "silabu";
  var STORE = "antrean";
  var CHANNEL = "silabu-antrean";
  var SYNC_TAG = "silabu-antrean";
  var MIN_TIMEOUT_MS = 20000;
  var MIN_BYTES_PER_MS = 20; // a send may take as long as 20 KB/s needs for its photos before it counts as lost

  var opening = null;

  function open() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = global.indexedDB.open(DB, 1);
        request.onupgradeneeded = function () {
          var store = request.result.createObjectStore(STORE, { keyPath: "key" });
          store.createIndex("pemilik", "pemilik");
        };
        request.onsuccess = function () {
          var db = request.result;
          db.onversionchange = function () {
            db.close();
            opening = null;
          };
          resolve(db);
        };
        request.onerror = function () {
          opening = null;
          reject(request.error);
        };
      });
    }
    return opening;
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () {
          resolve(request ? request.result : undefined);
        };
        tx.onerror = tx.onabort = function () {
          reject(tx.error);
        };
      });
    });
  }

  function announce() {
    if (typeof global.BroadcastChannel !== "function") return;
    var channel = new global.BroadcastChannel(CHANNEL);
    channel.postMessage("berubah");
    channel.close();
  }

  function put(item) {
    return run("readwrite", function (store) {
      return store.put(item);
    }).then(announce);
  }

  function get(key) {
    return run("readonly", function (store) {
      return store.get(key);
    });
  }

  function remove(key) {
    return run("readwrite", function (store) {
      return store.delete(key);
    }).then(announce);
  }

  // The owner's entries, oldest first (the order they were made in).
  function list(pemilik) {
    if (!pemilik) return Promise.resolve([]);
    return run("readonly", function (store) {
      return store.index("pemilik").getAll(pemilik);
    }).then(function (items) {
      return (items || []).sort(function (a, b) {
        return a.dibuat < b.dibuat ? -1 : a.dibuat > b.dibuat ? 1 : 0;
      });
    });
  }

  function newKey() {
    if (global.crypto && typeof global.crypto.randomUUID === "function") return global.crypto.randomUUID();
    var b = global.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(b, function (x) {
      return (x + 0x100).toString(16).slice(1);
    });
    return [hex.slice(0, 4), hex.slice(4, 6), hex.slice(6, 8), hex.slice(8, 10), hex.slice(10)]
      .map(function (part) {
        return part.join("");
      })
      .join("-");
  }

  // Who is signed in now, and a fresh CSRF token: {pengguna, csrf}, or {masuk: loginUrl} when nobody is.
  // Rejects when the server cannot be reached.
  function session(url) {
    return global
      .fetch(url, {
        credentials: "same-origin",
        cache: "no-store",
        redirect: "manual",
        headers: { Accept: "application/json" },
      })
      .then(function (response) {
        if (response.type === "opaqueredirect") return { masuk: "" }; // e.g. a new password must be set first
        if (response.status === 401) {
          return response.json().then(function (data) {
            return { masuk: data.masuk || "" };
          });
        }
        if (!response.ok) throw new Error("sesi " + response.status);
        return response.json();
      });
  }

  function bytes(item) {
    return item.files.reduce(function (sum, f) {
      return sum + (f.blob ? f.blob.size : 0);
    }, 0);
  }

  // Post one queued entry. Resolves (never rejects) with {hasil, ...}:
  //   "terkirim" {jawaban}: the server has it (made now, or made by an earlier post of the same key);
  //   "ditolak" {pesan, galat}: the server refused it; "masuk": the session has ended;
  //   "jaringan": no answer (offline, timed out, cut off) or the server failed: it stays to be sent again.
  function send(item, csrf) {
    var body = new FormData();
    item.fields.forEach(function (pair) {
      body.append(pair[0], pair[1]);
    });
    item.files.forEach(function (f) {
      body.append(f.field, f.blob, f.name);
    });
    body.set("idempotency_key", item.key);
    body.set("csrfmiddlewaretoken", csrf);
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller
      ? setTimeout(function () {
          controller.abort();
        }, Math.max(MIN_TIMEOUT_MS, bytes(item) / MIN_BYTES_PER_MS))
      : null;
    return global
      .fetch(item.url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        redirect: "manual",
        headers: { Accept: "application/json", "X-CSRFToken": csrf },
        signal: controller ? controller.signal : undefined,
      })
      .then(function (response) {
        if (response.type === "opaqueredirect") {
          return { hasil: "masuk", pesan: "Sesi Anda berakhir. Masuk lagi; entri ini dikirim sesudahnya." };
        }
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        var read = json ? response.json() : response.text().then(function () {
          return {};
        });
        return read.then(function (data) {
          if (response.ok) return { hasil: "terkirim", jawaban: data };
          if (response.status >= 500) {
            return { hasil: "jaringan", pesan: "Server sedang bermasalah (" + response.status + "); dicoba lagi nanti." };
          }
          return {
            hasil: "ditolak",
            pesan: data.pesan || "Server menolak entri ini (kode " + response.status + ").",
            galat: data.galat || {},
            // a refusal with no reasons of the form's (a 403 page: e.g. a token made stale by a new sign-in)
            tanpaAlasan: !json,
          };
        });
      })
      .catch(function () {
        return { hasil: "jaringan" };
      })
      .then(function (outcome) {
        if (timer) clearTimeout(timer);
        return outcome;
      });
  }

  // Record what a send told about an entry: gone when the server has it, else kept with the reason.
  function settle(item, outcome) {
    if (outcome.hasil === "terkirim") return remove(item.key);
    var next = Object.assign({}, item, { dicoba: new Date().toISOString() });
    if (outcome.hasil === "ditolak" || outcome.hasil === "masuk") {
      next.status = outcome.hasil;
      next.pesan = outcome.pesan;
      next.galat = outcome.galat || {};
    } else if (outcome.pesan) {
      next.pesan = outcome.pesan;
    }
    return put(next);
  }

  function exclusive(work) {
    var locks = global.navigator && global.navigator.locks;
    if (!locks || typeof locks.request !== "function") return work();
    // One sender at a time across tabs and the worker; whoever finds it taken leaves the queue to that one.
    return locks.request(SYNC_TAG, { ifAvailable: true }, function (lock) {
      return lock ? work() : { sibuk: true };
    });
  }

  // Send every entry of the signed-in person that is waiting (refused ones wait for the person). `pemilik` is the
  // account the caller expects (a page's user); left out (the worker), it is whoever the session says.
  // Resolves with {terkirim: [{key, jawaban}], ditolak: n, jaringan: bool, masuk: bool, sibuk: bool}.
  function flush(sesiUrl, pemilik) {
    return exclusive(function () {
      var result = { terkirim: [], ditolak: 0, jaringan: false, masuk: false, sibuk: false };
      var waiting = function (items) {
        return items.filter(function (item) {
          return item.status !== "ditolak";
        });
      };
      var start = pemilik ? list(pemilik).then(waiting) : Promise.resolve(null);
      return start.then(function (items) {
        if (items && !items.length) return result;
        return session(sesiUrl).then(
          function (who) {
            if (!who.pengguna || (pemilik && who.pengguna !== pemilik)) {
              result.masuk = true;
              var mark = function (item) {
                return settle(item, { hasil: "masuk", pesan: "Sesi Anda berakhir. Masuk lagi; entri ini dikirim sesudahnya." });
              };
              return (items || []).reduce(function (chain, item) {
                return chain.then(function () {
                  return mark(item);
                });
              }, Promise.resolve()).then(function () {
                return result;
              });
            }
            var mine = items ? Promise.resolve(items) : list(who.pengguna).then(waiting);
            return mine.then(function (todo) {
              var chain = Promise.resolve();
              todo.forEach(function (item) {
                chain = chain.then(function () {
                  if (result.jaringan || result.masuk) return null;
                  return send(item, who.csrf).then(function (outcome) {
                    if (outcome.hasil === "terkirim") result.terkirim.push({ key: item.key, jawaban: outcome.jawaban });
                    if (outcome.hasil === "ditolak") result.ditolak += 1;
                    if (outcome.hasil === "jaringan") result.jaringan = true;
                    if (outcome.hasil === "masuk") result.masuk = true;
                    return settle(item, outcome);
                  });
                });
              });
              return chain.then(function () {
                return result;
              });
            });
          },
          function () {
            result.jaringan = true;
            return result;
          }
        );
      });
    });
  }

  global.SilabuAntrean = {
    CHANNEL: CHANNEL,
    SYNC_TAG: SYNC_TAG,
    put: put,
    get: get,
    remove: remove,
    list: list,
    newKey: newKey,
    session: session,
    send: send,
    settle: settle,
    flush: flush,
  };
})(self);
