// The plenary's attendee picker (templates/rekap/pleno.html). Without this script the grouped checkboxes work
// as they are; with it, a search box filters the names, each group gets a "Pilih semua" button (which ticks the
// group's names that the search shows, or clears them all once they are all ticked), and a count says how many
// are chosen.
(function () {
  "use strict";
  var picker = document.getElementById("peserta");
  if (!picker) return;
  var tools = picker.querySelector("[data-peserta-alat]");
  var search = picker.querySelector("[data-peserta-cari]");
  var count = picker.querySelector("[data-peserta-jumlah]");
  var none = picker.querySelector("[data-peserta-kosong]");
  var groups = Array.prototype.slice.call(picker.querySelectorAll("[data-peserta-grup]"));

  function people(group) {
    return Array.prototype.slice.call(group.querySelectorAll("[data-peserta-orang]"));
  }
  function box(person) { return person.querySelector("input[type=checkbox]"); }
  function shown(person) { return !person.hidden; }

  // Lower case without accents, so that "sekretaris" finds "Sekretaris" and "sofyan" finds "Sofyan".
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function update() {
    var all = 0, chosen = 0;
    groups.forEach(function (group) {
      var visible = people(group).filter(shown);
      var button = group.querySelector("[data-peserta-semua]");
      var full = visible.length > 0 && visible.every(function (p) { return box(p).checked; });
      button.textContent = full ? button.dataset.batal : button.dataset.pilih;
      button.disabled = visible.length === 0;
      people(group).forEach(function (p) {
        all += 1;
        if (box(p).checked) chosen += 1;
      });
    });
    count.textContent = chosen + " dari " + all + " orang dipilih";
  }

  function filter() {
    var words = fold(search.value).split(/\s+/).filter(Boolean);
    var anything = false;
    groups.forEach(function (group) {
      var label = fold(group.querySelector("legend").textContent);
      var matches = 0;
      people(group).forEach(function (p) {
        var text = fold(p.textContent) + " " + label;
        var hit = words.every(function (w) { return text.indexOf(w) !== -1; });
        p.hidden = !hit;
        if (hit) matches += 1;
      });
      group.hidden = matches === 0;
      if (matches) anything = true;
    });
    none.hidden = anything;
    update();
  }

  groups.forEach(function (group) {
    var button = group.querySelector("[data-peserta-semua]");
    button.hidden = false;
    button.addEventListener("click", function () {
      var visible = people(group).filter(shown);
      var full = visible.every(function (p) { return box(p).checked; });
      visible.forEach(function (p) { box(p).checked = !full; });
      update();
    });
  });
  picker.addEventListener("change", update);
  search.addEventListener("input", filter);
  // Enter in the search box must not submit the whole form.
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") event.preventDefault();
  });
  tools.hidden = false;
  filter();
})();
