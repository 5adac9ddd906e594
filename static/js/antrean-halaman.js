// The queue page (issue 18): the entries kept on this phone for the signed-in person, read from IndexedDB
// (antrean.js), with what the server said about each and what the person can do: send now, fix and send again, or
// discard. Nothing leaves the list unless the server has the entry or the person discards it.
(function () {
  "use strict";
  var queue = window.SilabuAntrean;
  var root = document.getElementById("antrean");
  var owner = document.body.dataset.pengguna || "";
  if (!root || !queue || !owner || !window.indexedDB) return;

  var list = root.querySelector("[data-daftar]");
  var summary = root.querySelector("[data-ringkas]");
  var result = root.querySelector("[data-hasil]");
  var sendButton = root.querySelector("[data-kirim]");
  var template = document.getElementById("antrean-item");
  var STATUS = {
    menunggu: ["Menunggu sinyal", "text-bg-warning"],
    masuk: ["Perlu masuk lagi", "text-bg-danger"],
    ditolak: ["Ditolak server", "text-bg-danger"],
  };
  var MB = 1024 * 1024;

  Array.prototype.forEach.call(document.querySelectorAll("[data-tanpa-js]"), function (el) {
    el.classList.add("d-none");
  });
  root.classList.remove("d-none");

  function size(bytes) {
    if (bytes < 0.1 * MB) return Math.max(1, Math.round(bytes / 1024)) + " KB";
    return (bytes / MB).toFixed(1).replace(".", ",") + " MB";
  }

  function day(iso) {
    var d = new Date(iso + "T00:00:00");
    if (isNaN(d)) return iso || "tanpa tanggal";
    return d.toLocaleDateString("id-ID", { day: "numeric", month: "long", year: "numeric" });
  }

  function slot(node, name) {
    return node.querySelector('[data-isi="' + name + '"]');
  }

  function row(item) {
    var node = template.content.firstElementChild.cloneNode(true);
    var r = item.ringkas || {};
    var state = STATUS[item.status] || STATUS.menunggu;
    node.setAttribute("data-kunci", item.key);
    slot(node, "kegiatan").textContent = r.kegiatan || "(tanpa nama kegiatan)";
    slot(node, "tanggal").textContent = day(r.tanggal);
    slot(node, "kode").textContent = r.kode || "kode output belum dipilih";
    slot(node, "bukti").textContent = r.bukti ? r.bukti + " berkas bukti, " + size(r.ukuran || 0) : "tanpa berkas bukti";
    var badge = slot(node, "status");
    badge.textContent = state[0];
    badge.classList.add(state[1]);
    if (item.pesan) {
      var message = slot(node, "pesan");
      message.textContent = item.pesan;
      message.classList.remove("d-none");
      if (item.status === "menunggu") message.classList.replace("alert-danger", "alert-warning");
    }
    var fix = node.querySelector("[data-perbaiki]");
    fix.href = root.dataset.entri + "?antrean=" + encodeURIComponent(item.key);
    fix.setAttribute("aria-label", "Perbaiki: " + (r.kegiatan || "entri"));
    if (item.status === "masuk") {
      var login = node.querySelector("[data-masuk]");
      login.href = root.dataset.masuk;
      login.classList.remove("d-none");
    }
    var discard = node.querySelector("[data-buang]");
    discard.setAttribute("aria-label", "Buang: " + (r.kegiatan || "entri"));
    discard.addEventListener("click", function () {
      // Two taps: the first asks, the second discards (no dialog to dismiss by accident).
      if (!discard.dataset.yakin) {
        discard.dataset.yakin = "1";
        discard.textContent = "Ya, buang entri ini";
        discard.removeAttribute("aria-label");
        return;
      }
      queue.remove(item.key).then(function () {
        say("info", "Entri «" + (r.kegiatan || "tanpa nama") + "» dibuang dari ponsel.");
        render();
        if (window.SilabuPwa) window.SilabuPwa.showCount();
      });
    });
    return node;
  }

  function say(kind, text) {
    var box = document.createElement("div");
    box.className = "alert alert-" + kind;
    box.setAttribute("role", "status");
    box.textContent = text;
    result.replaceChildren(box);
  }

  function render() {
    return queue.list(owner).then(function (items) {
      list.replaceChildren.apply(list, items.map(row));
      var refused = items.filter(function (item) {
        return item.status === "ditolak";
      }).length;
      summary.textContent = items.length
        ? items.length + " entri tersimpan di ponsel ini dan belum ada di server" + (refused ? "; " + refused + " ditolak server dan perlu diperbaiki atau dibuang." : ".")
        : "Tidak ada entri yang menunggu dikirim. Semua entri sudah ada di server.";
      sendButton.classList.toggle("d-none", items.length === refused);
    });
  }

  function report(outcome) {
    if (!outcome || outcome.sibuk) return;
    var parts = [];
    if (outcome.terkirim && outcome.terkirim.length) parts.push(outcome.terkirim.length + " entri terkirim ke server.");
    if (outcome.ditolak) parts.push(outcome.ditolak + " ditolak server: lihat pesannya di bawah.");
    if (outcome.masuk) parts.push("Sesi berakhir: masuk lagi untuk mengirim.");
    if (outcome.jaringan) parts.push("Belum ada sinyal ke server; entri tetap di ponsel dan dikirim nanti.");
    if (parts.length) say(outcome.ditolak || outcome.masuk || outcome.jaringan ? "warning" : "success", parts.join(" "));
  }

  sendButton.addEventListener("click", function () {
    if (!window.SilabuPwa) return;
    sendButton.disabled = true;
    say("info", "Mengirim…");
    window.SilabuPwa.send()
      .then(function (outcome) {
        if (outcome && outcome.sibuk) say("info", "Entri sedang dikirim…");
        report(outcome);
        return render();
      })
      .finally(function () {
        sendButton.disabled = false;
      });
  });

  window.addEventListener("silabu:antrean", function (event) {
    report(event.detail);
    render();
  });
  render();
})();
