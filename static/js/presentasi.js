// The plenary presentation (templates/rekap/presentasi.html): show one slide at a time.
// Without this script the page is one long document whose slides are anchors; with it, the keys move:
// → ↓ PageDown Space: next · ← ↑ PageUp Shift+Space: previous · Home/End: first/last · F: full screen.
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  if (!slides.length) return;
  var counter = document.querySelector(".penunjuk");
  var current = 0;

  function indexOfHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    for (var i = 0; i < slides.length; i++) if (slides[i].id === id) return i;
    return 0;
  }

  function show(index) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) {
      slide.classList.toggle("aktif", i === current);
      slide.setAttribute("aria-hidden", i === current ? "false" : "true");
    });
    if (counter) counter.textContent = (current + 1) + " / " + slides.length;
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#" + slides[current].id);
    }
  }

  function toggleFullscreen() {
    var root = document.documentElement;
    if (document.fullscreenElement) {
      if (document.exitFullscreen) document.exitFullscreen();
    } else if (root.requestFullscreen) {
      root.requestFullscreen().catch(function () {});
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = event.target && event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    switch (event.key) {
      case "ArrowRight": case "ArrowDown": case "PageDown":
        show(current + 1); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp":
        show(current - 1); break;
      case " ": case "Spacebar":
        show(event.shiftKey ? current - 1 : current + 1); break;
      case "Home":
        show(0); break;
      case "End":
        show(slides.length - 1); break;
      case "f": case "F":
        toggleFullscreen(); break;
      default:
        return;
    }
    event.preventDefault();
  });

  // A click on the list of slides (kept as a small menu) jumps there.
  window.addEventListener("hashchange", function () { show(indexOfHash()); });

  document.documentElement.classList.add("js-presentasi");
  if (counter) counter.hidden = false;
  show(indexOfHash());
})();
