// The plenary presentation (templates/rekap/presentasi.html): show one slide at a time.
// Without this script the page is one long document whose slides are anchors; with it, the keys move:
// → ↓ PageDown Space: next · ← ↑ PageUp Shift+Space: previous · Home/End: first/last · F: full screen.
// Every slide is made to fit a 16:9 screen (rekap/slides.py); should one still be taller than a small screen,
// ↓ PageDown Space (a clicker's keys) first scroll it to its bottom, and ↑ PageUp back to its top.
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
      if (i === current) slide.scrollTop = 0;
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

  // Scroll the current slide by a screen in `direction` (1 down, -1 up); false when it is already at that end.
  function scrollSlide(direction) {
    var slide = slides[current];
    var room = direction > 0
      ? slide.scrollHeight - slide.clientHeight - slide.scrollTop
      : slide.scrollTop;
    if (room < 2) return false;
    slide.scrollBy({ top: direction * Math.max(slide.clientHeight * 0.8, 40), behavior: "auto" });
    return true;
  }

  function forward() { if (!scrollSlide(1)) show(current + 1); }
  function backward() { if (!scrollSlide(-1)) show(current - 1); }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = event.target && event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    switch (event.key) {
      case "ArrowRight":
        show(current + 1); break;
      case "ArrowLeft":
        show(current - 1); break;
      case "ArrowDown": case "PageDown":
        forward(); break;
      case "ArrowUp": case "PageUp":
        backward(); break;
      case " ": case "Spacebar":
        if (event.shiftKey) backward(); else forward();
        break;
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
