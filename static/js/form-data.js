// The Form Data Kinerja (templates/pengukuran/form.html): "N indikator belum berisi …" counts the rows with neither
// a realisation nor a note, as the server does (rekap.pengukuran.services.baris_belum_lengkap). The server's count
// is of what was saved; this recounts it from the fields on every input, so it falls as the person fills them.
(function () {
  "use strict";
  var form = document.querySelector("form[data-form-data]");
  var hint = document.getElementById("belum-lengkap");
  if (!form || !hint) return;
  var count = hint.querySelector("[data-jumlah]");

  function empty(field) {
    return !field || field.value.trim() === "";
  }

  function recount() {
    var missing = 0;
    form.querySelectorAll("[data-baris]").forEach(function (row) {
      if (empty(row.querySelector("[data-realisasi]")) && empty(row.querySelector("[data-keterangan]"))) missing += 1;
    });
    count.textContent = String(missing);
    hint.hidden = missing === 0;
  }

  form.addEventListener("input", recount);
  recount();
})();
