// The entry form on a phone (issue 18). Without JavaScript the form posts as it always did; with it:
// - photos are shrunk on the phone to the long side the server keeps (data-sisi-panjang on the file input, from
//   settings.EVIDENCE_IMAGE_LONG_SIDE), upright, with their capture time (EXIF DateTimeOriginal, else the file's
//   time) sent beside them as waktu_<field>, and the saving is shown ("4,1 MB → 0,6 MB"). The server checks and
//   re-encodes every file as before (kinerja/evidence.py).
// - a new entry (form[data-antrean]) is saved through the phone's queue (antrean.js): kept on the phone first,
//   then sent; with no answer (no signal, timed out) it stays there, to be sent when the signal returns.
// - the queue page's "Perbaiki" opens this form with ?antrean=<key>: the kept entry is put back in the form, with
//   the server's reasons, and saving it sends it again under the same key.
(function () {
  "use strict";
  var queue = window.SilabuAntrean;
  var body = document.body;
  var owner = body.dataset.pengguna || "";
  var fromCopy = Boolean(body.dataset.tersimpan);
  var MB = 1024 * 1024;
  var QUALITY = 0.85;
  var pending = [];

  function size(bytes) {
    if (bytes < 0.1 * MB) return Math.max(1, Math.round(bytes / 1024)) + " KB";
    return (bytes / MB).toFixed(1).replace(".", ",") + " MB";
  }

  // --- the capture time, read from the photo's EXIF before the shrunk copy loses it ---------------------------
  var TYPE_BYTES = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };

  function exifTime(buffer) {
    try {
      var v = new DataView(buffer);
      if (v.getUint16(0) !== 0xffd8) return "";
      var at = 2;
      while (at + 10 < v.byteLength) {
        var marker = v.getUint16(at);
        if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) return "";
        if (marker === 0xffe1 && v.getUint32(at + 4) === 0x45786966) return tiffTime(v, at + 10);
        at += 2 + v.getUint16(at + 2);
      }
    } catch (e) {
      // a damaged header is no reason to refuse the photo: the file's own time stands in
    }
    return "";
  }

  function tiffTime(v, start) {
    var little = v.getUint16(start) === 0x4949;
    var u16 = function (o) {
      return v.getUint16(start + o, little);
    };
    var u32 = function (o) {
      return v.getUint32(start + o, little);
    };
    var ifd = function (offset) {
      var tags = {};
      var n = u16(offset);
      for (var i = 0; i < n; i++) {
        var e = offset + 2 + i * 12;
        var type = u16(e + 2);
        var count = u32(e + 4);
        tags[u16(e)] = { type: type, count: count, at: count * (TYPE_BYTES[type] || 1) <= 4 ? e + 8 : u32(e + 8) };
      }
      return tags;
    };
    var ascii = function (tag) {
      if (!tag || tag.type !== 2) return "";
      var s = "";
      for (var i = 0; i < tag.count; i++) {
        var c = v.getUint8(start + tag.at + i);
        if (!c) break;
        s += String.fromCharCode(c);
      }
      return s.trim();
    };
    var main = ifd(u32(4));
    var sub = main[0x8769] ? ifd(u32(main[0x8769].at)) : {};
    var original = ascii(sub[0x9003]);
    var raw = original || ascii(main[0x0132]);
    var zone = original ? ascii(sub[0x9011]) : ascii(sub[0x9010]);
    var m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(raw);
    if (!m) return "";
    var iso = m[1] + "-" + m[2] + "-" + m[3] + "T" + m[4] + ":" + m[5] + ":" + m[6];
    return /^[+-]\d{2}:\d{2}$/.test(zone) ? iso + zone : iso; // a naive time is read in the satker's zone
  }

  function captureTime(file) {
    var fallback = file.lastModified ? new Date(file.lastModified).toISOString() : "";
    if (file.type !== "image/jpeg" || typeof file.slice(0, 1).arrayBuffer !== "function") {
      return Promise.resolve(fallback);
    }
    return file
      .slice(0, 256 * 1024)
      .arrayBuffer()
      .then(
        function (buffer) {
          return exifTime(buffer) || fallback;
        },
        function () {
          return fallback;
        }
      );
  }

  // --- shrinking: decoded upright (EXIF orientation applied), scaled to the cap, re-encoded as JPEG ---------------
  function shrink(file, cap) {
    if (!cap || !/^image\/(jpeg|webp)$/.test(file.type) || typeof createImageBitmap !== "function") {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" })
      .then(function (bitmap) {
        var side = Math.max(bitmap.width, bitmap.height);
        if (side <= cap) {
          bitmap.close();
          return file; // already small enough: sent as it is, with its own EXIF for the server to read
        }
        var canvas = document.createElement("canvas");
        canvas.width = Math.round((bitmap.width * cap) / side);
        canvas.height = Math.round((bitmap.height * cap) / side);
        var context = canvas.getContext("2d");
        context.imageSmoothingEnabled = true;
        context.imageSmoothingQuality = "high";
        context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        bitmap.close();
        return new Promise(function (resolve) {
          canvas.toBlob(resolve, "image/jpeg", QUALITY);
        }).then(function (blob) {
          canvas.width = canvas.height = 0;
          if (!blob || blob.size >= file.size) return file;
          var name = file.type === "image/jpeg" ? file.name : file.name.replace(/\.[^.]*$/, "") + ".jpg";
          return new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified });
        });
      })
      .catch(function () {
        return file;
      });
  }

  function noteFor(input) {
    var note = input.parentNode.querySelector('[data-hemat="' + input.name + '"]');
    if (!note) {
      note = document.createElement("div");
      note.className = "form-text";
      note.setAttribute("data-hemat", input.name);
      note.setAttribute("aria-live", "polite");
      input.parentNode.appendChild(note);
    }
    return note;
  }

  function setTimes(input, times) {
    var old = input.form.querySelectorAll('input[data-waktu="' + input.name + '"]');
    Array.prototype.forEach.call(old, function (el) {
      el.remove();
    });
    var after = input;
    times.forEach(function (time) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "waktu_" + input.name;
      hidden.value = time || "";
      hidden.setAttribute("data-waktu", input.name);
      after.insertAdjacentElement("afterend", hidden);
      after = hidden;
    });
  }

  function setFiles(input, files) {
    try {
      var list = new DataTransfer();
      files.forEach(function (file) {
        list.items.add(file);
      });
      input.files = list.files;
      return true;
    } catch (e) {
      return false; // no DataTransfer: the originals are sent, the server shrinks them
    }
  }

  function prepare(input) {
    var turn = String(Number(input.dataset.giliran || 0) + 1);
    input.dataset.giliran = turn;
    var originals = Array.prototype.slice.call(input.files || []);
    var note = noteFor(input);
    setTimes(input, []);
    note.textContent = originals.length ? "Memperkecil foto di ponsel…" : "";
    if (!originals.length) return Promise.resolve();
    var cap = parseInt(input.dataset.sisiPanjang, 10);
    var work = Promise.all(
      originals.map(function (file) {
        return Promise.all([shrink(file, cap), captureTime(file)]);
      })
    ).then(function (results) {
      if (input.dataset.giliran !== turn) return; // the person picked other files meanwhile
      var files = results.map(function (r) {
        return r[0];
      });
      var shrunk = setFiles(input, files);
      setTimes(
        input,
        results.map(function (r) {
          return r[1];
        })
      );
      var before = originals.reduce(function (sum, f) {
        return sum + f.size;
      }, 0);
      var after = files.reduce(function (sum, f) {
        return sum + f.size;
      }, 0);
      note.textContent = shrunk && after < before ? "Foto diperkecil di ponsel: " + size(before) + " → " + size(after) : "";
    });
    pending.push(work);
    work.then(function () {
      pending.splice(pending.indexOf(work), 1);
    });
    return work;
  }

  function ready() {
    return Promise.all(pending);
  }

  var inputs = document.querySelectorAll("input[type=file][data-sisi-panjang]");
  Array.prototype.forEach.call(inputs, function (input) {
    input.addEventListener("change", function () {
      prepare(input);
    });
  });

  var form = document.querySelector("form[data-antrean]");

  // Forms that post as before (changing an entry): wait for the shrinking, then post the small files.
  Array.prototype.forEach.call(document.querySelectorAll("form"), function (other) {
    if (other === form || !other.querySelector("input[data-sisi-panjang]")) return;
    other.addEventListener("submit", function (event) {
      if (!pending.length) return;
      event.preventDefault();
      var submitter = event.submitter;
      ready().then(function () {
        if (submitter) other.requestSubmit(submitter);
        else other.requestSubmit();
      });
    });
  });

  if (!form || !queue || !owner || !window.indexedDB) return;

  // --- a new entry through the phone's queue -----------------------------------------------------------------
  var key = queue.newKey();
  var loaded = null; // the kept entry being fixed (?antrean=<key>)
  var status = document.createElement("div");
  form.parentNode.insertBefore(status, form);
  var queuePage = form.dataset.antrean;

  function say(kind, text, link) {
    var box = document.createElement("div");
    box.className = "alert alert-" + kind;
    box.setAttribute("role", kind === "danger" ? "alert" : "status");
    box.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = link.href;
      a.className = "alert-link ms-1";
      a.textContent = link.text;
      box.appendChild(a);
    }
    status.replaceChildren(box);
    box.scrollIntoView({ block: "nearest" });
  }

  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll("[data-galat]"), function (el) {
      el.remove();
    });
    Array.prototype.forEach.call(form.querySelectorAll(".is-invalid"), function (field) {
      field.classList.remove("is-invalid");
      field.removeAttribute("aria-invalid");
      var described = (field.getAttribute("aria-describedby") || "").replace(/\berror_1_\S+\s*/, "").trim();
      if (described) field.setAttribute("aria-describedby", described);
      else field.removeAttribute("aria-describedby");
    });
  }

  function labelOf(field) {
    var label = form.querySelector('label[for="' + field.id + '"]');
    return label && label.firstChild ? label.firstChild.textContent.trim() : field.name;
  }

  function alertBox() {
    var box = document.createElement("div");
    box.className = "alert alert-danger";
    box.setAttribute("role", "alert");
    return box;
  }

  // The server's reasons shown as the page shows them without JavaScript (templates/_ringkasan_galat.html and
  // crispy's field errors): the form-wide ones in an alert; the fields' in one summary linked to each field, and
  // each message under its field, which is marked invalid and points at it (aria-describedby).
  function showErrors(galat, pesan) {
    clearErrors();
    galat = galat || {};
    var general = galat.__all__ || [];
    var fields = Object.keys(galat)
      .map(function (name) {
        return name === "__all__" ? null : form.elements[name];
      })
      .filter(function (field) {
        return field && field.classList;
      });
    var boxes = [];
    if (general.length || !fields.length) {
      var box = alertBox();
      (general.length ? general : [pesan || "Server menolak entri ini."]).forEach(function (message) {
        var line = document.createElement("div");
        line.textContent = message;
        box.appendChild(line);
      });
      boxes.push(box);
    }
    if (fields.length) {
      var summary = alertBox();
      summary.id = "ringkasan-galat";
      var title = document.createElement("p");
      title.className = "fw-semibold mb-1";
      title.textContent = "Belum tersimpan. Periksa isian berikut:";
      var items = document.createElement("ul");
      items.className = "mb-0";
      fields.forEach(function (field) {
        var messages = galat[field.name];
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = "#" + field.id;
        a.textContent = labelOf(field);
        li.append(a, ": " + messages[0]);
        items.appendChild(li);
        var feedback = document.createElement("span");
        feedback.id = "error_1_" + field.id;
        feedback.className = "invalid-feedback";
        feedback.setAttribute("data-galat", "");
        var strong = document.createElement("strong");
        strong.textContent = messages.join(" ");
        feedback.appendChild(strong);
        field.insertAdjacentElement("afterend", feedback);
        field.classList.add("is-invalid");
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-describedby", (feedback.id + " " + (field.getAttribute("aria-describedby") || "")).trim());
      });
      summary.append(title, items);
      boxes.push(summary);
    }
    status.replaceChildren.apply(status, boxes);
    boxes[0].scrollIntoView({ block: "nearest" });
  }

  function value(name) {
    var field = form.elements[name];
    return field && field.value ? field.value : "";
  }

  function entryFrom(submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var fields = [];
    var files = [];
    data.forEach(function (v, name) {
      if (name === "csrfmiddlewaretoken" || name === "q" || name === "idempotency_key") return;
      if (typeof v === "string") fields.push([name, v]);
      else if (v.size || v.name) files.push({ field: name, name: v.name, type: v.type, blob: v });
    });
    var kode = form.elements.kode_output;
    return {
      key: key,
      pemilik: owner,
      url: new URL(form.action, location.href).pathname,
      dibuat: loaded ? loaded.dibuat : new Date().toISOString(),
      fields: fields,
      files: files,
      ringkas: {
        tanggal: value("tanggal"),
        kegiatan: value("nama_kegiatan"),
        kode: kode && kode.selectedIndex > 0 ? kode.options[kode.selectedIndex].text : "",
        bukti: files.length,
        ukuran: files.reduce(function (sum, f) {
          return sum + f.blob.size;
        }, 0),
      },
      status: "menunggu",
      pesan: "",
      galat: {},
    };
  }

  function today() {
    var d = new Date();
    return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }

  function nextEntry(keepFields) {
    key = queue.newKey();
    loaded = null;
    if (!keepFields) form.reset();
    Array.prototype.forEach.call(inputs, function (input) {
      input.value = "";
      input.dataset.giliran = String(Number(input.dataset.giliran || 0) + 1);
      setTimes(input, []);
      noteFor(input).textContent = "";
    });
    clearErrors();
    if (location.search) history.replaceState(null, "", location.pathname);
  }

  function waiting(submitter) {
    say("success", "Tersimpan di ponsel, akan dikirim saat ada sinyal.", {
      href: queuePage,
      text: "Lihat entri di ponsel",
    });
    nextEntry(Boolean(submitter && submitter.name === "simpan_lagi"));
    var pwa = window.SilabuPwa;
    if (!pwa) return;
    pwa.showCount();
    pwa.askForSync();
    if (fromCopy && navigator.onLine !== false) pwa.send(); // the copy was shown on a weak signal: try now
  }

  function deliver(item, submitter) {
    if (fromCopy || navigator.onLine === false) return waiting(submitter);
    say("info", "Mengirim…");
    return queue.send(item, form.elements.csrfmiddlewaretoken.value).then(function (outcome) {
      if (outcome.hasil === "terkirim") {
        return queue.remove(item.key).then(function () {
          location.assign(outcome.jawaban.url);
        });
      }
      if (outcome.hasil === "ditolak" && outcome.tanpaAlasan && window.SilabuPwa) {
        // Not the form's reasons: most likely this page's token is stale (a sign-in elsewhere, or the session
        // ended). The queue sends it once more after asking who is signed in, with a fresh token.
        return window.SilabuPwa.send().then(function (result) {
          var mine = (result.terkirim || []).filter(function (sent) {
            return sent.key === item.key;
          })[0];
          if (mine) return location.assign(mine.jawaban.url);
          if (result.masuk) return signedOut();
          return queue.get(item.key).then(function (kept) {
            if (kept && kept.status === "ditolak") return showErrors(kept.galat, kept.pesan);
            return waiting(submitter);
          });
        });
      }
      if (outcome.hasil === "ditolak") {
        // A new entry: the person is here to fix it and the form holds it. One fixed from the queue stays there,
        // refused, until it is sent or discarded.
        var kept = loaded ? queue.settle(item, outcome) : queue.remove(item.key);
        return kept.then(function () {
          showErrors(outcome.galat, outcome.pesan);
        });
      }
      return queue.settle(item, outcome).then(function () {
        return outcome.hasil === "masuk" ? signedOut() : waiting(submitter);
      });
    });
  }

  function signedOut() {
    // The queue page asks for the sign-in (it needs one) and sends the kept entry once it is back.
    say("warning", "Sesi Anda berakhir. Entri tersimpan di ponsel dan dikirim setelah Anda masuk lagi.", {
      href: queuePage,
      text: "Masuk",
    });
    nextEntry(false);
  }

  var buttons = form.querySelectorAll("button[type=submit]");
  function busy(on) {
    Array.prototype.forEach.call(buttons, function (b) {
      b.disabled = on;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var submitter = event.submitter;
    busy(true);
    ready()
      .then(function () {
        var item = entryFrom(submitter);
        return queue.put(item).then(
          function () {
            return deliver(item, submitter);
          },
          function () {
            // The phone cannot keep it (storage full or refused): post the form as a browser without scripts does.
            if (navigator.onLine !== false) return form.submit();
            say("danger", "Ponsel ini tidak dapat menyimpan entri (penyimpanan penuh atau dinonaktifkan). Coba lagi saat ada sinyal.");
          }
        );
      })
      .finally(function () {
        busy(false);
      });
  });

  // --- putting a kept entry back in the form ----------------------------------------------------------------
  function fill(item) {
    var times = {};
    item.fields.forEach(function (pair) {
      var name = pair[0];
      if (name.indexOf("waktu_") === 0) {
        (times[name] = times[name] || []).push(pair[1]);
        return;
      }
      var field = form.elements[name];
      if (name === "simpan_lagi" || !field || field.type === "file") return;
      field.value = pair[1];
    });
    Array.prototype.forEach.call(inputs, function (input) {
      var files = item.files
        .filter(function (f) {
          return f.field === input.name;
        })
        .map(function (f) {
          return new File([f.blob], f.name, { type: f.type });
        });
      if (!files.length || !setFiles(input, files)) return;
      setTimes(input, times["waktu_" + input.name] || []);
      noteFor(input).textContent = files.length + " berkas dari ponsel (" + size(item.ringkas.ukuran || 0) + ").";
    });
  }

  var params = new URLSearchParams(location.search);
  if (fromCopy) {
    // A copy from another day: today is the default, or the day asked for (Bulan saya's "isi sekarang").
    form.elements.tanggal.defaultValue = today();
    form.elements.tanggal.value = params.get("tanggal") || today();
  }
  if (params.get("antrean")) {
    queue.get(params.get("antrean")).then(function (item) {
      if (!item || item.pemilik !== owner) return;
      loaded = item;
      key = item.key;
      fill(item);
      if (item.status === "ditolak") showErrors(item.galat, item.pesan);
      else say("info", item.pesan || "Entri dari ponsel: ubah bila perlu, lalu simpan untuk mengirimnya.");
    });
  }
})();
